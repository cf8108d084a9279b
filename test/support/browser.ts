import { chromium, type Browser } from 'playwright-core';

/** Debian's Chromium, headless, with the flags that keep it off the network and quiet. */
export const CHROMIUM = '/usr/bin/chromium';

/**
 * How long a browser step may wait for the page. Two test files run at once on two cores, each
 * with the app, the database and Chromium, beside another file loading the database hard: a step
 * that takes 0.4 s alone has taken over 8 s there. A step waits for what it needs, never a fixed time.
 */
export const BROWSER_STEP_TIMEOUT_MS = 20_000;
export const CHROMIUM_FLAGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];

export function launchBrowser(): Promise<Browser> {
  return chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_FLAGS });
}

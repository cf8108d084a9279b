/**
 * How fast the embedded admin shows its Home page, measured with Chromium's own performance
 * timeline inside the app's frame (what App Bridge reports to Shopify as the app's web vitals):
 * first contentful paint, largest contentful paint, the moment Home shows its figures, the long
 * tasks' blocking time and the JavaScript fetched until then. Two profiles: a desktop (1366 px, no
 * throttling) and a phone (390 px, CPU slowed 4× and Lighthouse's slow-4G network through the
 * DevTools protocol). Each figure stands beside a floor from the same run: a static text page,
 * served by a bare Node server into the same kind of frame under the same profile.
 *
 * `npx tsx bench/admin-load.ts` (or the `admin` phase of `npm run bench`) builds the admin,
 * boots the app with the devstore's demo shop and prints the medians of BENCH_ADMIN_RUNS (5)
 * cold loads and as many warm ones (the same browser profile, assets cached) per profile.
 */
import { createServer, type Server } from 'node:http';
import { mkdtemp, rm } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Browser, BrowserContext, BrowserContextOptions, Frame, Page } from 'playwright-core';
import { build } from 'vite';
import { DEMO_SHOP, seedDemoShop } from '../devstore/demo.js';
import { signSessionToken } from '../devstore/session-token.js';
import { bootTally } from '../server/boot.js';
import { loadConfig } from '../server/platform/config.js';
import { createLogger } from '../server/platform/logger.js';
import type { Program } from '../server/program/program.js';
import { launchBrowser } from '../test/support/browser.js';
import { percentile, round } from './lib/load.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

interface Profile {
  name: 'desktop' | 'phone';
  context: BrowserContextOptions;
  cpuSlowdown: number;
  /** Chromium's network emulation: added latency per request (ms) and throughput (bytes/s). */
  network?: { latency: number; downloadThroughput: number; uploadThroughput: number };
}

// Lighthouse's mobile profile as DevTools applies it: 4× CPU, slow 4G (150 ms RTT and 1.6 Mbit/s,
// scaled by Lighthouse's DevTools factors 3.75 and 0.9: 562.5 ms, 1,474.56 kbit/s down, 607.5 up).
const PROFILES: Profile[] = [
  { name: 'desktop', context: { viewport: { width: 1366, height: 768 } }, cpuSlowdown: 1 },
  {
    name: 'phone',
    context: { viewport: { width: 390, height: 844 }, deviceScaleFactor: 3, isMobile: true, hasTouch: true },
    cpuSlowdown: 4,
    network: { latency: 562.5, downloadThroughput: (1474.56 * 1024) / 8, uploadThroughput: (607.5 * 1024) / 8 },
  },
];

/** One load, as the frame's own timeline saw it (ms from the frame's navigation start). */
export interface LoadFigures {
  firstContentfulPaint: number;
  largestContentfulPaint: number;
  /** The element that was the last LCP candidate, e.g. `SPAN#home-held "1,234"`. */
  lcpElement: string;
  /** The first moment the page's ready element (Home's figures) was in the document. */
  ready: number;
  /** Σ (long task − 50 ms) until ready: how long the main thread could not answer the merchant. */
  blockingTime: number;
  /** Where the frame's navigation started, from the top page's (the admin chrome around it). */
  frameStart: number;
  scripts: number;
  scriptBytes: number;
}

export interface ProfileResult {
  profile: Profile['name'];
  cpuSlowdown: number;
  network: Profile['network'] | null;
  floor: Summary;
  cold: Summary;
  warm: Summary;
  /** Cold LCP ÷ the floor's LCP, both medians of this run. */
  lcpOverFloor: number;
}

type Summary = Record<Exclude<keyof LoadFigures, 'lcpElement'>, { p50: number; min: number; max: number }> & { lcpElements: string[] };

/** Runs in every frame before its scripts: records paints, LCP candidates, long tasks and when the ready element appears. */
function observeTimeline(readySelector: string): void {
  const timeline = { fcp: -1, lcp: -1, lcpElement: '', ready: -1, longTasks: [] as Array<{ start: number; duration: number }> };
  Object.assign(window, { __benchTimeline: timeline });
  new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) if (entry.name === 'first-contentful-paint') timeline.fcp = entry.startTime;
  }).observe({ type: 'paint', buffered: true });
  new PerformanceObserver((list) => {
    for (const entry of list.getEntries() as Array<PerformanceEntry & { element?: Element | null }>) {
      timeline.lcp = entry.startTime;
      const element = entry.element;
      timeline.lcpElement = element
        ? `${element.tagName}${element.id ? `#${element.id}` : ''} "${(element.textContent ?? '').trim().slice(0, 40)}"`
        : '(removed)';
    }
  }).observe({ type: 'largest-contentful-paint', buffered: true });
  new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) timeline.longTasks.push({ start: entry.startTime, duration: entry.duration });
  }).observe({ type: 'longtask', buffered: true });
  // No named inner functions here: the function is sent to the browser as source, without tsx's helpers.
  new MutationObserver(() => {
    if (timeline.ready < 0 && document.querySelector(readySelector)) timeline.ready = performance.now();
  }).observe(document, { childList: true, subtree: true });
}

interface TimelineInFrame {
  fcp: number;
  lcp: number;
  lcpElement: string;
  ready: number;
  longTasks: Array<{ start: number; duration: number }>;
}

async function measureLoad(page: Page, url: string, isApp: (frame: Frame) => boolean): Promise<LoadFigures> {
  await page.goto('about:blank');
  await page.goto(url);
  const frame = await waitFor(() => page.frames().find(isApp));
  await frame.waitForFunction(() => (window as unknown as { __benchTimeline?: TimelineInFrame }).__benchTimeline?.ready !== -1, null, {
    timeout: 120_000,
    polling: 100,
  });
  // Paints after the ready element (its text settling, fonts) still count: let the frame go quiet.
  await page.waitForLoadState('networkidle');
  await page.waitForTimeout(500);
  const figures = await frame.evaluate(() => {
    const timeline = (window as unknown as { __benchTimeline: TimelineInFrame }).__benchTimeline;
    const scripts = performance
      .getEntriesByType('resource')
      .filter((entry): entry is PerformanceResourceTiming => entry instanceof PerformanceResourceTiming && entry.initiatorType !== 'fetch')
      .filter((entry) => entry.name.endsWith('.js') && entry.startTime <= timeline.ready);
    return {
      timeline,
      scripts: scripts.length,
      scriptBytes: scripts.reduce((sum, entry) => sum + entry.transferSize, 0),
      timeOrigin: performance.timeOrigin,
    };
  });
  const topOrigin = await page.evaluate(() => performance.timeOrigin);
  const { timeline } = figures;
  return {
    firstContentfulPaint: timeline.fcp,
    largestContentfulPaint: timeline.lcp,
    lcpElement: timeline.lcpElement,
    ready: timeline.ready,
    blockingTime: timeline.longTasks.filter((task) => task.start <= timeline.ready).reduce((sum, task) => sum + Math.max(0, task.duration - 50), 0),
    frameStart: figures.timeOrigin - topOrigin,
    scripts: figures.scripts,
    scriptBytes: figures.scriptBytes,
  };
}

async function waitFor<T>(find: () => T | undefined, timeoutMs = 60_000): Promise<T> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const found = find();
    if (found) return found;
    if (Date.now() > until) throw new Error('the app frame never appeared');
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

async function throttledContext(browser: Browser, profile: Profile, readySelector: string): Promise<{ context: BrowserContext; page: Page }> {
  const context = await browser.newContext(profile.context);
  await context.addInitScript(observeTimeline, readySelector);
  const page = await context.newPage();
  page.setDefaultTimeout(120_000);
  const session = await context.newCDPSession(page);
  if (profile.cpuSlowdown > 1) await session.send('Emulation.setCPUThrottlingRate', { rate: profile.cpuSlowdown });
  if (profile.network) {
    await session.send('Network.enable');
    await session.send('Network.emulateNetworkConditions', { offline: false, ...profile.network });
  }
  return { context, page };
}

function summarise(loads: LoadFigures[]): Summary {
  const keys = ['firstContentfulPaint', 'largestContentfulPaint', 'ready', 'blockingTime', 'frameStart', 'scripts', 'scriptBytes'] as const;
  const summary = { lcpElements: [...new Set(loads.map((load) => load.lcpElement))] } as Summary;
  for (const key of keys) {
    const values = loads.map((load) => load[key]).sort((a, b) => a - b);
    summary[key] = { p50: round(percentile(values, 50), 1), min: round(values[0]!, 1), max: round(values.at(-1)!, 1) };
  }
  return summary;
}

/** The floor: a frame around a static page with a heading and a paragraph, from a bare Node server. */
function startFloor(): Promise<Server> {
  const frameHost = `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>Floor</title>
<style>body{margin:0;display:flex;flex-direction:column;height:100vh}header{height:56px;background:#1a1a1a}iframe{flex:1;border:0}</style></head>
<body><header></header><iframe id="app" src="/page"></iframe></body></html>`;
  const page = `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>Floor page</title></head>
<body style="font-family:system-ui,sans-serif;margin:24px"><h1>Home</h1><p id="ready">The least a page can show: a heading and this paragraph, no script, no style sheet.</p></body></html>`;
  const server = createServer((req, res) => {
    res.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8', 'Cache-Control': 'no-cache' });
    res.end(req.url === '/page' ? page : frameHost);
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server)));
}

export async function measureAdminLoad(options: { runs?: number; mongodbUri?: string } = {}): Promise<{ profiles: ProfileResult[] }> {
  const runs = options.runs ?? Number(process.env.BENCH_ADMIN_RUNS ?? 5);
  await build({ configFile: path.join(root, 'web/vite.config.ts'), logLevel: 'warn' });
  const dataDir = await mkdtemp(path.join(os.tmpdir(), 'tally-bench-admin-'));
  const config = loadConfig({ PORT: '0', DATA_DIR: dataDir, LOG_LEVEL: 'warn', ...(options.mongodbUri ? { MONGODB_URI: options.mongodbUri } : {}) });
  const app = await bootTally({ config, logger: createLogger(config.logLevel) });
  const floor = await startFloor();
  const browser = await launchBrowser();
  try {
    await seedDemoShop(app.devstore!, app.url);
    await app.worker.drain();
    const token = signSessionToken({ shop: DEMO_SHOP, apiKey: config.shopifyApiKey, apiSecret: config.shopifyApiSecret });
    const headers = { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' };
    const program = (await (await fetch(`${app.url}/api/program`, { headers })).json()) as Program;
    await fetch(`${app.url}/api/program`, { method: 'PUT', headers, body: JSON.stringify({ ...program, onboarded: true }) });

    const adminUrl = `${app.url}/devstore/shops/${DEMO_SHOP}/admin`;
    const isApp = (frame: Frame) => frame.url().startsWith(`${app.url}/?`);
    const floorUrl = `http://127.0.0.1:${(floor.address() as AddressInfo).port}/`;
    const isFloor = (frame: Frame) => frame.url().endsWith('/page');
    const profiles: ProfileResult[] = [];
    for (const profile of PROFILES) {
      const floorLoads: LoadFigures[] = [];
      const cold: LoadFigures[] = [];
      const warm: LoadFigures[] = [];
      // Interleaved, so a burst of load on the shared machine falls on floor and app alike.
      for (let run = 0; run < runs; run++) {
        const floorContext = await throttledContext(browser, profile, '#ready');
        floorLoads.push(await measureLoad(floorContext.page, floorUrl, isFloor));
        await floorContext.context.close();
        const appContext = await throttledContext(browser, profile, '#home-held');
        cold.push(await measureLoad(appContext.page, adminUrl, isApp));
        warm.push(await measureLoad(appContext.page, adminUrl, isApp));
        await appContext.context.close();
      }
      const result: ProfileResult = {
        profile: profile.name,
        cpuSlowdown: profile.cpuSlowdown,
        network: profile.network ?? null,
        floor: summarise(floorLoads),
        cold: summarise(cold),
        warm: summarise(warm),
        lcpOverFloor: 0,
      };
      result.lcpOverFloor = round(result.cold.largestContentfulPaint.p50 / result.floor.largestContentfulPaint.p50, 2);
      profiles.push(result);
    }
    return { profiles };
  } finally {
    await browser.close();
    await new Promise((resolve) => floor.close(resolve));
    await app.close();
    await rm(dataDir, { recursive: true, force: true });
  }
}

function printTable(profiles: ProfileResult[]): void {
  const ms = (value: { p50: number }) => `${Math.round(value.p50)} ms`;
  for (const result of profiles) {
    console.log(
      `\n${result.profile} (CPU ${result.cpuSlowdown}×${result.network ? `, ${result.network.latency} ms, ${Math.round((result.network.downloadThroughput * 8) / 1024)} kbit/s` : ''})`,
    );
    console.log(
      'load'.padEnd(8),
      'FCP'.padStart(9),
      'LCP'.padStart(9),
      'ready'.padStart(9),
      'blocking'.padStart(9),
      'frame at'.padStart(9),
      'scripts'.padStart(8),
      'JS bytes'.padStart(10),
      '  LCP element',
    );
    for (const [name, summary] of [
      ['floor', result.floor],
      ['cold', result.cold],
      ['warm', result.warm],
    ] as const) {
      console.log(
        name.padEnd(8),
        ms(summary.firstContentfulPaint).padStart(9),
        ms(summary.largestContentfulPaint).padStart(9),
        ms(summary.ready).padStart(9),
        ms(summary.blockingTime).padStart(9),
        ms(summary.frameStart).padStart(9),
        String(summary.scripts.p50).padStart(8),
        String(summary.scriptBytes.p50).padStart(10),
        ` ${summary.lcpElements.join(' | ')}`,
      );
    }
    console.log(`cold LCP ÷ floor LCP: ${result.lcpOverFloor}`);
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const result = await measureAdminLoad();
  console.log(JSON.stringify({ machine: { cpus: os.cpus().length, model: os.cpus()[0]?.model, load: os.loadavg() }, ...result }, null, 2));
  printTable(result.profiles);
}

/**
 * Regenerates docs/screenshots/*.png: boots the app in dev mode with a fresh data directory and
 * the demo shop, then photographs each main screen of the admin (in the devstore admin frame)
 * and of the storefront (with the theme extension). Run with `npm run screenshots`.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { DEMO_SHOP, seedDemoShop } from '../devstore/demo.js';
import { signSessionToken } from '../devstore/session-token.js';
import { bootTally } from '../server/boot.js';
import { loadConfig } from '../server/platform/config.js';
import type { Program } from '../server/program/program.js';
import { createLogger } from '../server/platform/logger.js';
import { launchBrowser } from '../test/support/browser.js';

const out = path.resolve('docs/screenshots');
const dataDir = await mkdtemp(path.join(tmpdir(), 'tally-screenshots-'));
const config = loadConfig({ PORT: '0', DATA_DIR: dataDir, LOG_LEVEL: 'warn' });
const app = await bootTally({ config, logger: createLogger(config.logLevel) });
const browser = await launchBrowser();
try {
  const devstore = app.devstore!;
  await seedDemoShop(devstore, app.url);
  await app.worker.drain();
  const admin = `${app.url}/devstore/shops/${DEMO_SHOP}/admin`;
  const store = `${app.url}/devstore/shops/${DEMO_SHOP}/storefront`;
  const page = await browser.newPage({ viewport: { width: 1366, height: 900 } });
  page.setDefaultTimeout(15_000);
  const frame = page.frameLocator('#app');
  const shot = async (name: string, target: typeof page = page) => {
    await target.waitForTimeout(400);
    await target.screenshot({ path: path.join(out, `${name}.png`), fullPage: false });
    console.log(`docs/screenshots/${name}.png`);
  };

  await page.goto(admin);
  await frame.getByRole('heading', { name: 'Set up your loyalty program' }).waitFor();
  await frame.locator('#economics-verdict').waitFor();
  await shot('admin-onboarding');

  const token = signSessionToken({ shop: DEMO_SHOP, apiKey: config.shopifyApiKey, apiSecret: config.shopifyApiSecret });
  const headers = { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' };
  const program = (await (await fetch(`${app.url}/api/program`, { headers })).json()) as Program;
  await fetch(`${app.url}/api/program`, { method: 'PUT', headers, body: JSON.stringify({ ...program, onboarded: true }) });

  // Every admin page, on a desktop and on a 390 px phone, each opened at its own URL.
  const phone = await browser.newPage({ viewport: { width: 390, height: 844 }, deviceScaleFactor: 2, isMobile: true, hasTouch: true });
  phone.setDefaultTimeout(15_000);
  const pages: Array<{ name: string; hash: string; ready: (target: typeof frame) => Promise<void> }> = [
    { name: 'admin-home', hash: '#/', ready: (target) => target.locator('#home-held').waitFor() },
    { name: 'admin-program', hash: '#/program', ready: (target) => target.locator('#economics-give-back').waitFor() },
    { name: 'admin-customers', hash: '#/customers', ready: (target) => target.getByText('Ada Lovelace').waitFor() },
    { name: 'admin-customer', hash: '#/customers/7001001', ready: (target) => target.locator('#customer-balance').waitFor() },
    { name: 'admin-activity', hash: '#/activity', ready: (target) => target.getByText('Webhook deliveries').waitFor() },
    { name: 'admin-analytics', hash: '#/analytics', ready: (target) => target.getByRole('heading', { name: 'Analytics' }).first().waitFor() },
    { name: 'admin-engagement', hash: '#/engagement', ready: (target) => target.getByRole('heading', { name: 'Engagement' }).first().waitFor() },
    {
      name: 'admin-imports',
      hash: '#/imports',
      ready: (target) => target.getByRole('heading', { name: 'Imports and integrations' }).first().waitFor(),
    },
  ];
  for (const [target, suffix] of [
    [page, ''],
    [phone, '-phone'],
  ] as const) {
    for (const entry of pages) {
      // A change of hash alone would not reload the frame: start from a blank page each time.
      await target.goto('about:blank');
      await target.goto(`${admin}${entry.hash}`);
      await entry.ready(target.frameLocator('#app'));
      await shot(`${entry.name}${suffix}`, target);
    }
  }
  // The economics panel sits below the form on a phone: photograph it there too.
  await phone.goto('about:blank');
  await phone.goto(`${admin}#/program`);
  await phone.frameLocator('#app').locator('#economics-verdict').scrollIntoViewIfNeeded();
  await shot('admin-program-economics-phone', phone);
  // The save bar and the resource picker are drawn by the admin around the app.
  await page.goto('about:blank');
  await page.goto(`${admin}#/program`);
  await frame.getByLabel('Type').last().selectOption('free_product');
  await frame.getByRole('button', { name: 'Choose product: Product given away' }).click();
  await page.getByRole('dialog').getByText('House blend, 250 g').waitFor();
  await shot('admin-resource-picker');
  await page.getByRole('dialog').getByRole('button', { name: 'Cancel' }).click();
  await page.getByRole('region', { name: 'Unsaved changes' }).getByRole('button', { name: 'Discard' }).click();
  await phone.close();

  await page.goto(`${store}/products/801`);
  await page.click('.tally__button');
  await page.waitForSelector('.tally__panel:not([hidden]) h3');
  await shot('storefront-guest');
  await page.goto(`${store}/account`);
  await page.selectOption('select[name=customerId]', '7001001');
  await page.click('button[type=submit]');
  await page.waitForSelector('[data-tally-account] ul');
  await page.click('.tally__button');
  await page.waitForSelector('.tally__panel:not([hidden]) h3');
  await shot('storefront-customer');
} finally {
  await browser.close();
  await app.close();
  await rm(dataDir, { recursive: true, force: true });
}

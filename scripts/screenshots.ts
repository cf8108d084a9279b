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
  const page = await browser.newPage({ viewport: { width: 1400, height: 1000 } });
  page.setDefaultTimeout(15_000);
  const frame = page.frameLocator('#app');
  const shot = async (name: string) => {
    await page.waitForTimeout(400);
    await page.screenshot({ path: path.join(out, `${name}.png`), fullPage: false });
    console.log(`docs/screenshots/${name}.png`);
  };

  await page.goto(admin);
  await frame.getByRole('heading', { name: 'Set up your loyalty program' }).waitFor();
  await shot('admin-onboarding');

  const token = signSessionToken({ shop: DEMO_SHOP, apiKey: config.shopifyApiKey, apiSecret: config.shopifyApiSecret });
  const headers = { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' };
  const program = (await (await fetch(`${app.url}/api/program`, { headers })).json()) as Program;
  await fetch(`${app.url}/api/program`, { method: 'PUT', headers, body: JSON.stringify({ ...program, onboarded: true }) });

  await page.goto(admin);
  await frame.locator('#economics-give-back').waitFor();
  await shot('admin-program');
  await frame.getByRole('tab', { name: 'Customers' }).click();
  await frame.getByText('Ada Lovelace').waitFor();
  await shot('admin-customers');
  await frame.getByText('Ada Lovelace').click();
  await frame.locator('#customer-balance').waitFor();
  await shot('admin-customer');
  await frame.getByRole('tab', { name: 'Activity' }).click();
  await frame.getByText('Webhook deliveries').waitFor();
  await shot('admin-activity');

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

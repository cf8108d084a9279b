import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_SHOP, seedDemoShop } from '../../devstore/demo.js';
import { startTestApp, type TestApp } from '../support/app.js';
import { BROWSER_STEP_TIMEOUT_MS, launchBrowser } from '../support/browser.js';
import { api, devstoreOf } from '../support/shopify.js';

const viewports = [
  { suffix: '', options: { viewport: { width: 1280, height: 900 } } },
  { suffix: '-phone', options: { viewport: { width: 390, height: 844 }, deviceScaleFactor: 2, isMobile: true, hasTouch: true } },
] as const;

/**
 * Every storefront surface of the demo shop, as a guest and as Ada, on a desktop and a 390 px
 * phone: each must fit the screen's width, and each is photographed into docs/screenshots/.
 */
describe('storefront surfaces on a desktop and a phone (docs/screenshots/storefront-*.png)', () => {
  let app: TestApp;
  let browser: Browser;
  let store: string;

  beforeAll(async () => {
    app = await startTestApp('shopper-screenshots');
    await seedDemoShop(devstoreOf(app), app.url);
    await app.worker.drain();
    // Enough for Ada to redeem and to use the checkout slider on camera.
    const bonus = await api(app, DEMO_SHOP, '/customers/7001001/adjustments', {
      method: 'POST',
      body: { points: 1_000, reason: 'Welcome back bonus' },
    });
    expect(bonus.status).toBe(201);
    store = `${app.url}/devstore/shops/${DEMO_SHOP}/storefront`;
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    await app?.close();
  });

  async function shot(page: Page, name: string, width: number): Promise<void> {
    expect(await page.evaluate(() => document.documentElement.scrollWidth), `${name} scrolls sideways`).toBeLessThanOrEqual(width);
    await page.screenshot({ path: `docs/screenshots/${name}.png` });
  }
  async function openLauncher(page: Page): Promise<void> {
    await page.click('.tally__button');
    await page.waitForSelector('.tally__panel:not([hidden]) h3');
  }

  for (const { suffix, options } of viewports) {
    const width = options.viewport.width;

    it(`a guest${suffix ? ' on a phone' : ''}: product with the launcher open, cart`, async () => {
      const page = await browser.newPage(options);
      page.setDefaultTimeout(BROWSER_STEP_TIMEOUT_MS);
      await page.goto(`${store}/products/801`);
      await openLauncher(page);
      await shot(page, `storefront-guest-launcher${suffix}`, width);
      await page.click('.tally__close');
      await page.click('button:has-text("Add to cart")');
      await page.waitForURL(/\/cart$/);
      await shot(page, `storefront-guest-cart${suffix}`, width);
      await page.close();
    });

    it(`Ada${suffix ? ' on a phone' : ''}: launcher, redeem confirmation, account, cart, checkout, thank-you`, async () => {
      const page = await browser.newPage(options);
      page.setDefaultTimeout(BROWSER_STEP_TIMEOUT_MS);
      await page.goto(`${store}/account`);
      await page.selectOption('select[name=customerId]', '7001001');
      await page.click('button[type=submit]');
      await page.waitForSelector('[data-tally-history]');
      await shot(page, `storefront-customer-account${suffix}`, width);

      await page.goto(`${store}/products/802`);
      await page.waitForFunction(() => /available$/.test(document.querySelector('.tally__label')?.textContent ?? ''));
      await openLauncher(page);
      await shot(page, `storefront-customer-launcher${suffix}`, width);
      await page.click('[data-reward="five-off"]');
      await page.waitForSelector('.tally__confirm');
      await shot(page, `storefront-customer-redeem-confirm${suffix}`, width);
      await page.click('.tally__confirm button:has-text("Cancel")');
      await page.click('.tally__close');

      await page.click('button:has-text("Add to cart")');
      await page.waitForURL(/\/cart$/);
      await page.waitForSelector('[data-tally-slider] input[type=range]');
      await shot(page, `storefront-customer-cart${suffix}`, width);

      await page.click('button:has-text("Check out")');
      const checkout = page.frameLocator('iframe[data-extension="purchase.checkout.block.render"]');
      await checkout.locator('s-heading').waitFor();
      await shot(page, `storefront-customer-checkout${suffix}`, width);

      await page.click('button:has-text("Pay now")');
      await page.waitForSelector('[data-order-id]');
      await app.worker.drain();
      await page.frameLocator('iframe[data-extension="purchase.thank-you.block.render"]').locator('s-banner').waitFor();
      await shot(page, `storefront-customer-thank-you${suffix}`, width);
      await page.close();
    });
  }
});

import AxeBuilder from '@axe-core/playwright';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_SHOP, seedDemoShop } from '../../devstore/demo.js';
import type { Program } from '../../server/program/program.js';
import { startTestApp, type TestApp } from '../support/app.js';
import { BROWSER_STEP_TIMEOUT_MS, launchBrowser } from '../support/browser.js';
import { api, devstoreOf } from '../support/shopify.js';

const viewports = [
  { suffix: '', options: { viewport: { width: 1366, height: 900 } } },
  { suffix: '-phone', options: { viewport: { width: 390, height: 844 }, deviceScaleFactor: 2, isMobile: true, hasTouch: true } },
] as const;

/**
 * axe-core on the demo storefront with the launcher open, as a guest and as Ada, at 1366 px and
 * 390 px: no serious or critical violation, whatever colours the merchant picked. Screenshots in
 * docs/screenshots/storefront-axe-*.png.
 */
describe('storefront accessibility (axe-core) with the launcher open', () => {
  let app: TestApp;
  let browser: Browser;
  let store: string;

  beforeAll(async () => {
    app = await startTestApp('storefront-accessibility');
    await seedDemoShop(devstoreOf(app), app.url);
    await app.worker.drain();
    store = `${app.url}/devstore/shops/${DEMO_SHOP}/storefront`;
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    await app?.close();
  });

  async function seriousViolations(page: Page): Promise<string[]> {
    const results = await new AxeBuilder({ page }).analyze();
    return results.violations
      .filter((violation) => violation.impact === 'serious' || violation.impact === 'critical')
      .map((violation) => `${violation.id}: ${violation.nodes.map((node) => node.target.join(' ')).join(', ')}`);
  }
  async function openLauncher(page: Page): Promise<void> {
    await page.click('.tally__button');
    await page.waitForSelector('.tally__panel .tally__rewards');
  }
  async function colours(primaryColor: string, textColor: string): Promise<void> {
    const program = (await (await api(app, DEMO_SHOP, '/program')).json()) as Program;
    expect(
      (await api(app, DEMO_SHOP, '/program', { method: 'PUT', body: { ...program, widget: { ...program.widget, primaryColor, textColor } } })).status,
    ).toBe(200);
  }

  for (const { suffix, options } of viewports) {
    it(`a guest and a signed-in shopper${suffix ? ' on a phone' : ''}: product, cart and account pages`, async () => {
      // axe-core/playwright needs a page of a context it can open frames in.
      const page = await (await browser.newContext(options)).newPage();
      page.setDefaultTimeout(BROWSER_STEP_TIMEOUT_MS);
      await page.goto(`${store}/products/801`);
      await openLauncher(page);
      expect(await seriousViolations(page), 'guest product').toEqual([]);
      await page.screenshot({ path: `docs/screenshots/storefront-axe-guest${suffix}.png` });

      await page.goto(`${store}/account`);
      await page.selectOption('select[name=customerId]', '7001001');
      await page.click('button[type=submit]');
      await page.waitForSelector('[data-tally-history]');
      expect(await seriousViolations(page), 'account').toEqual([]);
      await page.goto(`${store}/products/802`);
      await page.click('button:has-text("Add to cart")');
      await page.waitForURL(/\/cart$/);
      await openLauncher(page);
      expect(await seriousViolations(page), 'cart with the launcher open').toEqual([]);
      await page.screenshot({ path: `docs/screenshots/storefront-axe-customer${suffix}.png` });
      await page.context().close();
    });
  }

  it('text stays at 4.5:1 or more whatever colours the merchant picks', async () => {
    // A pale yellow button with white text, and the product block's default blue on the theme's cream.
    await colours('#ffe066', '#ffffff');
    try {
      const page = await (await browser.newContext({ viewport: { width: 1366, height: 900 } })).newPage();
      await page.goto(`${store}/products/801`);
      await openLauncher(page);
      expect(await seriousViolations(page)).toEqual([]);
      await page.screenshot({ path: 'docs/screenshots/storefront-axe-pale-colours.png' });
      await page.context().close();
    } finally {
      await colours('#1f6feb', '#ffffff');
    }
  });
});

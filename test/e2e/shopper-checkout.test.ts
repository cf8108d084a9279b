import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { balanceOf } from '../../server/ledger/index.js';
import { startTestApp, type TestApp } from '../support/app.js';
import { BROWSER_STEP_TIMEOUT_MS, launchBrowser } from '../support/browser.js';
import { deliverAndDrain, devstoreOf, grantPoints, installShop } from '../support/shopify.js';

describe('devstore checkout: a checkout page with Tally’s checkout extension, a thank-you page with the thank-you extension', () => {
  let app: TestApp;
  let browser: Browser;
  const shop = 'shopper-checkout.myshopify.com';
  const customer = 7_500_001;
  let store: string;

  beforeAll(async () => {
    app = await startTestApp('shopper-checkout');
    const devstore = devstoreOf(app);
    devstore.ensureShop(shop, { name: 'Checkout Roasters' });
    await installShop(app, shop);
    devstore.addProduct(shop, { id: 961, title: 'Ceramic mug', priceMinor: 2_200, tags: [], giftCard: false });
    await deliverAndDrain(app, [
      devstore.addCustomer(shop, { id: customer, firstName: 'Katherine', lastName: 'Johnson', email: 'katherine@example.com' }),
    ]);
    await grantPoints(app, shop, customer, 1_000);
    store = `${app.url}/devstore/shops/${shop}/storefront`;
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    await app?.close();
  });

  it('does not pay at "Check out": the extension redeems and applies a code in checkout, "Pay now" pays, the thank-you extension shows the points earned', async () => {
    const page = await browser.newPage({ viewport: { width: 1000, height: 900 } });
    page.setDefaultTimeout(BROWSER_STEP_TIMEOUT_MS);
    await page.goto(`${store}/account`);
    await page.selectOption('select[name=customerId]', String(customer));
    await page.click('button[type=submit]');
    await page.goto(`${store}/products/961`);
    await page.click('button:has-text("Add to cart")');
    await page.waitForURL(/\/cart$/);
    await page.click('button:has-text("Check out")');
    await page.waitForURL(/\/checkouts\/\w+$/);
    expect(devstoreOf(app).shop(shop)!.orders.size).toBe(0);

    const extension = page.frameLocator('iframe[data-extension="purchase.checkout.block.render"]');
    await extension.locator('s-heading').waitFor();
    expect(await extension.locator('s-heading').textContent()).toBe('You have 1000 points');
    await extension.locator('s-stack[direction=inline]', { hasText: '$5 off your order' }).locator('s-button').click();
    await extension.locator('s-banner[tone=success]').waitFor();
    expect(await extension.locator('s-banner[tone=success]').textContent()).toMatch(/^TALLY-[\w-]+ applied\. 500 points left\.$/);
    await page.waitForSelector('[data-summary-code]');
    expect(await page.textContent('[data-summary-total]')).toBe('17.00 USD');

    await page.click('button:has-text("Pay now")');
    await page.waitForSelector('[data-order-id]');
    await app.worker.drain();
    const thankYou = page.frameLocator('iframe[data-extension="purchase.thank-you.block.render"]');
    await thankYou.locator('s-banner').waitFor();
    expect(await thankYou.locator('s-banner').textContent()).toBe('You earned 17 points with this order. Your balance: 517 points.');
    expect((await balanceOf(app.connection, shop, String(customer))).available).toBe(517);
    await page.close();
  });
});

import { signSessionToken } from '../../devstore/session-token.js';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { balanceOf } from '../../server/ledger/index.js';
import { findRedemption } from '../../server/redemption/index.js';
import { holdModel } from '../../server/redemption/store.js';
import { startTestApp, type TestApp } from '../support/app.js';
import { BROWSER_STEP_TIMEOUT_MS, launchBrowser } from '../support/browser.js';
import { deliverAndDrain, devstoreOf, grantPoints, installShop } from '../support/shopify.js';

describe('checkout redemption without codes, in the browser: slider → hold → discount at checkout → settled', () => {
  let app: TestApp;
  let browser: Browser;
  const shop = 'checkout-holds.myshopify.com';
  const customer = 7_700_001;
  let store: string;

  beforeAll(async () => {
    app = await startTestApp('checkout-holds');
    const devstore = devstoreOf(app);
    devstore.ensureShop(shop, { name: 'Leaf & Kettle' });
    await installShop(app, shop);
    devstore.addProduct(shop, { id: 977, title: 'Oolong tea', priceMinor: 2_400, tags: [], giftCard: false });
    await deliverAndDrain(app, [devstore.addCustomer(shop, { id: customer, firstName: 'Grace', lastName: 'Hopper', email: 'grace@example.com' })]);
    await grantPoints(app, shop, customer, 1_200);
    store = `${app.url}/devstore/shops/${shop}/storefront`;
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    await app?.close();
  });

  it('guest → sign in → slider → the cart and checkout show the discount → paid → thank-you and balance right', async () => {
    const page = await browser.newPage({ viewport: { width: 1000, height: 900 } });
    page.setDefaultTimeout(BROWSER_STEP_TIMEOUT_MS);

    await page.goto(`${store}/products/977`);
    await page.click('button:has-text("Add to cart")');
    await page.waitForURL(/\/cart$/);
    await page.waitForLoadState('networkidle');
    expect(await page.$('[data-tally-slider]')).toBeNull();

    await page.goto(`${store}/account`);
    await page.selectOption('select[name=customerId]', String(customer));
    await page.click('button[type=submit]');
    await page.waitForSelector('[data-tally-account] ul');

    await page.goto(`${store}/cart`);
    await page.waitForSelector('[data-tally-slider] input[type=range]');
    // 1,200 points and a $24 cart: two steps of 500 points ($5 each).
    expect(await page.getAttribute('[data-tally-slider] input[type=range]', 'max')).toBe('1000');
    await page.fill('[data-tally-slider] input[type=range]', '500');
    expect(await page.textContent('.tally-slider__value')).toBe('Use 500 points: −$5.00');
    await page.locator('[data-tally-slider]').screenshot({ path: 'docs/screenshots/checkout-holds-slider.png' });

    await Promise.all([page.waitForEvent('load'), page.click('[data-tally-slider] button')]);
    await page.waitForSelector('[data-cart-discount]');
    expect(await page.textContent('[data-cart-discount]')).toBe('500 points redeemed: −5.00 USD at checkout');
    const holds = await holdModel(app.connection)
      .find({ shop, customerId: String(customer) })
      .lean();
    expect(holds.map((hold) => hold.points)).toEqual([500]);
    expect((await balanceOf(app.connection, shop, String(customer))).available).toBe(700);
    await page.screenshot({ path: 'docs/screenshots/checkout-holds-cart.png' });

    await page.click('button:has-text("Check out")');
    await page.click('button:has-text("Pay now")');
    await page.waitForSelector('[data-order-id]');
    expect(await page.textContent('[data-order-discount]')).toBe('500 points redeemed: −5.00 USD');
    const orderId = (await page.getAttribute('[data-order-id]', 'data-order-id'))!;
    await page.screenshot({ path: 'docs/screenshots/checkout-holds-thank-you.png' });
    await app.worker.drain();

    // $24 less the $5 the points paid: 19 points earned on top of 1,200 − 500.
    await page.goto(`${store}/account`);
    await page.waitForSelector('[data-tally-account] ul');
    expect(await page.textContent('[data-tally-account-body]')).toBe('719 points available');
    // Settlement needs orders/paid to call settleHoldForOrder (server/earning/handlers.ts, the lead's wiring).
    expect(await findRedemption(app.connection, shop, holds[0]!.holdId)).toMatchObject({ status: 'used', orderId, pointsSpent: 500 });
    // What the thank-you extension reads: the points the order earned and the points it spent.
    const buyerToken = signSessionToken({
      shop,
      apiKey: app.config.shopifyApiKey,
      apiSecret: app.config.shopifyApiSecret,
      claims: { iss: undefined, sid: undefined, dest: shop, sub: `gid://shopify/Customer/${customer}` },
    });
    const thankYou = (await (
      await fetch(`${app.url}/extensions/customer?orderId=${orderId}`, { headers: { Authorization: `Bearer ${buyerToken}` } })
    ).json()) as { order: { points: number; pointsSpent: number } };
    expect(thankYou.order).toMatchObject({ points: 19, pointsSpent: 500 });
    await page.close();
  });
});

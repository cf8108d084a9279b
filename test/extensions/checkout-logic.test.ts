import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CheckoutRefused } from '../../devstore/devstore.js';
import { signSessionToken } from '../../devstore/session-token.js';
import { checkoutRewards, fetchLoyalty, gidNumber, redeemAndApply, type CheckoutApi } from '../../extensions/tally-checkout/src/loyalty.js';
import { startTestApp, type TestApp } from '../support/app.js';
import { deliverAndDrain, devstoreOf, grantPoints, installShop } from '../support/shopify.js';

/**
 * The checkout and thank-you extensions' logic, with Shopify's `shopify` global stubbed at its
 * boundary: session tokens are real (signed as Shopify signs checkout tokens) and the backend is
 * the real app; applying a code goes through the devstore checkout's own rules.
 */
describe('checkout extension logic against the real backend', () => {
  let app: TestApp;
  const shop = 'checkout-ext.myshopify.com';
  const customer = 7_600_001;

  beforeAll(async () => {
    app = await startTestApp('checkout-ext');
    await installShop(app, shop);
    await deliverAndDrain(app, [devstoreOf(app).addCustomer(shop, { id: customer })]);
    await grantPoints(app, shop, customer, 800);
  });
  afterAll(async () => {
    await app.close();
  });

  function checkout(sub: string | undefined, secret?: string) {
    const applied: string[] = [];
    const api: CheckoutApi = {
      sessionToken: { get: async () => signSessionToken({ shop, apiKey: app.config.shopifyApiKey, apiSecret: secret ?? app.config.shopifyApiSecret, claims: { iss: undefined, sid: undefined, dest: shop, sub } }) },
      applyDiscountCodeChange: async (change) => {
        try {
          devstoreOf(app).createOrder(shop, { customerId: customer, lines: [{ priceMinor: 1_000 }], discountCode: change.code });
          applied.push(change.code);
          return { type: 'success' };
        } catch (error) {
          if (error instanceof CheckoutRefused) return { type: 'error', message: error.message };
          throw error;
        }
      },
    };
    return { api, applied };
  }

  it('shows the buyer’s balance and only rewards a checkout can apply', async () => {
    const { api } = checkout(`gid://shopify/Customer/${customer}`);
    const view = await fetchLoyalty(api, app.url);
    expect(view.points?.balance).toBe(800);
    expect(checkoutRewards(view).map((reward) => reward.id)).toEqual(['five-off', 'free-shipping']);
  });

  it('redeems through the app and applies the code with applyDiscountCodeChange', async () => {
    const { api, applied } = checkout(`gid://shopify/Customer/${customer}`);
    const outcome = await redeemAndApply(api, app.url, 'five-off', 'checkout-test-0001');
    expect(outcome).toMatchObject({ ok: true, balance: 300 });
    expect(applied).toEqual([outcome.ok ? outcome.code : '']);
    const again = await redeemAndApply(api, app.url, 'five-off', 'checkout-test-0002');
    expect(again).toEqual({ ok: false, message: 'Not enough points for this reward' });
  });

  it('a guest checkout and a forged token cannot redeem', async () => {
    expect(await redeemAndApply(checkout(undefined).api, app.url, 'free-shipping', 'checkout-test-0003')).toEqual({ ok: false, message: 'Log in to redeem points' });
    await expect(fetchLoyalty(checkout(`gid://shopify/Customer/${customer}`, 'forged-secret').api, app.url)).rejects.toThrow(/Invalid session token/);
  });

  it('the thank-you page learns what the order earned once it is credited', async () => {
    const { api } = checkout(`gid://shopify/Customer/${customer}`);
    const order = devstoreOf(app).createOrder(shop, { customerId: customer, lines: [{ priceMinor: 3_700 }] });
    const orderId = gidNumber(`gid://shopify/OrderIdentity/${order.id}`)!;
    expect((await fetchLoyalty(api, app.url, orderId)).order).toBeNull();
    await deliverAndDrain(app, devstoreOf(app).pay(shop, order.id));
    const view = await fetchLoyalty(api, app.url, orderId);
    expect(view.order).toEqual({ orderId: String(order.id), points: 37, pending: false });
    expect(view.points?.balance).toBe(337);
    const other = checkout('gid://shopify/Customer/7600099').api;
    expect((await fetchLoyalty(other, app.url, orderId)).order).toBeNull();
  });
});

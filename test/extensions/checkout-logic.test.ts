import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { CheckoutRefused } from '../../devstore/devstore.js';
import { signSessionToken } from '../../devstore/session-token.js';
import {
  appliedRewardCode,
  applyHeldCode,
  unusedRewardCodes,
  CODES_LOCKED_MESSAGE,
  checkoutRewards,
  fetchLoyalty,
  gidNumber,
  pointsCostOf,
  redeemAndApply,
  type CheckoutApi,
} from '../../extensions/tally-checkout/src/loyalty.js';
import { startTestApp, type TestApp } from '../support/app.js';
import { deliverAndDrain, devstoreOf, grantPoints, installShop, proxy } from '../support/shopify.js';

/**
 * The checkout and thank-you extensions' logic, with Shopify's `shopify` global stubbed at its
 * boundary: session tokens are real (signed as Shopify signs checkout tokens) and the backend is
 * the real app; applying a code goes through the devstore checkout's own rules.
 */
describe('checkout extension logic against the real backend', () => {
  let app: TestApp;
  const shop = 'checkout-ext.myshopify.com';
  const customer = 7_600_001;
  const draftBuyer = 7_600_002;

  beforeAll(async () => {
    app = await startTestApp('checkout-ext');
    await installShop(app, shop);
    await deliverAndDrain(app, [devstoreOf(app).addCustomer(shop, { id: customer }), devstoreOf(app).addCustomer(shop, { id: draftBuyer })]);
    await grantPoints(app, shop, customer, 800);
    await grantPoints(app, shop, draftBuyer, 800);
  });
  afterAll(async () => {
    await app.close();
  });
  afterEach(() => {
    vi.restoreAllMocks();
  });

  /** A checkout whose cart instructions allow discount codes unless told otherwise (draft orders do not). */
  function checkout(sub: string | undefined, options: { secret?: string; canUpdateDiscountCodes?: boolean } = {}) {
    const applied: string[] = [];
    const canUpdateDiscountCodes = options.canUpdateDiscountCodes ?? true;
    // The checkout's buyer, as the token's sub names them (a guest's checkout is the default customer's).
    const buyer = sub ? Number(sub.slice(sub.lastIndexOf('/') + 1)) : customer;
    const api: CheckoutApi = {
      sessionToken: {
        get: async () =>
          signSessionToken({
            shop,
            apiKey: app.config.shopifyApiKey,
            apiSecret: options.secret ?? app.config.shopifyApiSecret,
            claims: { iss: undefined, sid: undefined, dest: shop, sub },
          }),
      },
      instructions: { value: { discounts: { canUpdateDiscountCodes } } },
      discountCodes: {
        get value() {
          return applied.map((code) => ({ code }));
        },
      },
      applyDiscountCodeChange: async (change) => {
        // As Shopify documents: the change is refused when the instructions forbid discount code changes.
        if (!canUpdateDiscountCodes) return { type: 'error', message: 'Discount codes cannot be changed in this checkout' };
        try {
          devstoreOf(app).createOrder(shop, { customerId: buyer, lines: [{ priceMinor: 1_000 }], discountCode: change.code });
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

  it('shows a reward at the buyer’s price (a tier perk) when the view carries one, the catalogue’s otherwise', async () => {
    const view = await fetchLoyalty(checkout(`gid://shopify/Customer/${customer}`).api, app.url);
    const [fiveOff] = checkoutRewards(view);
    expect(pointsCostOf(view, fiveOff!)).toBe(fiveOff!.pointsCost);
    expect(pointsCostOf({ ...view, rewardCosts: { [fiveOff!.id]: 450 } }, fiveOff!)).toBe(450);
  });

  it('redeems through the app and applies the code with applyDiscountCodeChange', async () => {
    const { api, applied } = checkout(`gid://shopify/Customer/${customer}`);
    const outcome = await redeemAndApply(api, app.url, 'five-off', 'checkout-test-0001');
    expect(outcome).toMatchObject({ ok: true, balance: 300 });
    expect(applied).toEqual([outcome.ok ? outcome.code : '']);
    const again = await redeemAndApply(api, app.url, 'five-off', 'checkout-test-0002');
    expect(again).toEqual({ ok: false, message: 'Not enough points for this reward' });
  });

  it('while a reward code of the shopper is applied, no second redemption is offered; an unused code is offered to apply instead', async () => {
    const buyer = 7_600_003;
    await deliverAndDrain(app, [devstoreOf(app).addCustomer(shop, { id: buyer })]);
    await grantPoints(app, shop, buyer, 1_000);
    // A code redeemed in the storefront's launcher earlier, not used yet.
    const earlier = await proxy(app, shop, '/redemptions', { customerId: buyer, method: 'POST', body: { rewardId: 'five-off' } });
    expect(earlier.status).toBe(201);
    const { code } = (await earlier.json()) as { code: string };

    const { api, applied } = checkout(`gid://shopify/Customer/${buyer}`);
    let view = await fetchLoyalty(api, app.url);
    expect(appliedRewardCode(view, api)).toBeNull();
    expect(unusedRewardCodes(view, api).map((held) => held.code)).toEqual([code]);
    expect(await applyHeldCode(api, code)).toEqual({ ok: true });
    expect(applied).toEqual([code]);
    view = await fetchLoyalty(api, app.url);
    expect(view.points?.balance).toBe(500);
    expect(appliedRewardCode(view, api)).toBe(code);
    expect(unusedRewardCodes(view, api)).toEqual([]);
  });

  it('a guest checkout and a forged token cannot redeem', async () => {
    expect(await redeemAndApply(checkout(undefined).api, app.url, 'free-shipping', 'checkout-test-0003')).toEqual({
      ok: false,
      message: 'Log in to redeem points',
    });
    await expect(fetchLoyalty(checkout(`gid://shopify/Customer/${customer}`, { secret: 'forged-secret' }).api, app.url)).rejects.toThrow(
      /Invalid session token/,
    );
  });

  it('a checkout that refuses discount codes (a draft order’s) is never sent a redemption, so no points are debited', async () => {
    const { api, applied } = checkout(`gid://shopify/Customer/${draftBuyer}`, { canUpdateDiscountCodes: false });
    const requests = vi.spyOn(globalThis, 'fetch');
    const outcome = await redeemAndApply(api, app.url, 'free-shipping', 'checkout-test-draft-0001');
    expect(outcome).toEqual({ ok: false, message: CODES_LOCKED_MESSAGE });
    expect(requests.mock.calls.map(([url]) => String(url)).filter((url) => url.includes('/extensions/redemptions'))).toEqual([]);
    expect(applied).toEqual([]);
    const view = await fetchLoyalty(checkout(`gid://shopify/Customer/${draftBuyer}`).api, app.url);
    expect(view.points?.balance).toBe(800);
    expect(view.codes).toEqual([]);
  });

  it('the thank-you page learns what the order earned once it is credited', async () => {
    const { api } = checkout(`gid://shopify/Customer/${customer}`);
    const order = devstoreOf(app).createOrder(shop, { customerId: customer, lines: [{ priceMinor: 3_700 }] });
    const orderId = gidNumber(`gid://shopify/OrderIdentity/${order.id}`)!;
    expect((await fetchLoyalty(api, app.url, orderId)).order).toBeNull();
    await deliverAndDrain(app, devstoreOf(app).pay(shop, order.id));
    const view = await fetchLoyalty(api, app.url, orderId);
    expect(view.order).toEqual({ orderId: String(order.id), points: 37, pending: false, pointsSpent: 0 });
    expect(view.points?.balance).toBe(337);
    const other = checkout('gid://shopify/Customer/7600099').api;
    expect((await fetchLoyalty(other, app.url, orderId)).order).toBeNull();
  });
});

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CHECKOUT_FUNCTION_HANDLE, ensureCheckoutDiscount } from '../../server/redemption/index.js';
import { startTestApp, type TestApp } from '../support/app.js';
import { devstoreOf, installShop } from '../support/shopify.js';

/** Shopify runs the Discount Function only under a discount that names it: install creates one, once. */
describe('the automatic app discount for checkout points holds', () => {
  let app: TestApp;
  const shop = 'checkout-discount.myshopify.com';

  beforeAll(async () => {
    app = await startTestApp('checkout-discount');
    await installShop(app, shop);
  });
  afterAll(async () => {
    await app.close();
  });

  it('is created at install for the tally-discount function, as an order discount', () => {
    expect(devstoreOf(app).shop(shop)!.automaticDiscounts).toEqual([
      expect.objectContaining({ functionHandle: CHECKOUT_FUNCTION_HANDLE, discountClasses: ['ORDER'] }),
    ]);
  });

  it('is created once, however often installs run at the same time', async () => {
    await Promise.all(Array.from({ length: 5 }, () => ensureCheckoutDiscount(app.ctx, shop, new Date())));
    expect(devstoreOf(app).shop(shop)!.automaticDiscounts).toHaveLength(1);
  });
});

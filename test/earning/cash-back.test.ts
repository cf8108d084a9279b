import { Types } from 'mongoose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Devstore } from '../../devstore/devstore.js';
import { CASH_BACK_STALE_MS, reconcileCashBack } from '../../server/earning/index.js';
import { cashBackEffectModel } from '../../server/earning/store.js';
import { claimEffect } from '../../server/platform/atomic.js';
import { formatAmount } from '../../server/platform/money.js';
import { adminClientFor } from '../../server/shops/index.js';
import { STORE_CREDIT_ACCOUNT_CREDIT } from '../../server/shopify/operations.js';
import { startTestApp, type TestApp } from '../support/app.js';
import { deliverAndDrain, devstoreOf, installShop } from '../support/shopify.js';

/**
 * A process that claimed an order's cash back and died before recording the outcome leaves the
 * claim pending; the hourly reconciliation settles it: found on Shopify, or credited once.
 */
describe('cash back claims left by a crash', () => {
  let app: TestApp;
  let devstore: Devstore;
  const shop = 'cash-back.myshopify.com';

  beforeAll(async () => {
    app = await startTestApp('cash-back');
    devstore = devstoreOf(app);
    await installShop(app, shop);
    await deliverAndDrain(app, [devstore.addCustomer(shop, { id: 8_300_001 }), devstore.addCustomer(shop, { id: 8_300_002 })]);
  });
  afterAll(async () => {
    await app.close();
  });

  const crashedClaim = (customerId: number, orderId: string, at: Date) =>
    claimEffect(cashBackEffectModel(app.connection), {
      shop,
      key: `cash_back:order:${orderId}`,
      intent: { customerId: String(customerId), amount: 246, currency: 'USD', orderId, firstClaimedAt: at.toISOString() },
      now: at,
    });

  it('completes a claim whose credit reached Shopify before the crash, without crediting again', async () => {
    const claimedAt = new Date();
    await crashedClaim(8_300_001, '7001', claimedAt);
    // The credit went through; the process died before it could record that.
    await adminClientFor(app.ctx)(shop, STORE_CREDIT_ACCOUNT_CREDIT, {
      id: 'gid://shopify/Customer/8300001',
      creditInput: { creditAmount: { amount: formatAmount({ amount: 246, currency: 'USD' }), currencyCode: 'USD' } },
    });
    const later = new Date(claimedAt.getTime() + CASH_BACK_STALE_MS + 60_000);
    const runs = await Promise.all([reconcileCashBack(app.ctx, shop, later), reconcileCashBack(app.ctx, shop, later)]);
    expect(runs.reduce((sum, settled) => sum + settled, 0)).toBe(1);
    expect(devstore.shop(shop)!.storeCredit.get(8_300_001)).toBe(246);
    expect(await cashBackEffectModel(app.connection).findOne({ shop, key: 'cash_back:order:7001' }).lean()).toMatchObject({
      state: 'done',
      outcome: { credited: true, reconciled: true },
    });
  });

  it('credits once a claim whose call never reached Shopify, however many reconcilers run', async () => {
    const claimedAt = new Date();
    await crashedClaim(8_300_002, '7002', claimedAt);
    const later = new Date(claimedAt.getTime() + CASH_BACK_STALE_MS + 60_000);
    await Promise.all(Array.from({ length: 4 }, () => reconcileCashBack(app.ctx, shop, later)));
    await reconcileCashBack(app.ctx, shop, new Date(later.getTime() + CASH_BACK_STALE_MS * 2));
    expect(devstore.shop(shop)!.storeCredit.get(8_300_002)).toBe(246);
  });

  it('leaves a claim alone while its holder may still be working', async () => {
    const claimedAt = new Date();
    await crashedClaim(8_300_002, '7003', claimedAt);
    expect(await reconcileCashBack(app.ctx, shop, new Date(claimedAt.getTime() + 60_000))).toBe(0);
    expect(await cashBackEffectModel(app.connection).findOne({ shop, key: 'cash_back:order:7003' }).lean()).toMatchObject({
      state: 'pending',
      _id: expect.any(Types.ObjectId),
    });
  });
});

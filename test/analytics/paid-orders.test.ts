import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { analyticsFor, recordPaidOrder } from '../../server/analytics/index.js';
import { paidOrderModel } from '../../server/analytics/store.js';
import { ensureIndexes } from '../../server/indexes.js';
import { applyEntry } from '../../server/ledger/index.js';
import { ensureDefaultProgram } from '../../server/program/index.js';
import { testContext } from '../support/context.js';

describe('recordPaidOrder and the order-day aggregates', () => {
  let now = new Date('2026-11-10T12:00:00Z');
  let ctx: Awaited<ReturnType<typeof testContext>>;
  const shop = 'paid-orders.myshopify.com';
  beforeAll(async () => {
    ctx = await testContext('paid-orders', () => now);
    await ensureIndexes(ctx.connection);
    await ensureDefaultProgram(ctx.connection, shop, 'USD', now);
    await applyEntry(
      ctx.connection,
      { shop, customerId: '1', key: 'earn:order:100', type: 'earn', available: 50, pending: 0, reason: 'order', source: 'test', guard: 'none' },
      now,
    );
  });
  afterAll(async () => {
    await ctx.connection.close();
  });

  it('records an order once however often it is called, and calls a buyer with a ledger account a member', async () => {
    const order = { shop, orderId: '100', customerId: '1', amount: 5_000, currency: 'USD', paidAt: now };
    const results = await Promise.all([recordPaidOrder(ctx, order), recordPaidOrder(ctx, order), recordPaidOrder(ctx, order)]);
    expect(results.filter((result) => result.recorded)).toHaveLength(1);
    // A redelivery that came with another amount does not replace the order recorded first.
    expect((await recordPaidOrder(ctx, { ...order, amount: 9_999 })).recorded).toBe(false);
    expect(await paidOrderModel(ctx.connection).countDocuments({ shop, orderId: '100' })).toBe(1);
    expect((await recordPaidOrder(ctx, { ...order, orderId: '101', customerId: '2' })).member).toBe(false);
    expect((await recordPaidOrder(ctx, { ...order, orderId: '102', customerId: null })).member).toBe(false);
    const analytics = (await analyticsFor(ctx, shop, { from: '2026-11-10', to: '2026-11-10' }, now))!;
    expect(analytics.memberRevenue).toBe(5_000);
    expect(analytics.nonMemberRevenue).toBe(10_000);
  });

  it('counts an order recorded after its day was sealed', async () => {
    now = new Date('2026-11-13T12:00:00Z');
    const before = (await analyticsFor(ctx, shop, { from: '2026-11-10', to: '2026-11-13' }, now))!;
    await recordPaidOrder(ctx, { shop, orderId: '103', customerId: null, amount: 700, currency: 'USD', paidAt: new Date('2026-11-10T23:59:00Z') });
    const after = (await analyticsFor(ctx, shop, { from: '2026-11-10', to: '2026-11-13' }, now))!;
    expect(after.nonMemberRevenue).toBe(before.nonMemberRevenue + 700);
    expect(after.series.find((point) => point.start === '2026-11-10')!.nonMemberOrders).toBe(3);
  });

  it("serves today's sums for a minute after a recompute, then recomputes them", async () => {
    now = new Date('2026-11-14T09:00:00Z');
    const range = { from: '2026-11-14', to: '2026-11-14' };
    expect((await analyticsFor(ctx, shop, range, now))!.nonMemberOrders).toBe(0);
    await recordPaidOrder(ctx, { shop, orderId: '104', customerId: null, amount: 900, currency: 'USD', paidAt: now });
    expect((await analyticsFor(ctx, shop, range, new Date(now.getTime() + 30_000)))!.nonMemberOrders).toBe(0);
    expect((await analyticsFor(ctx, shop, range, new Date(now.getTime() + 61_000)))!.nonMemberRevenue).toBe(900);
  });
});

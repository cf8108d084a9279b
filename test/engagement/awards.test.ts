import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { awardsView, creditSignUp, engagementCollections, recordPaidOrder } from '../../server/engagement/index.js';
import { balanceOf } from '../../server/ledger/index.js';
import { ledgerEntryModel } from '../../server/ledger/store.js';
import type { AppContext } from '../../server/platform/context.js';
import { defaultProgram, type Program } from '../../server/program/index.js';
import { testContext } from '../support/context.js';

describe('badges and challenges: awarded exactly once, shown to the shopper', () => {
  let ctx: AppContext;
  const shop = 'awards.myshopify.com';
  const base = defaultProgram('USD');
  const program: Program = {
    ...base,
    badges: base.badges.map((badge) => ({ ...badge, points: badge.id === 'first-order' ? 10 : badge.id === 'five-orders' ? 50 : 0 })),
    challenges: [
      {
        id: 'march',
        name: '3 orders in March: +200',
        orders: 3,
        points: 200,
        startsAt: '2026-03-01T00:00:00.000Z',
        endsAt: '2026-04-01T00:00:00.000Z',
      },
    ],
    actions: { ...base.actions, signup: { enabled: true, points: 20 } },
  };

  beforeAll(async () => {
    ctx = await testContext('engagement-awards');
    await Promise.all([...engagementCollections, ledgerEntryModel].map((model) => model(ctx.connection).createIndexes()));
  });
  afterAll(async () => {
    await ctx.connection.close();
  });

  // `paidOrders`: the customer's count after the order, as the credited ledger entry carries it.
  const order = (customerId: string, orderId: string, paidAt: string, paidOrders: number) =>
    recordPaidOrder(ctx, program, { shop, customerId, orderId, paidAt: new Date(paidAt), paidOrders }, new Date(paidAt));

  it('the first order badge and its points land once, however many deliveries race', async () => {
    const results = await Promise.all(Array.from({ length: 10 }, () => order('1', '100', '2026-02-10T10:00:00Z', 1)));
    expect(results.flat().filter((id) => id === 'badge:first-order')).toHaveLength(1);
    expect((await balanceOf(ctx.connection, shop, '1')).available).toBe(10);
  });

  it('five orders earn the five-order badge; three March orders complete the challenge, February ones do not count', async () => {
    await order('1', '101', '2026-02-20T10:00:00Z', 2);
    await order('1', '102', '2026-03-02T10:00:00Z', 3);
    await order('1', '103', '2026-03-15T10:00:00Z', 4);
    expect((await balanceOf(ctx.connection, shop, '1')).available).toBe(10);
    const fifth = await order('1', '104', '2026-03-30T10:00:00Z', 5);
    expect(fifth.sort()).toEqual(['badge:five-orders', 'challenge:march']);
    expect((await balanceOf(ctx.connection, shop, '1')).available).toBe(10 + 50 + 200);
    const view = await awardsView(ctx, program, shop, '1', new Date('2026-03-31T00:00:00Z'));
    expect(view.badges.filter((badge) => badge.earned).map((badge) => badge.id)).toEqual(['first-order', 'five-orders']);
    expect(view.challenges).toEqual([expect.objectContaining({ id: 'march', progress: 3, completed: true, active: true })]);
    expect(await order('1', '104', '2026-03-30T10:00:00Z', 5)).toEqual([]);
  });

  it('the sign-up bonus is credited once per customer, and not at all when off', async () => {
    const credits = await Promise.all(Array.from({ length: 5 }, () => creditSignUp(ctx, program, shop, '2', new Date('2026-01-01T00:00:00Z'))));
    expect(credits.filter((points) => points > 0)).toEqual([20]);
    expect(await creditSignUp(ctx, base, shop, '3', new Date('2026-01-01T00:00:00Z'))).toBe(0);
    expect((await balanceOf(ctx.connection, shop, '3')).available).toBe(0);
  });
});

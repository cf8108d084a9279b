import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Devstore } from '../../devstore/devstore.js';
import type { Program } from '../../server/program/index.js';
import { backfillQualifyingHistory, historyFromRecords, tierJobs, type OrderLedgerEntry, type Tier } from '../../server/tiers/index.js';
import { tierEventModel } from '../../server/tiers/store.js';
import { startTestApp, type TestApp } from '../support/app.js';
import { api, deliverAndDrain, devstoreOf, installShop, proxy } from '../support/shopify.js';

const noPerks = { rewardDiscountPercent: 0, freeShipping: false, birthdayBonus: 0 };
const tiers: Tier[] = [
  { id: 'bronze', name: 'Bronze', threshold: 0, earnMultiplier: 1, entryReward: 0, perks: noPerks },
  { id: 'silver', name: 'Silver', threshold: 10_000, earnMultiplier: 1.5, entryReward: 0, perks: noPerks },
  { id: 'gold', name: 'Gold', threshold: 50_000, earnMultiplier: 2, entryReward: 0, perks: noPerks },
];

describe('history before tiers: a rebuilt history from order records and the ledger', () => {
  const paidAt = new Date('2026-03-01T10:00:00Z');
  const entry = (key: string, available: number, seq: number, extra: Partial<OrderLedgerEntry> = {}): OrderLedgerEntry => ({
    key,
    type: key.startsWith('earn:') ? 'earn' : 'reverse',
    orderId: '1',
    available,
    pending: 0,
    shortfall: 0,
    seq,
    createdAt: new Date(paidAt.getTime() + seq * 3_600_000),
    ...extra,
  });
  const cancels = (key: string, orderId: string) => key === `cancel:order:${orderId}`;

  it('a partial refund takes back its points and the same share of the money; the refund of the last point takes back the order', () => {
    const history = historyFromRecords(
      [{ orderId: '1', customerId: '7', amount: 20_000, paidAt }],
      [entry('earn:order:1', 200, 1), entry('reverse:refund:5', -50, 2), entry('reverse:refund:6', -120, 3, { shortfall: 30 })],
      cancels,
    );
    expect(history.map(({ key, points, spend, orders }) => [key, points, spend, orders])).toEqual([
      ['order:1', 200, 20_000, 1],
      ['reversal:reverse:refund:5', -50, -5_000, 0],
      ['reversal:reverse:refund:6', -150, -15_000, -1],
    ]);
  });

  it('a cancellation takes back what is left of the order, and an order that earned nothing still counts its money', () => {
    const history = historyFromRecords(
      [
        { orderId: '1', customerId: '7', amount: 20_000, paidAt },
        { orderId: '2', customerId: '7', amount: 4_000, paidAt },
      ],
      [entry('earn:order:1', 200, 1), entry('reverse:refund:5', -100, 2), entry('cancel:order:1', -100, 3)],
      cancels,
    );
    expect(history.map(({ key, points, spend, orders }) => [key, points, spend, orders])).toEqual([
      ['order:1', 200, 20_000, 1],
      ['reversal:reverse:refund:5', -100, -10_000, 0],
      ['reversal:cancel:order:1', -100, -10_000, -1],
      ['order:2', 0, 4_000, 1],
    ]);
  });
});

describe('switching tiers on places customers by the orders they paid before (backfill job)', () => {
  let app: TestApp;
  let devstore: Devstore;
  const shop = 'tiers-backfill.myshopify.com';
  const regular = 9_500_001;
  const refunded = 9_500_002;
  const cancelled = 9_500_003;
  const big = 9_500_004;
  const later = 9_500_005;

  beforeAll(async () => {
    app = await startTestApp('tiers-backfill');
    devstore = devstoreOf(app);
    await installShop(app, shop);
    await deliverAndDrain(
      app,
      [regular, refunded, cancelled, big, later].map((id) => devstore.addCustomer(shop, { id })),
    );
  });
  afterAll(async () => {
    await app.close();
  });

  async function paid(customerId: number, priceMinor: number): Promise<number> {
    const order = devstore.createOrder(shop, { customerId, lines: [{ priceMinor }] });
    await deliverAndDrain(app, devstore.pay(shop, order.id));
    return order.id;
  }

  async function saveProgram(change: Partial<Program>): Promise<void> {
    const current = (await (await api(app, shop, '/program')).json()) as Program;
    const response = await api(app, shop, '/program', { method: 'PUT', body: { ...current, ...change } });
    expect(response.status).toBe(200);
  }

  async function tierOf(customerId: number): Promise<string | null> {
    const response = await proxy(app, shop, '/customer', { customerId });
    return ((await response.json()) as { tier: { id: string } | null }).tier?.id ?? null;
  }

  const eventsOfShop = () => tierEventModel(app.connection).countDocuments({ shop });

  it('before tiers exist, paid orders, refunds and cancellations record no qualifying history', async () => {
    await paid(regular, 6_000);
    await paid(regular, 6_000);
    const refundedOrder = await paid(refunded, 15_000);
    await deliverAndDrain(app, devstore.refund(shop, refundedOrder));
    const cancelledOrder = await paid(cancelled, 20_000);
    await deliverAndDrain(app, devstore.cancel(shop, cancelledOrder));
    await paid(big, 60_000);
    expect(await eventsOfShop()).toBe(0);
  });

  it('once tiers are on, everyone starts at the bottom until the backfill runs, then holds the tier their history earns', async () => {
    await saveProgram({ tiers, tierRules: { metric: 'spend', period: 'lifetime', downgrade: 'immediate', graceDays: 0 } });
    expect(await tierOf(big)).toBe('bronze');

    const result = await backfillQualifyingHistory(app.ctx, shop, new Date());
    // 5 orders, the refund and the cancellation.
    expect(result).toEqual({ events: 7, customers: 4 });
    expect(await tierOf(regular)).toBe('silver');
    expect(await tierOf(refunded)).toBe('bronze');
    expect(await tierOf(cancelled)).toBe('bronze');
    expect(await tierOf(big)).toBe('gold');
  });

  it('runs once per program version, and an order recorded live is never counted twice', async () => {
    expect(await backfillQualifyingHistory(app.ctx, shop, new Date())).toBeNull();
    await paid(later, 12_000);
    const recorded = await eventsOfShop();
    expect(recorded).toBe(8);
    await saveProgram({
      tierRules: { metric: 'points', period: 'lifetime', downgrade: 'immediate', graceDays: 0 },
      tiers: tiers.map((tier) => ({ ...tier, threshold: tier.threshold / 100 })),
    });
    expect(await backfillQualifyingHistory(app.ctx, shop, new Date())).toEqual({ events: 0, customers: 0 });
    expect(await eventsOfShop()).toBe(recorded);
    // Under points: the refunded order's points came back off, the big order's 600 points are Gold.
    expect(await tierOf(refunded)).toBe('bronze');
    expect(await tierOf(big)).toBe('gold');
    expect(await tierOf(later)).toBe('silver');
  });

  it('is one of the tiers jobs, hourly, so the scheduler runs it without a merchant action', () => {
    expect(tierJobs.find((job) => job.name === 'tiers-backfill')?.period).toBe('hour');
  });
});

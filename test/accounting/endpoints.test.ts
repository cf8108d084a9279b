import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Devstore } from '../../devstore/devstore.js';
import type { WebhookEvent } from '../../devstore/webhooks.js';
import { recordPaidOrder } from '../../server/analytics/index.js';
import { parseAmount } from '../../server/platform/money.js';
import { startTestApp, type TestApp } from '../support/app.js';
import { api, deliverAndDrain, devstoreOf, grantPoints, installShop } from '../support/shopify.js';

interface Daily {
  currency: string;
  pointValue: number;
  days: Array<{
    date: string;
    opening: number;
    earned: number;
    redeemed: number;
    reversed: number;
    expired: number;
    adjusted: number;
    closing: number;
    closingValue: number;
  }>;
  liability: number;
  breakageRate: number;
  breakageMethod: string;
}

interface AnalyticsBody {
  members: number;
  activeMembers: number;
  participationRate: number;
  redemptionRate: number;
  pointsIssued: number;
  pointsRedeemed: number;
  memberRevenue: number;
  nonMemberRevenue: number;
  programCost: number;
  orders: number;
  revenue: number;
  refunded: number;
  roi: number | null;
  currency: string;
  series: Array<{ start: string; memberRevenue: number; pointsIssued: number }>;
}

const paidPayload = (event: WebhookEvent) =>
  event.payload as {
    id: number;
    customer: { id: number } | null;
    current_subtotal_price_set: { shop_money: { amount: string; currency_code: string } };
  };

describe('GET /api/accounting/daily and GET /api/analytics, from orders paid through signed webhooks', () => {
  let app: TestApp;
  let devstore: Devstore;
  let now = new Date('2026-11-02T10:00:00Z');
  const shop = 'accounts.myshopify.com';

  beforeAll(async () => {
    app = await startTestApp('accounting-endpoints', {}, { clock: () => now });
    devstore = devstoreOf(app);
    await installShop(app, shop);
    await deliverAndDrain(app, [
      devstore.addCustomer(shop, { id: 501 }),
      devstore.addCustomer(shop, { id: 502 }),
      devstore.addCustomer(shop, { id: 503 }),
    ]);
  });
  afterAll(async () => {
    await app.close();
  });

  /** Pays an order through the webhook and records it for analytics as the orders/paid handler is to do. */
  async function pay(customerId: number | null, lines: Array<{ priceMinor: number; quantity?: number }>, discountCode?: string) {
    const order = devstore.createOrder(shop, { customerId, lines, discountCode });
    const events = devstore.pay(shop, order.id);
    await deliverAndDrain(app, events);
    const paid = paidPayload(events.find((event) => event.topic === 'orders/paid')!);
    const money = paid.current_subtotal_price_set.shop_money;
    await recordPaidOrder(app.ctx, {
      shop,
      orderId: String(paid.id),
      customerId: paid.customer ? String(paid.customer.id) : null,
      amount: parseAmount(money.amount, money.currency_code).amount,
      currency: money.currency_code,
      paidAt: now,
    });
    return order;
  }

  async function balance(customerId: number): Promise<number> {
    return ((await (await api(app, shop, `/customers/${customerId}`)).json()) as { points: { balance: number } }).points.balance;
  }

  it('books earning, refunds, goodwill and a redemption on their days and closes on the sum of all balances', async () => {
    const big = await pay(501, [{ priceMinor: 6_000, quantity: 2 }]);
    await pay(502, [{ priceMinor: 4_550 }]);
    await pay(null, [{ priceMinor: 3_000 }]);
    await pay(503, [{ priceMinor: 50 }]);

    now = new Date('2026-11-03T09:00:00Z');
    await deliverAndDrain(app, devstore.refund(shop, big.id, [{ lineId: big.lines[0]!.id, quantity: 1 }]));
    const goodwill = await api(app, shop, '/customers/502/adjustments', {
      method: 'POST',
      body: { points: 25, reason: 'Late parcel, ticket #4411' },
    });
    expect(goodwill.status).toBe(201);

    now = new Date('2026-11-04T15:00:00Z');
    await grantPoints(app, shop, 501, 500);
    const redeemed = await api(app, shop, '/customers/501/redemptions', {
      method: 'POST',
      body: { rewardId: 'five-off', requestKey: 'accounting-test-1' },
    });
    expect(redeemed.status).toBe(201);
    // The code is used on a $20 order: $5 off, so it earns 15 points and the program has given $5.
    await pay(501, [{ priceMinor: 2_000 }], ((await redeemed.json()) as { code: string }).code);

    const response = await api(app, shop, '/accounting/daily?from=2026-11-01&to=2026-11-04');
    expect(response.status).toBe(200);
    const report = (await response.json()) as Daily;
    expect(report.currency).toBe('USD');
    // The default catalog's best fixed-value reward: $5 (500 cents) for 500 points.
    expect(report.pointValue).toBe(1_000);
    const [empty, first, second, third] = report.days;
    expect(empty).toMatchObject({ date: '2026-11-01', opening: 0, closing: 0 });
    expect(first).toMatchObject({ date: '2026-11-02', opening: 0, earned: 120 + 45, closing: 165 });
    expect(second).toMatchObject({ date: '2026-11-03', reversed: 60, adjusted: 25, closing: 165 - 60 + 25 });
    expect(third).toMatchObject({ date: '2026-11-04', adjusted: 500, redeemed: 500 });
    for (const day of report.days) expect(day.closing).toBe(day.opening + day.earned - day.redeemed - day.reversed - day.expired + day.adjusted);
    const balances = (await balance(501)) + (await balance(502)) + (await balance(503));
    expect(third!.closing).toBe(balances);
    expect(third!.closingValue).toBe(balances);
    expect(report.liability).toBe(balances);
    expect(report.breakageRate).toBe(0);
    expect(report.breakageMethod).toMatch(/expired/);

    const csv = await api(app, shop, '/accounting/daily?from=2026-11-02&to=2026-11-04&format=csv');
    expect(csv.headers.get('content-type')).toMatch(/^text\/csv/);
    const lines = (await csv.text()).trim().split('\r\n');
    expect(lines[0]).toBe('date,opening,earned,redeemed,reversed,expired,adjusted,closing,closingValue,currency,pointValuePer1000');
    expect(lines.slice(1).map((line) => line.split(',')[0])).toEqual(['2026-11-02', '2026-11-03', '2026-11-04']);
    expect(lines[3]!.split(',')[7]).toBe(String(balances));
  });

  it('splits revenue between members and everyone else, and prices the program against it', async () => {
    const response = await api(app, shop, '/analytics?from=2026-11-02&to=2026-11-04');
    expect(response.status).toBe(200);
    const analytics = (await response.json()) as AnalyticsBody;
    expect(analytics.currency).toBe('USD');
    expect(analytics.members).toBe(2);
    expect(analytics.activeMembers).toBe(2);
    expect(analytics.participationRate).toBe(1);
    expect(analytics.pointsIssued).toBe(165 + 15);
    expect(analytics.pointsRedeemed).toBe(500);
    expect(analytics.redemptionRate).toBe(Math.round((500 / 180) * 10_000) / 10_000);
    // Members 501 ($120, $60 of it refunded, then $15 after the reward's $5) and 502 ($45.50); a guest ($30) and 503, whose order earned nothing ($0.50).
    expect(analytics.memberRevenue).toBe(12_000 - 6_000 + 1_500 + 4_550);
    expect(analytics.nonMemberRevenue).toBe(3_000 + 50);
    expect(analytics).toMatchObject({ orders: 5, revenue: 12_000 - 6_000 + 1_500 + 4_550 + 3_050, refunded: 6_000 });
    // The program's cost is the $5 the code took off the order, not the points redeemed times a value.
    expect(analytics.programCost).toBe(500);
    const incremental = 12_000 - 6_000 + 1_500 + 4_550 - (2 * (3_000 + 50)) / 2;
    expect(analytics.roi).toBe((incremental - 500) / 500);
    expect(analytics.series.map((point) => point.start)).toEqual(['2026-11-02', '2026-11-03', '2026-11-04']);
    // Revenue is net of refunds on the day they are made.
    expect(analytics.series.map((point) => point.memberRevenue)).toEqual([16_550, -6_000, 1_500]);

    const csv = await api(app, shop, '/analytics?from=2026-11-02&to=2026-11-04&format=csv');
    expect((await csv.text()).split('\r\n')[0]).toMatch(/^start,end,pointsIssued/);
  });

  it('shows a customer their orders and the goodwill staff granted, with its ticket', async () => {
    const response = await api(app, shop, '/customers/502/insight');
    expect(response.status).toBe(200);
    const insight = (await response.json()) as {
      orders: number;
      lifetimeValue: number;
      lastOrderAt: string;
      churnRisk: string;
      goodwill: { points: number; adjustments: Array<{ ticket: string | null }> };
    };
    expect(insight).toMatchObject({ orders: 1, lifetimeValue: 4_550, lastOrderAt: '2026-11-02T10:00:00.000Z', churnRisk: 'unknown' });
    expect(insight.goodwill.points).toBe(25);
    expect(insight.goodwill.adjustments.map((adjustment) => adjustment.ticket)).toEqual(['ticket #4411']);
  });

  it('refuses a range that is not one: 422 naming the field', async () => {
    const reversed = await api(app, shop, '/accounting/daily?from=2026-11-04&to=2026-11-01');
    expect(reversed.status).toBe(422);
    expect(((await reversed.json()) as { errors: Record<string, string> }).errors.from).toBeDefined();
    const notADate = await api(app, shop, '/analytics?from=2026-02-30');
    expect(notADate.status).toBe(422);
    expect(((await notADate.json()) as { errors: Record<string, string> }).errors.from).toBeDefined();
    expect((await api(app, shop, '/customers/abc/insight')).status).toBe(422);
  });
});

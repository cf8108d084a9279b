import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { parse, validate } from 'graphql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { adminSchema } from '../../devstore/shopify-schema.js';
import type { WebhookEvent } from '../../devstore/webhooks.js';
import { backfillOrdersQuery, drainBackfills, importsRouter, readOrdersJsonl } from '../../server/imports/index.js';
import { createApp } from '../../server/platform/http-app.js';
import { ADMIN_API_VERSION } from '../../server/shopify/shop-domain.js';
import { apiRouter } from '../../server/shops/index.js';
import { startTestApp, type TestApp } from '../support/app.js';
import { api, deliverAndDrain, devstoreOf, installShop, sessionToken } from '../support/shopify.js';

interface BackfillStatus {
  status: 'running' | 'done' | 'failed';
  stage: string;
  message: string | null;
  processed: number;
  total: number | null;
  credited: number;
  alreadyCredited: number;
  skipped: number;
  points: number;
  pointsPerCurrencyUnit: number;
}

describe('backfill of past orders through a Shopify bulk operation: POST /api/backfills, GET /api/backfills/{id}', () => {
  let app: TestApp;
  let server: Server;
  let url: string;
  const shop = 'backfill-http.myshopify.com';
  const ada = 9_200_001;
  const grace = 9_200_002;
  const paidEvents = new Map<string, WebhookEvent[]>();

  beforeAll(async () => {
    app = await startTestApp('backfill-http');
    await installShop(app, shop);
    const devstore = devstoreOf(app);
    await deliverAndDrain(app, [
      devstore.addCustomer(shop, { id: ada, email: 'ada@example.com' }),
      devstore.addCustomer(shop, { id: grace, email: 'grace@example.com' }),
    ]);
    // Orders paid before the app was installed: Shopify has them, the app never heard of them.
    const past = (
      name: string,
      createdAt: string,
      input: Parameters<typeof devstore.createOrder>[1],
      change?: (order: ReturnType<typeof devstore.createOrder>) => void,
    ) => {
      const order = devstore.createOrder(shop, input);
      paidEvents.set(name, devstore.pay(shop, order.id));
      order.createdAt = new Date(createdAt);
      change?.(order);
      return order;
    };
    past('ada-1', '2026-03-02T10:00:00Z', { customerId: ada, lines: [{ priceMinor: 5000 }] });
    past('ada-gift', '2026-04-10T10:00:00Z', { customerId: ada, lines: [{ priceMinor: 2000 }, { priceMinor: 10_000, giftCard: true }] });
    past('grace-1', '2026-05-01T10:00:00Z', { customerId: grace, lines: [{ priceMinor: 3050 }] });
    past('before-start', '2025-12-30T10:00:00Z', { customerId: grace, lines: [{ priceMinor: 9900 }] });
    past('guest', '2026-03-03T10:00:00Z', { customerId: null, lines: [{ priceMinor: 4000 }] });
    past('test-order', '2026-03-04T10:00:00Z', { customerId: grace, lines: [{ priceMinor: 4000 }] }, (order) => (order.test = true));
    past(
      'cancelled',
      '2026-03-05T10:00:00Z',
      { customerId: grace, lines: [{ priceMinor: 4000 }] },
      (order) => (order.cancelledAt = new Date('2026-03-06T00:00:00Z')),
    );
    devstore.createOrder(shop, { customerId: grace, lines: [{ priceMinor: 7000 }] }).createdAt = new Date('2026-03-07T10:00:00Z');
    // One order the app credited live, from its orders/paid webhook, before the backfill runs.
    past('live', '2026-06-01T10:00:00Z', { customerId: grace, lines: [{ priceMinor: 1000 }] });
    await deliverAndDrain(app, paidEvents.get('live')!);

    const router = importsRouter(app.ctx, { backfill: { pollMs: 5 } });
    server = createServer(createApp(app.ctx, [apiRouter(app.ctx, [router], [])]));
    await new Promise<void>((resolve) => server.listen(0, resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    await drainBackfills(app.ctx);
    await new Promise<void>((resolve) => server.close(() => resolve()));
    await app.close();
  });

  async function call(path: string, body?: unknown): Promise<Response> {
    return fetch(`${url}/api${path}`, {
      method: body === undefined ? 'GET' : 'POST',
      headers: { Authorization: `Bearer ${sessionToken(app, shop)}`, 'Content-Type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  }

  async function backfill(body: Record<string, unknown>): Promise<BackfillStatus> {
    const posted = await call('/backfills', body);
    expect(posted.status).toBe(202);
    const { id } = (await posted.json()) as { id: string };
    await drainBackfills(app.ctx);
    const status = await call(`/backfills/${id}`);
    expect(status.status).toBe(200);
    return (await status.json()) as BackfillStatus;
  }

  async function balance(customerId: number): Promise<number> {
    const response = await api(app, shop, `/customers/${customerId}`);
    return ((await response.json()) as { points: { balance: number } }).points.balance;
  }

  it("sends a bulk query that Shopify's 2026-10 schema accepts", () => {
    const problems = validate(adminSchema(ADMIN_API_VERSION).schema, parse(backfillOrdersQuery('2026-01-01')));
    expect(problems.map((problem) => problem.message)).toEqual([]);
  });

  it('refuses a start date that is not a date, or in the future, per field', async () => {
    const bad = await call('/backfills', { since: '01/02/2026' });
    expect(bad.status).toBe(422);
    expect(((await bad.json()) as { errors: Record<string, string> }).errors.since).toMatch(/YYYY-MM-DD/);
    const future = await call('/backfills', { since: '2999-01-01' });
    expect(future.status).toBe(422);
    const rate = await call('/backfills', { since: '2026-01-01', pointsPerCurrencyUnit: 0 });
    expect(((await rate.json()) as { errors: Record<string, string> }).errors.pointsPerCurrencyUnit).toMatch(/more than 0/);
  });

  it('credits paid orders since the date at the given rate, skipping guests, test, cancelled and unpaid orders and gift cards', async () => {
    const graceBefore = await balance(grace);
    const result = await backfill({ since: '2026-01-01', pointsPerCurrencyUnit: 2 });
    expect(result).toMatchObject({ status: 'done', total: 8, processed: 8, credited: 3, alreadyCredited: 1, skipped: 4 });
    // ada: 50.00 × 2 = 100, then 20.00 × 2 = 40 (the 100.00 gift card earns nothing); grace: 30.50 × 2 = 61.
    expect(result.points).toBe(201);
    expect(await balance(ada)).toBe(140);
    expect(await balance(grace)).toBe(graceBefore + 61);
  });

  it('a second backfill, and the late orders/paid webhook of a backfilled order, credit nothing again', async () => {
    const [adaBefore, graceBefore] = [await balance(ada), await balance(grace)];
    const again = await backfill({ since: '2025-06-01' });
    // The program's own rate (1 point per unit) now, and one more order in range: the one from 2025-12-30.
    expect(again).toMatchObject({ status: 'done', total: 9, credited: 1, alreadyCredited: 4, pointsPerCurrencyUnit: 1, points: 99 });
    expect(await balance(grace)).toBe(graceBefore + 99);
    await deliverAndDrain(app, paidEvents.get('ada-1')!);
    expect(await balance(ada)).toBe(adaBefore);
  });

  it('a refund of a backfilled order reverses its points as for any credited order', async () => {
    const before = await balance(grace);
    const order = [...devstoreOf(app).shop(shop)!.orders.values()].find((candidate) => candidate.createdAt.toISOString().startsWith('2026-05-01'))!;
    await deliverAndDrain(app, devstoreOf(app).refund(shop, order.id));
    expect(await balance(grace)).toBe(before - 61);
  });

  it("reads Shopify's JSONL with line items as their own lines, and knows another shop's backfill as unknown", async () => {
    const jsonl = [
      JSON.stringify({
        id: 'gid://shopify/Order/1',
        name: '#1',
        createdAt: '2026-01-02T00:00:00Z',
        test: false,
        cancelledAt: null,
        displayFinancialStatus: 'PAID',
        currencyCode: 'JPY',
        taxesIncluded: true,
        customer: { id: 'gid://shopify/Customer/7' },
        currentSubtotalPriceSet: { shopMoney: { amount: '5500', currencyCode: 'JPY' } },
        currentTotalTaxSet: { shopMoney: { amount: '500', currencyCode: 'JPY' } },
      }),
      JSON.stringify({
        id: 'gid://shopify/LineItem/2',
        isGiftCard: true,
        currentQuantity: 2,
        discountedUnitPriceAfterAllDiscountsSet: { shopMoney: { amount: '1000', currencyCode: 'JPY' } },
        __parentId: 'gid://shopify/Order/1',
      }),
    ].join('\n');
    expect(readOrdersJsonl(jsonl)).toEqual([
      expect.objectContaining({ orderId: '1', customerId: '7', subtotal: 5500, includedTax: 500, giftCards: 2000, currency: 'JPY' }),
    ]);
    const other = await fetch(`${url}/api/backfills/nope`, { headers: { Authorization: `Bearer ${sessionToken(app, 'other-shop.myshopify.com')}` } });
    expect([401, 404]).toContain(other.status);
  });
});

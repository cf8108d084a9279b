import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Devstore } from '../../devstore/devstore.js';
import { balanceOf, ledgerEntryModel } from '../../server/ledger/store.js';
import { orderPointsModel } from '../../server/earning/store.js';
import { startTestApp, type TestApp } from '../support/app.js';
import { api, deliverAndDrain, devstoreOf, installShop } from '../support/shopify.js';

interface CustomerView {
  points: { balance: number; pending: number };
  lifetimeEarned: number;
  ledger: Array<{ key: string; type: string; points: number; pending: number; shortfall: number }>;
}

describe('points from orders, through signed webhooks from the devstore', () => {
  let app: TestApp;
  let devstore: Devstore;
  const shop = 'orders.myshopify.com';
  let nextCustomer = 8_000_001;

  beforeAll(async () => {
    app = await startTestApp('orders');
    devstore = devstoreOf(app);
    await installShop(app, shop);
  });
  afterAll(async () => {
    await app.close();
  });

  async function customer(id = nextCustomer++): Promise<number> {
    await deliverAndDrain(app, [devstore.addCustomer(shop, { id })]);
    return id;
  }

  async function view(customerId: number): Promise<CustomerView> {
    return (await (await api(app, shop, `/customers/${customerId}`)).json()) as CustomerView;
  }

  async function ledgerSumMatchesBalance(customerId: number): Promise<void> {
    const entries = await ledgerEntryModel(app.connection)
      .find({ shop, customerId: String(customerId) })
      .sort({ seq: 1 })
      .lean();
    const balance = await balanceOf(app.connection, shop, String(customerId));
    expect(entries.map((entry) => entry.seq)).toEqual(entries.map((_, index) => index + 1));
    expect(entries.reduce((sum, entry) => sum + entry.available, 0)).toBe(balance.available);
    expect(entries.reduce((sum, entry) => sum + entry.pending, 0)).toBe(balance.pending);
  }

  it('credits 1 point per currency unit of the subtotal after discounts, without shipping, taxes, tips and gift cards', async () => {
    const id = await customer();
    const order = devstore.createOrder(shop, {
      customerId: id,
      lines: [
        { priceMinor: 4_250, quantity: 2 },
        { priceMinor: 2_500, giftCard: true },
      ],
      shippingMinor: 900,
      taxMinor: 850,
      tipMinor: 500,
    });
    await deliverAndDrain(app, devstore.pay(shop, order.id));
    const seen = await view(id);
    expect(seen.points).toEqual({ balance: 85, pending: 0 });
    expect(seen.ledger.map((entry) => entry.key)).toEqual([`earn:order:${order.id}`]);
    await ledgerSumMatchesBalance(id);
  });

  it('earns on shop money and keeps the presentment amount for display', async () => {
    const id = await customer();
    const order = devstore.createOrder(shop, { customerId: id, lines: [{ priceMinor: 10_000 }], presentmentCurrency: 'EUR', presentmentRate: 0.9 });
    await deliverAndDrain(app, devstore.pay(shop, order.id));
    expect((await view(id)).points.balance).toBe(100);
    const record = await orderPointsModel(app.connection)
      .findOne({ shop, orderId: String(order.id) })
      .lean();
    expect(record).toMatchObject({ eligible: 10_000, currency: 'USD', presentment: { amount: 9_000, currency: 'EUR' } });
  });

  it('reverses half the points when half the eligible amount is refunded, and the rest on cancellation', async () => {
    const id = await customer();
    const order = devstore.createOrder(shop, { customerId: id, lines: [{ priceMinor: 5_000, quantity: 2 }] });
    await deliverAndDrain(app, devstore.pay(shop, order.id));
    expect((await view(id)).points.balance).toBe(100);

    await deliverAndDrain(app, devstore.refund(shop, order.id, [{ lineId: order.lines[0]!.id, quantity: 1 }]));
    expect((await view(id)).points.balance).toBe(50);

    await deliverAndDrain(app, devstore.cancel(shop, order.id));
    const seen = await view(id);
    expect(seen.points.balance).toBe(0);
    expect(seen.ledger.map((entry) => entry.type).sort()).toEqual(['earn', 'reverse', 'reverse']);
    await ledgerSumMatchesBalance(id);
  });

  it('holds a refund that arrives before the payment and applies it when the order is credited', async () => {
    const id = await customer();
    const order = devstore.createOrder(shop, { customerId: id, lines: [{ priceMinor: 3_000 }, { priceMinor: 1_000 }] });
    const paid = devstore.pay(shop, order.id);
    const refund = devstore.refund(shop, order.id, [{ lineId: order.lines[1]!.id, quantity: 1 }]);
    await deliverAndDrain(app, refund);
    expect((await view(id)).points.balance).toBe(0);
    await deliverAndDrain(app, paid);
    expect((await view(id)).points.balance).toBe(30);
    await ledgerSumMatchesBalance(id);
  });

  it('credits once when every delivery is duplicated three times and shuffled', async () => {
    const id = await customer();
    const events = [];
    for (let index = 0; index < 10; index++) {
      const order = devstore.createOrder(shop, { customerId: id, lines: [{ priceMinor: 1_000 + index * 100 }] });
      events.push(...devstore.pay(shop, order.id));
    }
    await deliverAndDrain(app, events, { duplicate: 3, shuffle: true });
    const expected = Array.from({ length: 10 }, (_, index) => Math.floor((1_000 + index * 100) / 100)).reduce((sum, points) => sum + points, 0);
    const seen = await view(id);
    expect(seen.points.balance).toBe(expected);
    expect(seen.ledger).toHaveLength(10);
    await ledgerSumMatchesBalance(id);
  });

  it('adjusts the points when an order edit changes the eligible amount, once per update', async () => {
    const id = await customer();
    const order = devstore.createOrder(shop, { customerId: id, lines: [{ priceMinor: 2_000, quantity: 3 }] });
    await deliverAndDrain(app, devstore.pay(shop, order.id));
    expect((await view(id)).points.balance).toBe(60);
    const edit = devstore.edit(shop, order.id, [{ lineId: order.lines[0]!.id, quantity: 1 }]);
    await deliverAndDrain(app, edit, { duplicate: 2 });
    const seen = await view(id);
    expect(seen.points.balance).toBe(20);
    expect(seen.ledger.map((entry) => entry.type)).toEqual(['order_edit', 'earn']);
    await ledgerSumMatchesBalance(id);
  });

  it('rounds down and never loses more points than the order earned', async () => {
    const id = await customer();
    const order = devstore.createOrder(shop, { customerId: id, lines: [{ priceMinor: 999 }, { priceMinor: 999 }, { priceMinor: 999 }] });
    await deliverAndDrain(app, devstore.pay(shop, order.id));
    expect((await view(id)).points.balance).toBe(29);
    for (const line of order.lines) await deliverAndDrain(app, devstore.refund(shop, order.id, [{ lineId: line.id, quantity: 1 }]));
    await deliverAndDrain(app, devstore.cancel(shop, order.id));
    expect((await view(id)).points.balance).toBe(0);
    await ledgerSumMatchesBalance(id);
  });

  it('uses the new earn rate for orders paid after PUT /api/program changes it', async () => {
    const id = await customer();
    const program = (await (await api(app, shop, '/program')).json()) as { earning: { pointsPerCurrencyUnit: number } };
    program.earning.pointsPerCurrencyUnit = 2.5;
    const saved = await api(app, shop, '/program', { method: 'PUT', body: program });
    expect(saved.status).toBe(200);
    const order = devstore.createOrder(shop, { customerId: id, lines: [{ priceMinor: 1_010 }] });
    await deliverAndDrain(app, devstore.pay(shop, order.id));
    expect((await view(id)).points.balance).toBe(25);

    const restored = (await saved.json()) as { earning: { pointsPerCurrencyUnit: number } };
    restored.earning.pointsPerCurrencyUnit = 1;
    expect((await api(app, shop, '/program', { method: 'PUT', body: restored })).status).toBe(200);
  });

  it('answers 422 with per-field errors for an invalid program and keeps the stored one', async () => {
    const before = await (await api(app, shop, '/program')).json();
    const response = await api(app, shop, '/program', {
      method: 'PUT',
      body: {
        ...(before as object),
        earning: { ...(before as { earning: object }).earning, pointsPerCurrencyUnit: -1 },
        rewards: [],
        pendingDays: 1.5,
      },
    });
    expect(response.status).toBe(422);
    const body = (await response.json()) as { errors: Record<string, string> };
    expect(Object.keys(body.errors)).toEqual(expect.arrayContaining(['earning.pointsPerCurrencyUnit', 'rewards', 'pendingDays']));
    expect(await (await api(app, shop, '/program')).json()).toEqual(before);
  });

  it('keeps points pending for the return window, takes refunds from pending, then releases the rest', async () => {
    const id = await customer();
    const program = (await (await api(app, shop, '/program')).json()) as { pendingDays: number };
    expect((await api(app, shop, '/program', { method: 'PUT', body: { ...program, pendingDays: 14 } })).status).toBe(200);
    const order = devstore.createOrder(shop, { customerId: id, lines: [{ priceMinor: 6_000 }, { priceMinor: 4_000 }] });
    await deliverAndDrain(app, devstore.pay(shop, order.id));
    expect((await view(id)).points).toEqual({ balance: 0, pending: 100 });
    await deliverAndDrain(app, devstore.refund(shop, order.id, [{ lineId: order.lines[1]!.id, quantity: 1 }]));
    expect((await view(id)).points).toEqual({ balance: 0, pending: 60 });
    await ledgerSumMatchesBalance(id);
    const current = (await (await api(app, shop, '/program')).json()) as object;
    expect((await api(app, shop, '/program', { method: 'PUT', body: { ...current, pendingDays: 0 } })).status).toBe(200);
  });

  it('pays cash back as Shopify store credit, once, beside the points', async () => {
    const id = await customer();
    const current = (await (await api(app, shop, '/program')).json()) as { earning: Record<string, unknown> };
    const cashBack = { ...current, earning: { ...current.earning, cashBack: { enabled: true, percent: 2, insteadOfPoints: false } } };
    expect((await api(app, shop, '/program', { method: 'PUT', body: cashBack })).status).toBe(200);
    const order = devstore.createOrder(shop, { customerId: id, lines: [{ priceMinor: 12_345 }] });
    await deliverAndDrain(app, devstore.pay(shop, order.id), { duplicate: 3 });
    expect(devstore.shop(shop)!.storeCredit.get(id)).toBe(246);
    expect((await view(id)).points.balance).toBe(123);
    const saved = (await (await api(app, shop, '/program')).json()) as { earning: Record<string, unknown> };
    expect(
      (
        await api(app, shop, '/program', {
          method: 'PUT',
          body: { ...saved, earning: { ...saved.earning, cashBack: { enabled: false, percent: 2, insteadOfPoints: false } } },
        })
      ).status,
    ).toBe(200);
  });

  it("applies multipliers by product tag and collection, read from Shopify for the order's products", async () => {
    const id = await customer();
    devstore.addProduct(shop, { id: 9101, title: 'Espresso beans', priceMinor: 1_000, tags: ['coffee'], giftCard: false });
    devstore.addProduct(shop, { id: 9102, title: 'Mug', priceMinor: 1_000, tags: [], collectionIds: [77], giftCard: false });
    devstore.addProduct(shop, { id: 9103, title: 'Filter', priceMinor: 1_000, tags: [], giftCard: false });
    const current = (await (await api(app, shop, '/program')).json()) as { earning: Record<string, unknown> };
    const multipliers = [
      { id: 'coffee', match: { kind: 'tag', value: 'coffee' }, multiplier: 3 },
      { id: 'mugs', match: { kind: 'collection', value: '77' }, multiplier: 2 },
    ];
    expect((await api(app, shop, '/program', { method: 'PUT', body: { ...current, earning: { ...current.earning, multipliers } } })).status).toBe(
      200,
    );
    const order = devstore.createOrder(shop, { customerId: id, lines: [{ productId: 9101 }, { productId: 9102 }, { productId: 9103 }] });
    await deliverAndDrain(app, devstore.pay(shop, order.id));
    expect((await view(id)).points.balance).toBe(30 + 20 + 10);
    const saved = (await (await api(app, shop, '/program')).json()) as { earning: Record<string, unknown> };
    expect((await api(app, shop, '/program', { method: 'PUT', body: { ...saved, earning: { ...saved.earning, multipliers: [] } } })).status).toBe(
      200,
    );
  });

  it('records a manual adjustment with the staff member and reason', async () => {
    const id = await customer();
    const response = await api(app, shop, `/customers/${id}/adjustments`, {
      method: 'POST',
      body: { points: 25, reason: 'Sorry for the late parcel' },
      userId: '4242',
    });
    expect(response.status).toBe(201);
    const entry = await ledgerEntryModel(app.connection)
      .findOne({ shop, customerId: String(id), type: 'adjust' })
      .lean();
    expect(entry).toMatchObject({ staffId: '4242', reason: 'Sorry for the late parcel', available: 25, balance: 25 });
    for (const bad of [{ points: 1.5, reason: 'x' }, { points: 0, reason: 'x' }, { points: 5 }, { points: '5', reason: 'x' }]) {
      expect((await api(app, shop, `/customers/${id}/adjustments`, { method: 'POST', body: bad })).status).toBe(422);
    }
    expect((await view(id)).points.balance).toBe(25);
  });
});

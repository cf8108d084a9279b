import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { metafieldKey, type Devstore } from '../../devstore/devstore.js';
import type { Program } from '../../server/program/index.js';
import { balanceOf } from '../../server/ledger/index.js';
import { ledgerEntryModel } from '../../server/ledger/store.js';
import { findRedemption, releaseExpiredHolds, returnHeldPointsForOrder, settleHoldForOrder } from '../../server/redemption/index.js';
import { holdModel } from '../../server/redemption/store.js';
import { startTestApp, type TestApp } from '../support/app.js';
import { api, deliverAndDrain, devstoreOf, grantPoints, installShop, proxy } from '../support/shopify.js';

interface HoldAnswer {
  holdId: string;
  points: number;
  amount: number;
  currency: string;
  expiresAt: string;
  replayed: boolean;
  published: boolean;
  error?: string;
  message?: string;
}

const MINUTE = 60_000;

describe('points holds: checkout redemption without codes, reserved on the ledger', () => {
  let app: TestApp;
  let devstore: Devstore;
  const shop = 'holds.myshopify.com';
  let nextCustomer = 9_400_001;
  // The app's clock: fixed while a test runs, moved on to pass expiry; it signs the proxy's timestamps too.
  let now = new Date();
  let keys = 0;

  beforeAll(async () => {
    app = await startTestApp('holds', { PROXY_RATE_LIMIT: '10000' }, { clock: () => now });
    devstore = devstoreOf(app);
    await installShop(app, shop);
  });
  afterAll(async () => {
    await app.close();
  });

  async function customerWith(points: number): Promise<number> {
    const id = nextCustomer++;
    await deliverAndDrain(app, [devstore.addCustomer(shop, { id })]);
    if (points > 0) await grantPoints(app, shop, id, points);
    return id;
  }

  const seconds = () => Math.floor(now.getTime() / 1000);
  const requestKey = () => `hold-key-${String(++keys).padStart(4, '0')}`;

  async function hold(customerId: number | null, body: unknown): Promise<{ status: number; body: HoldAnswer }> {
    const response = await proxy(app, shop, '/holds', { customerId, method: 'POST', body, timestamp: seconds() });
    return { status: response.status, body: (await response.json()) as HoldAnswer };
  }

  const entriesOf = (customerId: number) =>
    ledgerEntryModel(app.connection)
      .find({ shop, customerId: String(customerId) })
      .sort({ seq: 1 })
      .lean();
  const balance = async (customerId: number) => (await balanceOf(app.connection, shop, String(customerId))).available;
  /** The holds the Discount Function would read for this customer. */
  function published(customerId: number): Array<{ id: string; points: number; amount: string; currencyCode: string; expiresAt: string }> {
    const value = devstore.shop(shop)!.metafields.get(metafieldKey(`gid://shopify/Customer/${customerId}`, '$app:tally', 'holds'));
    return value === undefined
      ? []
      : (JSON.parse(value) as { holds: Array<{ id: string; points: number; amount: string; currencyCode: string; expiresAt: string }> }).holds;
  }

  it('reserves points: 201 with the hold, the balance less the hold, the hold in the customer’s metafield', async () => {
    const id = await customerWith(1_200);
    const answer = await hold(id, { points: 500, requestKey: requestKey() });
    expect(answer.status).toBe(201);
    expect(answer.body).toMatchObject({
      points: 500,
      amount: 500,
      currency: 'USD',
      expiresAt: new Date(now.getTime() + 30 * MINUTE).toISOString(),
      replayed: false,
      published: true,
    });
    expect(answer.body.holdId).toMatch(/^HOLD-[A-Z2-9]{4}-[A-Z2-9]{4}-[A-Z2-9]{4}$/);
    expect(await balance(id)).toBe(700);
    expect(published(id)).toEqual([{ id: answer.body.holdId, points: 500, amount: '5.00', currencyCode: 'USD', expiresAt: answer.body.expiresAt }]);
    const listed = (await (await proxy(app, shop, '/holds', { customerId: id, timestamp: seconds() })).json()) as {
      balance: number;
      holds: Array<{ holdId: string }>;
      terms: { stepPoints: number; stepAmount: number };
    };
    expect(listed).toMatchObject({ balance: 700, holds: [{ holdId: answer.body.holdId }], terms: { stepPoints: 500, stepAmount: 500 } });
  });

  it('20 simultaneous holds for one customer never reserve more than the balance', async () => {
    const id = await customerWith(1_700);
    const answers = await Promise.all(Array.from({ length: 20 }, () => hold(id, { points: 500, requestKey: requestKey() })));
    const placed = answers.filter((answer) => answer.status === 201);
    expect(placed).toHaveLength(3);
    expect(answers.filter((answer) => answer.status === 409).every((answer) => answer.body.error === 'insufficient_points')).toBe(true);
    expect(answers.filter((answer) => answer.status === 409)).toHaveLength(17);
    expect(await balance(id)).toBe(200);
    const entries = await entriesOf(id);
    expect(entries.filter((entry) => entry.type === 'hold')).toHaveLength(3);
    expect(entries.every((entry) => entry.balance >= 0)).toBe(true);
    expect(
      published(id)
        .map((entry) => entry.id)
        .sort(),
    ).toEqual(placed.map((answer) => answer.body.holdId).sort());
  });

  it('the same request key sent 5 times places one hold', async () => {
    const id = await customerWith(1_000);
    const key = requestKey();
    const answers = await Promise.all(Array.from({ length: 5 }, () => hold(id, { points: 500, requestKey: key })));
    expect(answers.map((answer) => answer.status)).toEqual([201, 201, 201, 201, 201]);
    expect(new Set(answers.map((answer) => answer.body.holdId)).size).toBe(1);
    expect((await entriesOf(id)).filter((entry) => entry.type === 'hold')).toHaveLength(1);
    expect(await balance(id)).toBe(500);
    expect(published(id)).toHaveLength(1);
    const reused = await hold(id, { points: 1_000, requestKey: key });
    expect(reused.status).toBe(422);
    expect(reused.body.error).toBe('request_key_reused');
  });

  it('an unused hold returns its points once at expiry, however often the job runs, and leaves the metafield', async () => {
    const id = await customerWith(800);
    const placed = await hold(id, { points: 500, requestKey: requestKey() });
    const start = now;
    try {
      now = new Date(start.getTime() + 29 * MINUTE);
      expect((await releaseExpiredHolds(app.ctx, shop, now)).released).toBe(0);
      expect(await balance(id)).toBe(300);
      now = new Date(start.getTime() + 31 * MINUTE);
      // Holds earlier tests left open expire now too: the job releases each of them once.
      const due = await holdModel(app.connection).countDocuments({ shop, open: true, expiresAt: { $lte: now } });
      expect(due).toBeGreaterThanOrEqual(1);
      expect((await releaseExpiredHolds(app.ctx, shop, now)).released).toBe(due);
      expect((await releaseExpiredHolds(app.ctx, shop, now)).released).toBe(0);
      expect(await balance(id)).toBe(800);
      const entries = await entriesOf(id);
      expect(entries.filter((entry) => entry.type === 'hold_release').map((entry) => entry.key)).toEqual([`release:hold:${placed.body.holdId}`]);
      expect(published(id)).toEqual([]);
      const settled = await settleHoldForOrder(app.ctx, { shop, orderId: '5550001', customerId: String(id), holdId: placed.body.holdId, now });
      expect(settled).toMatchObject({ settled: false, points: 0 });
      expect(settled.reason).toContain('released');
      expect(await balance(id)).toBe(800);
    } finally {
      now = start;
    }
  });

  it('settlement and expiry racing for the same holds: each hold ends settled or released, never both', async () => {
    const id = await customerWith(2_500);
    const holds = await Promise.all(Array.from({ length: 5 }, () => hold(id, { points: 500, requestKey: requestKey() })));
    expect(await balance(id)).toBe(0);
    const start = now;
    try {
      now = new Date(start.getTime() + 45 * MINUTE);
      const outcomes = await Promise.all([
        ...holds.flatMap((placed, index) => [
          settleHoldForOrder(app.ctx, { shop, orderId: String(5_560_000 + index), customerId: String(id), holdId: placed.body.holdId, now }),
          settleHoldForOrder(app.ctx, { shop, orderId: String(5_560_000 + index), customerId: String(id), holdId: placed.body.holdId, now }),
        ]),
        releaseExpiredHolds(app.ctx, shop, now),
        releaseExpiredHolds(app.ctx, shop, now),
      ]);
      const entries = await entriesOf(id);
      let settledCount = 0;
      for (const [index, placed] of holds.entries()) {
        const settled = outcomes.slice(index * 2, index * 2 + 2) as Array<{ settled: boolean }>;
        const released = entries.filter((entry) => entry.key === `release:hold:${placed.body.holdId}`);
        const redemption = await findRedemption(app.connection, shop, placed.body.holdId);
        // Both settlement calls agree, and exactly one of the two outcomes took effect.
        expect(settled[0]!.settled).toBe(settled[1]!.settled);
        expect(Number(settled[0]!.settled) + released.length).toBe(1);
        expect(redemption?.status === 'used').toBe(settled[0]!.settled);
        if (settled[0]!.settled) settledCount++;
      }
      expect(await balance(id)).toBe((holds.length - settledCount) * 500);
      expect(published(id)).toEqual([]);
    } finally {
      now = start;
    }
  });

  it('settles once per order: a redelivery answers the same, another order or customer settles nothing', async () => {
    const id = await customerWith(1_000);
    const other = await customerWith(1_000);
    const placed = await hold(id, { points: 500, requestKey: requestKey() });
    const holdId = placed.body.holdId;
    expect(await settleHoldForOrder(app.ctx, { shop, orderId: '5570001', customerId: String(other), holdId, now })).toMatchObject({
      settled: false,
      reason: `hold ${holdId} belongs to another customer`,
    });
    expect(await settleHoldForOrder(app.ctx, { shop, orderId: '5570001', customerId: String(id), holdId: 'HOLD-FAKE-FAKE-FAKE', now })).toMatchObject(
      { settled: false },
    );
    expect(await settleHoldForOrder(app.ctx, { shop, orderId: '5570001', customerId: String(id), holdId, now })).toEqual({
      settled: true,
      points: 500,
    });
    expect(await settleHoldForOrder(app.ctx, { shop, orderId: '5570001', customerId: String(id), holdId, now })).toEqual({
      settled: true,
      points: 500,
    });
    expect(await settleHoldForOrder(app.ctx, { shop, orderId: '5570002', customerId: String(id), holdId, now })).toMatchObject({
      settled: false,
      reason: `hold ${holdId} was already used by order 5570001`,
    });
    expect(await balance(id)).toBe(500);
    expect(await balance(other)).toBe(1_000);
    expect(await findRedemption(app.connection, shop, holdId)).toMatchObject({
      status: 'used',
      orderId: '5570001',
      pointsSpent: 500,
      customerId: String(id),
    });
    expect(published(id)).toEqual([]);
    const cancel = await proxy(app, shop, `/holds/${holdId}`, { customerId: id, method: 'DELETE', timestamp: seconds() });
    expect(cancel.status).toBe(409);
    expect(await balance(id)).toBe(500);
  });

  it('a refund of the order returns the held points only when the merchant returns redeemed points', async () => {
    const id = await customerWith(1_000);
    const first = await hold(id, { points: 500, requestKey: requestKey() });
    await settleHoldForOrder(app.ctx, { shop, orderId: '5580001', customerId: String(id), holdId: first.body.holdId, now });
    expect(await returnHeldPointsForOrder(app.ctx, { shop, orderId: '5580001', now })).toEqual({ returned: 0 });
    expect(await balance(id)).toBe(500);
    const program = (await (await api(app, shop, '/program')).json()) as Program;
    const saved = await api(app, shop, '/program', {
      method: 'PUT',
      body: { ...program, redemption: { ...program.redemption, returnPointsOnOrderRefund: true } },
    });
    expect(saved.status).toBe(200);
    try {
      expect(await returnHeldPointsForOrder(app.ctx, { shop, orderId: '5580001', now })).toEqual({ returned: 500 });
      expect(await returnHeldPointsForOrder(app.ctx, { shop, orderId: '5580001', now })).toEqual({ returned: 0 });
      expect(await balance(id)).toBe(1_000);
    } finally {
      const current = (await (await api(app, shop, '/program')).json()) as Program;
      await api(app, shop, '/program', {
        method: 'PUT',
        body: { ...current, redemption: { ...current.redemption, returnPointsOnOrderRefund: false } },
      });
    }
  });

  it('the shopper can take a hold back before checkout: points return and the metafield forgets it', async () => {
    const id = await customerWith(600);
    const placed = await hold(id, { points: 500, requestKey: requestKey() });
    const cancel = await proxy(app, shop, `/holds/${placed.body.holdId}`, { customerId: id, method: 'DELETE', timestamp: seconds() });
    expect(cancel.status).toBe(204);
    expect(await balance(id)).toBe(600);
    expect(published(id)).toEqual([]);
    const someoneElse = await customerWith(0);
    expect((await proxy(app, shop, `/holds/${placed.body.holdId}`, { customerId: someoneElse, method: 'DELETE', timestamp: seconds() })).status).toBe(
      404,
    );
  });

  it('a metafield write that fails keeps the hold, and the job publishes it', async () => {
    const id = await customerWith(500);
    devstore.shop(shop)!.faults.push('5xx', '5xx', '5xx', '5xx', '5xx');
    const placed = await hold(id, { points: 500, requestKey: requestKey() });
    expect(placed.status).toBe(201);
    expect(placed.body.published).toBe(false);
    expect(await balance(id)).toBe(0);
    expect(published(id)).toEqual([]);
    expect((await releaseExpiredHolds(app.ctx, shop, now)).published).toBeGreaterThan(0);
    expect(published(id).map((entry) => entry.id)).toEqual([placed.body.holdId]);
  }, 60_000);

  it('once the order is paid, the hold reads "used on order #N" in the shopper’s history, and the discount carries the program’s points name', async () => {
    const program = (await (await api(app, shop, '/program')).json()) as Program;
    expect((await api(app, shop, '/program', { method: 'PUT', body: { ...program, pointsName: 'Beans' } })).status).toBe(200);
    try {
      const id = await customerWith(900);
      const placed = await hold(id, { points: 500, requestKey: requestKey() });
      const history = async () =>
        (
          (await (await proxy(app, shop, '/customer', { customerId: id, timestamp: seconds() })).json()) as {
            history: Array<{ type: string; description: { kind: string; order?: string | null } }>;
          }
        ).history.find((entry) => entry.type === 'hold')!.description;
      expect(await history()).toEqual({ kind: 'hold' });
      const product = devstore.addProduct(shop, { id: 94_101, title: 'Beans', priceMinor: 2_000, tags: [], giftCard: false });
      const order = devstore.createOrder(shop, {
        customerId: id,
        lines: [{ productId: product.id, quantity: 1 }],
        attributes: { _tally_hold: placed.body.holdId },
      });
      expect(order.appDiscounts).toEqual([{ title: '500 Beans redeemed', amountMinor: 500 }]);
      await deliverAndDrain(app, devstore.pay(shop, order.id));
      expect(await history()).toEqual({ kind: 'hold_used', order: `#${order.number}` });
    } finally {
      expect((await api(app, shop, '/program', { method: 'PUT', body: { ...program, version: program.version + 1 } })).status).toBe(200);
    }
  });

  it('bad input gets a clear 4xx and debits nothing', async () => {
    const id = await customerWith(700);
    const guest = await hold(null, { points: 500, requestKey: requestKey() });
    expect(guest.status).toBe(401);
    for (const body of [
      { points: 0, requestKey: requestKey() },
      { points: 2.5, requestKey: requestKey() },
      { points: 500 },
      { points: '500', requestKey: requestKey() },
      { points: 500, requestKey: 'short' },
    ]) {
      const answer = await hold(id, body);
      expect(answer.status, JSON.stringify(body)).toBe(422);
      expect(answer.body.error).toBe('invalid_hold');
    }
    const offStep = await hold(id, { points: 450, requestKey: requestKey() });
    expect(offStep).toMatchObject({ status: 422, body: { error: 'invalid_points' } });
    const tooMany = await hold(id, { points: 1_000, requestKey: requestKey() });
    expect(tooMany).toMatchObject({ status: 409, body: { error: 'insufficient_points' } });
    const aboveCart = await hold(id, { points: 500, requestKey: requestKey(), cartSubtotal: 300 });
    expect(aboveCart.status).toBe(422);
    expect(aboveCart.body).toMatchObject({ error: 'exceeds_cart', message: "500 points are worth $5, more than your cart's $3" });
    expect(await balance(id)).toBe(700);
    expect((await entriesOf(id)).filter((entry) => entry.type === 'hold')).toHaveLength(0);
    expect(published(id)).toEqual([]);
  });

  it('at checkout the function honours only the buyer’s own live hold: forged, another customer’s or released holds give no discount', async () => {
    const id = await customerWith(1_000);
    const other = await customerWith(1_000);
    const product = devstore.addProduct(shop, { id: 94_001, title: 'Tea', priceMinor: 2_000, tags: [], giftCard: false });
    const lines = [{ productId: product.id, quantity: 1 }];
    const mine = await hold(id, { points: 500, requestKey: requestKey() });
    const theirs = await hold(other, { points: 500, requestKey: requestKey() });

    const honoured = devstore.createOrder(shop, { customerId: id, lines, attributes: { _tally_hold: mine.body.holdId } });
    expect(honoured.appDiscounts).toEqual([{ title: '500 points redeemed', amountMinor: 500 }]);
    expect(honoured.noteAttributes).toEqual([{ name: '_tally_hold', value: mine.body.holdId }]);
    for (const attribute of ['HOLD-AAAA-BBBB-CCCC', theirs.body.holdId]) {
      expect(devstore.createOrder(shop, { customerId: id, lines, attributes: { _tally_hold: attribute } }).appDiscounts).toBeUndefined();
    }
    expect(devstore.createOrder(shop, { customerId: null, lines, attributes: { _tally_hold: mine.body.holdId } }).appDiscounts).toBeUndefined();
    expect((await proxy(app, shop, `/holds/${mine.body.holdId}`, { customerId: id, method: 'DELETE', timestamp: seconds() })).status).toBe(204);
    expect(devstore.createOrder(shop, { customerId: id, lines, attributes: { _tally_hold: mine.body.holdId } }).appDiscounts).toBeUndefined();
    expect(await balance(id)).toBe(1_000);
  });
});

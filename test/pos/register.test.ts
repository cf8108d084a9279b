import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Devstore } from '../../devstore/devstore.js';
import { balanceOf } from '../../server/ledger/index.js';
import { ledgerEntryModel } from '../../server/ledger/store.js';
import type { Program } from '../../server/program/index.js';
import { redemptionModel } from '../../server/redemption/store.js';
import { startTestApp, type TestApp } from '../support/app.js';
import { api, deliverAndDrain, devstoreOf, grantPoints, installShop, sessionToken } from '../support/shopify.js';

/** The register's calls as the POS extension makes them: a POS session token (the admin's form), the pinned staff member in a header. */
async function pos(
  app: TestApp,
  shop: string,
  path: string,
  init: { method?: string; body?: unknown; userId?: string; staffMemberId?: string; token?: string } = {},
): Promise<{ status: number; body: Record<string, unknown> }> {
  const response = await fetch(`${app.url}/pos${path}`, {
    method: init.method ?? 'GET',
    headers: {
      Authorization: `Bearer ${init.token ?? sessionToken(app, shop, { userId: init.userId ?? '1' })}`,
      ...(init.staffMemberId ? { 'X-Tally-Staff-Member-Id': init.staffMemberId } : {}),
      ...(init.body === undefined ? {} : { 'Content-Type': 'application/json' }),
    },
    body: init.body === undefined ? undefined : JSON.stringify(init.body),
  });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

const key = () => `pos-${Math.random().toString(36).slice(2, 12)}`;

describe('the register (POS UI extension backend): customers, redemption, give-back, staff limits, guest sales', () => {
  let app: TestApp;
  let devstore: Devstore;
  const shop = 'pos-register.myshopify.com';
  const otherShop = 'pos-other.myshopify.com';
  const flatWhite = { id: 8801, variantId: 88011 };
  let nextCustomer = 8_800_001;
  /** The app's clock runs this far ahead of the wall clock (session tokens keep wall-clock times). */
  let clockAhead = 0;

  async function changeProgram(domain: string, change: (program: Program) => Program): Promise<void> {
    const current = (await (await api(app, domain, '/program')).json()) as Program;
    const response = await api(app, domain, '/program', { method: 'PUT', body: change(current) });
    if (response.status !== 200) throw new Error(`program change failed: ${response.status} ${await response.text()}`);
  }

  async function customerWith(points: number, domain = shop): Promise<string> {
    const id = nextCustomer++;
    await deliverAndDrain(app, [devstore.addCustomer(domain, { id, firstName: 'Ada', lastName: `Register ${id}` })]);
    if (points > 0) await grantPoints(app, domain, id, points);
    return String(id);
  }

  const balance = async (customerId: string, domain = shop) => (await balanceOf(app.connection, domain, customerId)).available;

  async function sellAtRegister(
    customerId: string | null,
    lines: Array<{ productId?: number; priceMinor?: number; quantity?: number }>,
    discountCode?: string,
  ) {
    const order = devstore.createOrder(shop, {
      customerId: customerId === null ? null : Number(customerId),
      lines,
      ...(discountCode ? { discountCode } : {}),
      pos: { locationId: 1, userId: 1 },
    });
    await deliverAndDrain(app, devstore.pay(shop, order.id));
    return order;
  }

  beforeAll(async () => {
    app = await startTestApp('pos-register', {}, { clock: () => new Date(Date.now() + clockAhead) });
    devstore = devstoreOf(app);
    await installShop(app, shop);
    await installShop(app, otherShop);
    devstore.addProduct(shop, { ...flatWhite, title: 'Flat white', priceMinor: 450, tags: ['coffee'], giftCard: false });
    await changeProgram(shop, (program) => ({
      ...program,
      earning: { ...program.earning, punchCard: { enabled: true, everyNthOrder: 5, bonusPoints: 20 } },
      rewards: [
        ...program.rewards,
        {
          id: 'free-coffee',
          type: 'free_product',
          name: 'Free flat white',
          pointsCost: 50,
          variantId: String(flatWhite.variantId),
          enabled: true,
          minimumOrderAmount: 0,
          codeExpiresInDays: 30,
          combinesWith: { orderDiscounts: false, productDiscounts: true, shippingDiscounts: true },
        },
      ] as Program['rewards'],
      pos: { ...program.pos, staff: [{ staffId: '1', roleId: 'manager' }] },
    }));
  });
  afterAll(async () => {
    await app?.close();
  });

  it('shows a customer: balance, pending, tier, punch card progress, last entries and the rewards the register can apply', async () => {
    const customerId = await customerWith(120);
    await sellAtRegister(customerId, [{ productId: flatWhite.id, quantity: 2 }]);
    const card = await pos(app, shop, `/customers/${customerId}`);
    expect(card.status).toBe(200);
    expect(card.body).toMatchObject({ customerId, name: `Ada Register ${customerId}`, points: { balance: 129, pending: 0 }, pointsName: 'points' });
    expect(card.body.punchCard).toEqual({ every: 5, bonusPoints: 20, punched: 1, ordersToBonus: 4 });
    expect((card.body.history as Array<{ type: string; points: number }>).map((entry) => [entry.type, entry.points])).toEqual([
      ['earn', 9],
      ['adjust', 120],
    ]);
    const rewards = card.body.rewards as Array<{ id: string; pointsCost: number; affordable: boolean; variantId: string | null }>;
    // Free shipping is not offered at the counter; the free coffee adds its variant.
    expect(rewards.map((reward) => [reward.id, reward.pointsCost, reward.affordable])).toEqual([
      ['free-coffee', 50, true],
      ['five-off', 500, false],
    ]);
    expect(rewards[0]!.variantId).toBe(String(flatWhite.variantId));
  });

  it('redeems once per request key: the code and the line to add, a replay refused with the same code, nothing debited twice', async () => {
    const customerId = await customerWith(100);
    const requestKey = key();
    const first = await pos(app, shop, `/customers/${customerId}/redemptions`, {
      method: 'POST',
      body: { rewardId: 'free-coffee', requestKey },
      staffMemberId: '9001',
    });
    expect(first.status).toBe(201);
    expect(first.body).toMatchObject({ pointsSpent: 50, balance: 50, source: 'pos', apply: { addVariantId: String(flatWhite.variantId) } });
    const code = (first.body.apply as { code: string }).code;
    expect(code).toMatch(/^TALLY-/);
    const replay = await pos(app, shop, `/customers/${customerId}/redemptions`, { method: 'POST', body: { rewardId: 'free-coffee', requestKey } });
    expect(replay.status).toBe(409);
    expect(replay.body).toMatchObject({ error: 'already_redeemed', code, balance: 50 });
    expect(replay.body.message).toMatch(/nothing more was taken/);
    expect(await balance(customerId)).toBe(50);
    const entries = await ledgerEntryModel(app.connection).find({ shop, customerId, type: 'redeem' }).lean();
    expect(entries).toHaveLength(1);
    expect(entries[0]).toMatchObject({ staffId: '9001', available: -50 });
    expect(await redemptionModel(app.connection).findOne({ shop, code }).lean()).toMatchObject({ source: 'pos', staffId: '9001', status: 'issued' });
  });

  it('refuses a balance too small in words for the cashier, with nothing debited', async () => {
    const customerId = await customerWith(30);
    const refused = await pos(app, shop, `/customers/${customerId}/redemptions`, {
      method: 'POST',
      body: { rewardId: 'free-coffee', requestKey: key() },
    });
    expect(refused.status).toBe(409);
    expect(refused.body).toMatchObject({ error: 'insufficient_points', balance: 30 });
    expect(refused.body.message).toMatch(/^Not enough points: Ada Register \d+ has 30, Free flat white costs more\. Nothing was taken\.$/);
    expect(await balance(customerId)).toBe(30);
    expect(await redemptionModel(app.connection).countDocuments({ shop, customerId })).toBe(0);
  });

  it('refuses free shipping and store credit at the register, and an unknown reward', async () => {
    const customerId = await customerWith(1_000);
    const shipping = await pos(app, shop, `/customers/${customerId}/redemptions`, {
      method: 'POST',
      body: { rewardId: 'free-shipping', requestKey: key() },
    });
    expect(shipping).toMatchObject({ status: 422, body: { error: 'not_at_register' } });
    const unknown = await pos(app, shop, `/customers/${customerId}/redemptions`, {
      method: 'POST',
      body: { rewardId: 'no-such', requestKey: key() },
    });
    expect(unknown).toMatchObject({ status: 404, body: { error: 'unknown_reward' } });
    expect(await balance(customerId)).toBe(1_000);
  });

  it('a token of another shop reaches nothing of this shop: its customer is unknown there and nothing is debited', async () => {
    const customerId = await customerWith(500);
    const read = await pos(app, otherShop, `/customers/${customerId}`, { token: sessionToken(app, otherShop) });
    expect(read).toMatchObject({ status: 404, body: { error: 'unknown_customer' } });
    const redeem = await pos(app, otherShop, `/customers/${customerId}/redemptions`, {
      method: 'POST',
      body: { rewardId: 'five-off', requestKey: key() },
      token: sessionToken(app, otherShop),
    });
    expect(redeem.status).toBe(404);
    expect(await balance(customerId)).toBe(500);
  });

  it('refuses forged, expired and checkout-style tokens with 401', async () => {
    const customerId = await customerWith(10);
    const forged = sessionToken(app, shop, { secret: 'not-the-app-secret' });
    const expired = sessionToken(app, shop, { now: new Date(Date.now() - 5 * 60_000) });
    const checkout = sessionToken(app, shop, {
      claims: { iss: undefined, dest: shop, sub: `gid://shopify/Customer/${customerId}` },
      ttlSeconds: 300,
    });
    for (const token of [forged, expired, checkout, 'not.a.token']) {
      const answer = await pos(app, shop, `/customers/${customerId}`, { token });
      expect(answer.status).toBe(401);
      expect(answer.body.error).toBe('unauthorized');
    }
    expect((await fetch(`${app.url}/pos/customers/${customerId}`)).status).toBe(401);
  });

  it('gives a reward back before payment once: points return, the code stops working; another customer’s reward is refused', async () => {
    const customerId = await customerWith(200);
    const other = await customerWith(200);
    const redeemed = await pos(app, shop, `/customers/${customerId}/redemptions`, {
      method: 'POST',
      body: { rewardId: 'free-coffee', requestKey: key() },
    });
    const code = (redeemed.body.apply as { code: string }).code;
    expect(await balance(customerId)).toBe(150);

    const theft = await pos(app, shop, `/customers/${other}/redemptions/${code}`, { method: 'DELETE' });
    expect(theft).toMatchObject({ status: 404, body: { error: 'unknown_reward' } });
    expect(await balance(other)).toBe(200);

    const given = await pos(app, shop, `/customers/${customerId}/redemptions/${code}`, { method: 'DELETE', staffMemberId: '9001' });
    expect(given).toMatchObject({ status: 200, body: { code, status: 'cancelled', pointsReturned: 50, balance: 200 } });
    const again = await pos(app, shop, `/customers/${customerId}/redemptions/${code}`, { method: 'DELETE' });
    expect(again).toMatchObject({ status: 200, body: { balance: 200 } });
    expect(await balance(customerId)).toBe(200);
    const returned = await ledgerEntryModel(app.connection).find({ shop, customerId, type: 'redeem_refund' }).lean();
    expect(returned.map((entry) => [entry.available, entry.staffId])).toEqual([[50, '9001']]);
    expect([...devstore.shop(shop)!.discounts.values()].find((discount) => discount.code === code)!.endsAt).not.toBeNull();
    expect(() => devstore.createOrder(shop, { customerId: Number(customerId), lines: [{ productId: flatWhite.id }], discountCode: code })).toThrow(
      /not active/,
    );
  });

  it('a completed sale settles the reward: used on the order, and it can no longer be given back', async () => {
    const customerId = await customerWith(100);
    const redeemed = await pos(app, shop, `/customers/${customerId}/redemptions`, {
      method: 'POST',
      body: { rewardId: 'free-coffee', requestKey: key() },
    });
    const code = (redeemed.body.apply as { code: string }).code;
    const order = await sellAtRegister(customerId, [{ productId: flatWhite.id, quantity: 2 }], code);
    expect(await redemptionModel(app.connection).findOne({ shop, code }).lean()).toMatchObject({ status: 'used', orderId: String(order.id) });
    const late = await pos(app, shop, `/customers/${customerId}/redemptions/${code}`, { method: 'DELETE' });
    expect(late).toMatchObject({ status: 409 });
    // 2 × $4.50 less the free one: $4.50 earns 4 points.
    const summary = await pos(app, shop, `/sales/${order.id}`);
    expect(summary.body).toMatchObject({ status: 'credited', customerId, earned: 4, pointsSpent: 50, balance: 54 });
  });

  it('register sales earn under the same rules, nothing when POS is excluded, or at their own rate', async () => {
    const customerId = await customerWith(0);
    await sellAtRegister(customerId, [{ priceMinor: 1_000 }]);
    expect(await balance(customerId)).toBe(10);
    await changeProgram(shop, (program) => ({ ...program, pos: { ...program.pos, earning: 'own_rate', pointsPerCurrencyUnit: 3 } }));
    await sellAtRegister(customerId, [{ priceMinor: 1_000 }]);
    expect(await balance(customerId)).toBe(40);
    // Online orders keep the program's rate.
    await deliverAndDrain(app, devstore.pay(shop, devstore.createOrder(shop, { customerId: Number(customerId), lines: [{ priceMinor: 1_000 }] }).id));
    expect(await balance(customerId)).toBe(50);
    await changeProgram(shop, (program) => ({ ...program, pos: { ...program.pos, earning: 'excluded' } }));
    const excluded = await sellAtRegister(customerId, [{ priceMinor: 1_000 }]);
    expect(await balance(customerId)).toBe(50);
    expect((await pos(app, shop, `/sales/${excluded.id}`)).body).toMatchObject({ earned: 0, notes: [expect.stringMatching(/excludes POS/)] });
    await changeProgram(shop, (program) => ({ ...program, pos: { ...program.pos, earning: 'same' } }));
  });

  it('limits manual adjustments by role: the pinned staff member may lower the account’s limit, never raise it; staff recorded', async () => {
    const customerId = await customerWith(10);
    // Account 1 is a manager (1,000); 9001 is not listed, so a cashier (100).
    const manager = await pos(app, shop, `/customers/${customerId}/adjustments`, {
      method: 'POST',
      body: { points: 500, reason: 'spilt coffee', requestKey: key() },
    });
    expect(manager).toMatchObject({ status: 201, body: { role: 'Manager', staffId: '1', balance: 510 } });
    const cashier = await pos(app, shop, `/customers/${customerId}/adjustments`, {
      method: 'POST',
      body: { points: 500, reason: 'spilt coffee', requestKey: key() },
      staffMemberId: '9001',
    });
    expect(cashier).toMatchObject({ status: 403, body: { error: 'over_adjustment_limit', role: 'Cashier', limit: 100 } });
    expect(cashier.body.message).toMatch(/Cashier staff can adjust at most 100 points at a time/);
    const raised = await pos(app, shop, `/customers/${customerId}/adjustments`, {
      method: 'POST',
      body: { points: 500, reason: 'claims to be the manager', requestKey: key() },
      userId: '9001',
      staffMemberId: '1',
    });
    expect(raised).toMatchObject({ status: 403, body: { role: 'Cashier' } });
    const small = await pos(app, shop, `/customers/${customerId}/adjustments`, {
      method: 'POST',
      body: { points: -20, reason: 'double scan', requestKey: key() },
      staffMemberId: '9001',
    });
    expect(small).toMatchObject({ status: 201, body: { staffId: '9001', balance: 490 } });
    const tooMuch = await pos(app, shop, `/customers/${customerId}/adjustments`, {
      method: 'POST',
      body: { points: -900, reason: 'oops', requestKey: key() },
    });
    expect(tooMuch).toMatchObject({ status: 409, body: { error: 'insufficient_points', balance: 490 } });
    expect(await balance(customerId)).toBe(490);
    const adjustments = await ledgerEntryModel(app.connection).find({ shop, customerId, source: 'pos' }).sort({ seq: 1 }).lean();
    expect(adjustments.map((entry) => [entry.available, entry.staffId])).toEqual([
      [500, '1'],
      [-20, '9001'],
    ]);
    const activity = (await (await api(app, shop, '/pos/activity')).json()) as {
      actions: Array<{ kind: string; userId: string; staffMemberId: string | null }>;
    };
    expect(
      activity.actions
        .filter((entry) => entry.kind === 'adjust')
        .slice(0, 2)
        .map((entry) => [entry.userId, entry.staffMemberId]),
    ).toEqual([
      ['1', '9001'],
      ['1', null],
    ]);
  });

  it('attaches a guest sale to a customer once, within the window; a second customer is refused', async () => {
    const customerId = await customerWith(0);
    const other = await customerWith(0);
    const sale = await sellAtRegister(null, [{ priceMinor: 2_000 }]);
    expect((await pos(app, shop, `/sales/${sale.id}`)).body).toMatchObject({ status: 'guest', attachableUntil: expect.any(String) });
    const listed = (await pos(app, shop, '/guest-sales')).body.sales as Array<{ orderId: string }>;
    expect(listed.map((entry) => entry.orderId)).toContain(String(sale.id));

    const [first, second] = await Promise.all([
      pos(app, shop, `/sales/${sale.id}/customer`, { method: 'POST', body: { customerId } }),
      pos(app, shop, `/sales/${sale.id}/customer`, { method: 'POST', body: { customerId: other } }),
    ]);
    const winner = first.status === 201 ? customerId : other;
    const loser = winner === customerId ? second : first;
    expect([first.status, second.status].sort()).toEqual([201, 409]);
    expect(loser.body).toMatchObject({ error: 'already_attached' });
    expect(await balance(winner)).toBe(20);
    expect(await balance(winner === customerId ? other : customerId)).toBe(0);
    const repeat = await pos(app, shop, `/sales/${sale.id}/customer`, { method: 'POST', body: { customerId: winner } });
    expect(repeat).toMatchObject({ status: 200, body: { replayed: true, earned: 20 } });
    expect(await balance(winner)).toBe(20);
    expect((await pos(app, shop, '/guest-sales')).body.sales as Array<{ orderId: string }>).not.toContainEqual(
      expect.objectContaining({ orderId: String(sale.id) }),
    );
  });

  it('refuses to attach a guest sale after the window, or when the merchant turned attaching off', async () => {
    const customerId = await customerWith(0);
    const sale = await sellAtRegister(null, [{ priceMinor: 1_500 }]);
    clockAhead = 8 * 86_400_000;
    try {
      const late = await pos(app, shop, `/sales/${sale.id}/customer`, { method: 'POST', body: { customerId } });
      expect(late).toMatchObject({ status: 422, body: { error: 'attach_window_closed' } });
      expect(late.body.message).toMatch(/could be attached until \d{4}-\d{2}-\d{2}/);
      expect((await pos(app, shop, `/sales/${sale.id}`)).body).toMatchObject({ status: 'guest', attachableUntil: null });
    } finally {
      clockAhead = 0;
    }
    await changeProgram(shop, (program) => ({ ...program, pos: { ...program.pos, guestAttachDays: 0 } }));
    const off = await pos(app, shop, `/sales/${sale.id}/customer`, { method: 'POST', body: { customerId } });
    expect(off).toMatchObject({ status: 422, body: { error: 'attach_window_closed', message: 'Attaching guest sales is turned off in Tally' } });
    await changeProgram(shop, (program) => ({ ...program, pos: { ...program.pos, guestAttachDays: 7 } }));
    expect(await balance(customerId)).toBe(0);
  });

  it('a cancelled guest sale can no longer be attached', async () => {
    const customerId = await customerWith(0);
    const sale = await sellAtRegister(null, [{ priceMinor: 1_200 }]);
    await deliverAndDrain(app, devstore.cancel(shop, sale.id));
    const attach = await pos(app, shop, `/sales/${sale.id}/customer`, { method: 'POST', body: { customerId } });
    expect(attach).toMatchObject({ status: 404, body: { error: 'unknown_sale' } });
    expect(await balance(customerId)).toBe(0);
  });

  it('enrols a new customer through Shopify (customers/create follows); an email in use is refused', async () => {
    const created = await pos(app, shop, '/customers', {
      method: 'POST',
      body: { firstName: 'Grace', lastName: 'Counter', email: 'grace.counter@example.com' },
    });
    expect(created).toMatchObject({ status: 201, body: { name: 'Grace Counter', email: 'grace.counter@example.com' } });
    const customerId = created.body.customerId as string;
    await expect.poll(async () => (await pos(app, shop, `/customers/${customerId}`)).status, { timeout: 5_000 }).toBe(200);
    const found = (await pos(app, shop, '/customers?query=grace.counter')).body.customers as Array<{ customerId: string }>;
    expect(found.map((customer) => customer.customerId)).toEqual([customerId]);
    const again = await pos(app, shop, '/customers', { method: 'POST', body: { firstName: 'Grace', email: 'grace.counter@example.com' } });
    expect(again).toMatchObject({ status: 409, body: { error: 'customer_exists' } });
  });
});

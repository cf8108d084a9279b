import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CheckoutRefused, type Devstore } from '../../devstore/devstore.js';
import type { Program } from '../../server/program/index.js';
import { expireUnusedCodes } from '../../server/redemption/service.js';
import { balanceOf, ledgerEntryModel } from '../../server/ledger/store.js';
import { redemptionModel } from '../../server/redemption/store.js';
import { startTestApp, type TestApp } from '../support/app.js';
import { api, deliverAndDrain, devstoreOf, grantPoints, installShop, proxy } from '../support/shopify.js';

interface RedemptionAnswer {
  id: string;
  code: string | null;
  pointsSpent: number;
  balance: number;
  status: string;
  replayed: boolean;
  error?: string;
  failure?: string | null;
}

describe('redemption: points into Shopify discounts and store credit, never spent twice', () => {
  let app: TestApp;
  let devstore: Devstore;
  const shop = 'rewards.myshopify.com';
  const otherShop = 'rewards-other.myshopify.com';
  let nextCustomer = 9_100_001;

  beforeAll(async () => {
    app = await startTestApp('redemption');
    devstore = devstoreOf(app);
    await installShop(app, shop);
    await installShop(app, otherShop);
    await changeProgram(otherShop, (program) => ({
      ...program,
      rewards: [...program.rewards, { ...program.rewards[0]!, id: 'other-only', name: 'Only in the other shop' }] as Program['rewards'],
    }));
  });
  afterAll(async () => {
    await app.close();
  });

  async function changeProgram(domain: string, change: (program: Program) => Program): Promise<void> {
    const current = (await (await api(app, domain, '/program')).json()) as Program;
    const response = await api(app, domain, '/program', { method: 'PUT', body: change(current) });
    if (response.status !== 200) throw new Error(`program change failed: ${response.status} ${await response.text()}`);
  }

  async function customerWith(points: number): Promise<number> {
    const id = nextCustomer++;
    await deliverAndDrain(app, [devstore.addCustomer(shop, { id })]);
    if (points > 0) await grantPoints(app, shop, id, points);
    return id;
  }

  async function redeemAt(customerId: number, body: unknown): Promise<{ status: number; body: RedemptionAnswer }> {
    const response = await proxy(app, shop, '/redemptions', { customerId, method: 'POST', body });
    return { status: response.status, body: (await response.json()) as RedemptionAnswer };
  }

  const ledgerOf = (customerId: number) =>
    ledgerEntryModel(app.connection)
      .find({ shop, customerId: String(customerId) })
      .sort({ seq: 1 })
      .lean();

  it('50 simultaneous redemptions with points for one: exactly one succeeds and the balance never goes negative', async () => {
    const id = await customerWith(500);
    const answers = await Promise.all(Array.from({ length: 50 }, () => redeemAt(id, { rewardId: 'five-off' })));
    expect(answers.filter((answer) => answer.status === 201)).toHaveLength(1);
    expect(answers.filter((answer) => answer.status === 409)).toHaveLength(49);
    expect((await balanceOf(app.connection, shop, String(id))).available).toBe(0);
    const entries = await ledgerOf(id);
    expect(entries.filter((entry) => entry.type === 'redeem')).toHaveLength(1);
    expect(entries.every((entry) => entry.balance >= 0)).toBe(true);
    expect(await redemptionModel(app.connection).countDocuments({ shop, customerId: String(id), status: 'issued' })).toBe(1);
  });

  it('earn, redeem, apply the code at checkout: the order marks it used and a second use is refused', async () => {
    const id = await customerWith(0);
    const order = devstore.createOrder(shop, { customerId: id, lines: [{ priceMinor: 60_000 }] });
    await deliverAndDrain(app, devstore.pay(shop, order.id));
    const redeemed = await redeemAt(id, { rewardId: 'five-off' });
    expect(redeemed.status).toBe(201);
    expect(redeemed.body).toMatchObject({ pointsSpent: 500, balance: 100, status: 'issued' });
    const code = redeemed.body.code!;
    expect(code).toMatch(/^TALLY-[A-Z2-9]{4}-[A-Z2-9]{4}-[A-Z2-9]{4}$/);

    const discount = [...devstore.shop(shop)!.discounts.values()].find((candidate) => candidate.code === code)!;
    expect(discount).toMatchObject({ customerIds: [id], usageLimit: 1, value: { amountMinor: 500 } });
    expect(discount.endsAt!.getTime() - discount.startsAt.getTime()).toBe(90 * 86_400_000);

    const listed = (await (await proxy(app, shop, '/customer', { customerId: id })).json()) as { codes: Array<{ code: string }> };
    expect(listed.codes.map((entry) => entry.code)).toEqual([code]);

    const { order: paid, events } = devstore.checkout(shop, { customerId: id, lines: [{ priceMinor: 2_000 }], discountCode: code.toLowerCase() });
    expect(paid.discountCodes.map((entry) => entry.code)).toEqual([code]);
    await deliverAndDrain(app, events);
    const stored = await redemptionModel(app.connection).findOne({ shop, code }).lean();
    expect(stored).toMatchObject({ status: 'used', orderId: String(paid.id) });
    const after = (await (await proxy(app, shop, '/customer', { customerId: id })).json()) as { codes: unknown[] };
    expect(after.codes).toEqual([]);

    expect(() => devstore.checkout(shop, { customerId: id, lines: [{ priceMinor: 2_000 }], discountCode: code })).toThrow(CheckoutRefused);
    const otherCustomer = await customerWith(0);
    expect(() => devstore.checkout(shop, { customerId: otherCustomer, lines: [{ priceMinor: 2_000 }], discountCode: code })).toThrow(CheckoutRefused);
  });

  it('the same request key redeems once, however often the button is clicked', async () => {
    const id = await customerWith(1_000);
    const answers = await Promise.all(Array.from({ length: 5 }, () => redeemAt(id, { rewardId: 'five-off', requestKey: 'click-0001' })));
    expect(answers.map((answer) => answer.status)).toEqual([201, 201, 201, 201, 201]);
    expect(new Set(answers.map((answer) => answer.body.code)).size).toBe(1);
    expect(answers.filter((answer) => answer.body.replayed)).toHaveLength(4);
    expect((await balanceOf(app.connection, shop, String(id))).available).toBe(500);
    expect((await ledgerOf(id)).filter((entry) => entry.type === 'redeem')).toHaveLength(1);
  });

  it('Shopify failures are retried: a 5xx, a THROTTLED and a user error in a row, then the code is issued', async () => {
    const id = await customerWith(500);
    devstore.shop(shop)!.faults.push('5xx', 'throttled', 'userErrors');
    const answer = await redeemAt(id, { rewardId: 'free-shipping' });
    expect(answer.status).toBe(201);
    expect(answer.body.status).toBe('issued');
    expect(devstore.shop(shop)!.faults).toEqual([]);
    expect([...devstore.shop(shop)!.discounts.values()].filter((discount) => discount.code === answer.body.code)).toHaveLength(1);
    expect((await balanceOf(app.connection, shop, String(id))).available).toBe(200);
  });

  it('when Shopify keeps refusing, the points come back with a compensating entry and the redemption says refunded', async () => {
    const id = await customerWith(500);
    devstore.shop(shop)!.faults.push('userErrors', 'userErrors', 'userErrors');
    const answer = await redeemAt(id, { rewardId: 'five-off' });
    expect(answer.status).toBe(502);
    expect(answer.body).toMatchObject({ status: 'refunded', balance: 500 });
    expect(answer.body.failure).toMatch(/Injected failure/);
    expect((await ledgerOf(id)).map((entry) => [entry.type, entry.available])).toEqual([
      ['adjust', 500],
      ['redeem', -500],
      ['redeem_refund', 500],
    ]);
    expect((await balanceOf(app.connection, shop, String(id))).available).toBe(500);
  });

  it('store credit rewards credit the customer’s Shopify store credit account', async () => {
    await changeProgram(shop, (program) => ({
      ...program,
      rewards: [
        ...program.rewards.filter((reward) => reward.id !== 'credit-10'),
        { ...program.rewards[0]!, id: 'credit-10', type: 'store_credit', name: '$10 store credit', pointsCost: 800, creditAmount: 1_000 },
      ] as Program['rewards'],
    }));
    const id = await customerWith(1_000);
    const answer = await redeemAt(id, { rewardId: 'credit-10' });
    expect(answer.status).toBe(201);
    expect(answer.body).toMatchObject({ code: null, status: 'issued', pointsSpent: 800, balance: 200 });
    expect(devstore.shop(shop)!.storeCredit.get(id)).toBe(1_000);
  });

  it('points for money: the shopper picks the steps; out-of-range, negative and fractional steps are refused', async () => {
    await changeProgram(shop, (program) => ({
      ...program,
      rewards: [
        ...program.rewards.filter((reward) => reward.id !== 'slider'),
        {
          ...program.rewards[0]!,
          id: 'slider',
          type: 'points_for_money',
          name: 'Points for money',
          pointsCost: 100,
          stepAmount: 100,
          minSteps: 2,
          maxSteps: 10,
        },
      ] as Program['rewards'],
    }));
    const id = await customerWith(700);
    for (const steps of [1, 11, -3, 2.5, '3']) {
      const refused = await redeemAt(id, { rewardId: 'slider', steps });
      expect(refused.status, `steps ${String(steps)}`).toBe(422);
    }
    const answer = await redeemAt(id, { rewardId: 'slider', steps: 7 });
    expect(answer.status).toBe(201);
    expect(answer.body).toMatchObject({ pointsSpent: 700, balance: 0 });
    const discount = [...devstore.shop(shop)!.discounts.values()].find((candidate) => candidate.code === answer.body.code)!;
    expect(discount.value).toEqual({ amountMinor: 700 });
  });

  it('bad input gets a clear 4xx and debits nothing', async () => {
    await changeProgram(shop, (program) => ({
      ...program,
      rewards: program.rewards.map((reward) => (reward.id === 'free-shipping' ? { ...reward, enabled: false } : reward)),
    }));
    const id = await customerWith(5_000);
    const cases: Array<[unknown, number, string]> = [
      [{ rewardId: 'no-such-reward' }, 404, 'unknown_reward'],
      [{ rewardId: 'other-only' }, 404, 'unknown_reward'],
      [{ rewardId: 'free-shipping' }, 422, 'reward_disabled'],
      [{ rewardId: { $gt: '' } }, 422, 'invalid_redemption'],
      [{ rewardId: ['five-off'] }, 422, 'invalid_redemption'],
      [{}, 422, 'invalid_redemption'],
      [{ rewardId: 'five-off', requestKey: 'short' }, 422, 'invalid_redemption'],
    ];
    for (const [body, status, error] of cases) {
      const answer = await redeemAt(id, body);
      expect(answer.status, JSON.stringify(body)).toBe(status);
      expect(answer.body.error).toBe(error);
    }
    const malformed = await fetch((await proxy(app, shop, '/redemptions', { customerId: id, method: 'POST', body: {} })).url, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: '{"rewardId":',
    });
    expect(malformed.status).toBe(400);
    const guest = await proxy(app, shop, '/redemptions', { method: 'POST', body: { rewardId: 'five-off' } });
    expect(guest.status).toBe(401);
    expect((await ledgerOf(id)).map((entry) => entry.type)).toEqual(['adjust']);
    expect((await balanceOf(app.connection, shop, String(id))).available).toBe(5_000);
    await changeProgram(shop, (program) => ({ ...program, rewards: program.rewards.map((reward) => ({ ...reward, enabled: true })) }));
  });

  it('staff can issue a reward for a customer from the admin, audited with their id', async () => {
    const id = await customerWith(600);
    const response = await api(app, shop, `/customers/${id}/redemptions`, { method: 'POST', body: { rewardId: 'five-off' }, userId: '4242' });
    expect(response.status).toBe(201);
    const view = (await (await api(app, shop, `/customers/${id}`)).json()) as {
      redemptions: Array<{ source: string; status: string }>;
      ledger: Array<{ type: string; staffId: string | null }>;
    };
    expect(view.redemptions[0]).toMatchObject({ source: 'admin', status: 'issued' });
    expect(view.ledger[0]).toMatchObject({ type: 'redeem', staffId: '4242' });
    const otherShopStaff = await api(app, otherShop, `/customers/${id}/redemptions`, { method: 'POST', body: { rewardId: 'five-off' } });
    expect(otherShopStaff.status).toBe(409);
  });

  it('refunding an order paid with a reward returns its points only when the merchant turned that on', async () => {
    async function orderWithReward(): Promise<{ id: number; spent: number }> {
      const id = await customerWith(500);
      const answer = await redeemAt(id, { rewardId: 'five-off' });
      const { order, events } = devstore.checkout(shop, { customerId: id, lines: [{ priceMinor: 3_000 }], discountCode: answer.body.code! });
      await deliverAndDrain(app, events);
      await deliverAndDrain(app, devstore.cancel(shop, order.id));
      return { id, spent: answer.body.pointsSpent };
    }
    const kept = await orderWithReward();
    expect((await ledgerOf(kept.id)).some((entry) => entry.key.startsWith('redeem_return:'))).toBe(false);

    await changeProgram(shop, (program) => ({ ...program, redemption: { ...program.redemption, returnPointsOnOrderRefund: true } }));
    const returned = await orderWithReward();
    const entries = await ledgerOf(returned.id);
    expect(entries.filter((entry) => entry.key.startsWith('redeem_return:')).map((entry) => entry.available)).toEqual([returned.spent]);
    await changeProgram(shop, (program) => ({ ...program, redemption: { ...program.redemption, returnPointsOnOrderRefund: false } }));
  });

  it('a code that expires unused returns its points when the merchant chose so', async () => {
    await changeProgram(shop, (program) => ({ ...program, redemption: { ...program.redemption, returnPointsForExpiredCodes: true } }));
    const id = await customerWith(500);
    const answer = await redeemAt(id, { rewardId: 'five-off' });
    const later = new Date(Date.now() + 91 * 86_400_000);
    expect(await expireUnusedCodes(app.ctx, shop, later)).toBeGreaterThanOrEqual(1);
    expect(await redemptionModel(app.connection).findOne({ shop, code: answer.body.code }).lean()).toMatchObject({ status: 'expired' });
    expect((await balanceOf(app.connection, shop, String(id))).available).toBe(500);
    await expireUnusedCodes(app.ctx, shop, later);
    expect((await balanceOf(app.connection, shop, String(id))).available).toBe(500);
    await changeProgram(shop, (program) => ({ ...program, redemption: { ...program.redemption, returnPointsForExpiredCodes: false } }));
  });
});

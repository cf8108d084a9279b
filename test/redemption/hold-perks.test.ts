import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { metafieldKey, type Devstore } from '../../devstore/devstore.js';
import { balanceOf } from '../../server/ledger/index.js';
import { findRedemption } from '../../server/redemption/index.js';
import { startTestApp, type TestApp } from '../support/app.js';
import { bronzeAndGold, withGoldAndBronzeCustomers } from '../support/tiers.js';
import { deliverAndDrain, devstoreOf, installShop, proxy } from '../support/shopify.js';

const tiers = bronzeAndGold({ rewardDiscountPercent: 20 });

interface Terms {
  rewardId: string;
  stepPoints: number;
  stepAmount: number;
  minSteps: number;
}

interface HoldAnswer {
  holdId: string;
  points: number;
  amount: number;
  currency: string;
  error?: string;
}

describe("checkout points holds at the customer's tier price", () => {
  let app: TestApp;
  let devstore: Devstore;
  const shop = 'hold-perks.myshopify.com';
  const gold = 9_410_001;
  const bronze = 9_410_002;
  let keys = 0;

  beforeAll(async () => {
    app = await startTestApp('hold-perks', { PROXY_RATE_LIMIT: '10000' });
    devstore = devstoreOf(app);
    await installShop(app, shop);
    await withGoldAndBronzeCustomers(app, shop, tiers, { gold, bronze, points: 2_000 });
  });
  afterAll(async () => {
    await app.close();
  });

  const requestKey = () => `perk-hold-${String(++keys).padStart(4, '0')}`;
  const balance = async (customerId: number) => (await balanceOf(app.connection, shop, String(customerId))).available;

  async function terms(customerId: number): Promise<Terms> {
    const response = await proxy(app, shop, '/holds', { customerId });
    expect(response.status).toBe(200);
    return ((await response.json()) as { terms: Terms }).terms;
  }

  async function hold(customerId: number, points: number): Promise<{ status: number; body: HoldAnswer }> {
    const response = await proxy(app, shop, '/holds', { customerId, method: 'POST', body: { points, requestKey: requestKey() } });
    return { status: response.status, body: (await response.json()) as HoldAnswer };
  }

  /** What the Discount Function reads: the customer's holds metafield. */
  function published(customerId: number): Array<{ id: string; points: number; amount: string }> {
    const value = devstore.shop(shop)!.metafields.get(metafieldKey(`gid://shopify/Customer/${customerId}`, '$app:tally', 'holds'));
    return value === undefined ? [] : (JSON.parse(value) as { holds: Array<{ id: string; points: number; amount: string }> }).holds;
  }

  async function launcherCost(customerId: number, rewardId: string): Promise<number | undefined> {
    const view = (await (await proxy(app, shop, '/customer', { customerId })).json()) as { rewardCosts: Record<string, number> | null };
    return view.rewardCosts?.[rewardId];
  }

  it("offers a Gold member the slider at the tier's price per step, the launcher's price of the same reward", async () => {
    const golden = await terms(gold);
    // The default catalogue's "$5 off" costs 500 points; Gold takes 20 % off.
    expect(golden).toMatchObject({ rewardId: 'five-off', stepPoints: 400, stepAmount: 500 });
    expect(await launcherCost(gold, golden.rewardId)).toBe(golden.stepPoints);
    const plain = await terms(bronze);
    expect(plain).toMatchObject({ rewardId: 'five-off', stepPoints: 500, stepAmount: 500 });
    expect(await launcherCost(bronze, plain.rewardId)).toBe(plain.stepPoints);
  });

  it("a Gold member's hold of 800 points is worth $10: the answer, the metafield and the order's discount agree, and settling records it", async () => {
    const before = await balance(gold);
    const placed = await hold(gold, 800);
    expect(placed.status).toBe(201);
    expect(placed.body).toMatchObject({ points: 800, amount: 1_000, currency: 'USD' });
    expect(await balance(gold)).toBe(before - 800);
    expect(published(gold)).toEqual([expect.objectContaining({ id: placed.body.holdId, points: 800, amount: '10.00' })]);

    // Off the member's step the hold is refused, as the catalogue's step would be for anyone else.
    expect(await hold(gold, 500)).toMatchObject({ status: 422, body: { error: 'invalid_points' } });

    const product = devstore.addProduct(shop, { id: 94_101, title: 'Tea', priceMinor: 3_000, tags: [], giftCard: false });
    const order = devstore.createOrder(shop, {
      customerId: gold,
      lines: [{ productId: product.id, quantity: 1 }],
      attributes: { _tally_hold: placed.body.holdId },
    });
    expect(order.appDiscounts).toEqual([{ title: '800 points redeemed', amountMinor: 1_000 }]);
    await deliverAndDrain(app, devstore.pay(shop, order.id));
    const redemption = await findRedemption(app.connection, shop, placed.body.holdId);
    expect(redemption).toMatchObject({ status: 'used', pointsSpent: 800, value: { kind: 'amount_off', amount: 1_000 }, orderId: String(order.id) });
    expect(published(gold)).toEqual([]);
  });

  it('a customer without a discounting tier holds at the catalogue price, unchanged', async () => {
    const before = await balance(bronze);
    expect(await hold(bronze, 800)).toMatchObject({ status: 422, body: { error: 'invalid_points' } });
    const placed = await hold(bronze, 1_000);
    expect(placed.status).toBe(201);
    expect(placed.body).toMatchObject({ points: 1_000, amount: 1_000, currency: 'USD' });
    expect(await balance(bronze)).toBe(before - 1_000);
    expect(published(bronze)).toEqual([expect.objectContaining({ id: placed.body.holdId, points: 1_000, amount: '10.00' })]);
  });
});

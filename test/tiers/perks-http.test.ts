import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Devstore } from '../../devstore/devstore.js';
import { loadProgram } from '../../server/program/index.js';
import { TIER_TAGS_ADD, TIER_TAGS_REMOVE } from '../../server/shopify/operations.js';
import { adminClientFor } from '../../server/shops/index.js';
import {
  creditTierBirthdayBonuses,
  revisitTiers,
  tierBirthdayKey,
  type Tier,
  type TierTagsAddData,
  type TierTagsRemoveData,
} from '../../server/tiers/index.js';
import { startTestApp, type TestApp } from '../support/app.js';
import { bronzeAndGold, withGoldAndBronzeCustomers } from '../support/tiers.js';
import { api, deliverAndDrain, devstoreOf, installShop, proxy } from '../support/shopify.js';

const tiers = bronzeAndGold({ rewardDiscountPercent: 20, freeShipping: true, birthdayBonus: 150 });

interface CustomerAnswer {
  tier: { id: string } | null;
  perks: Tier['perks'] | null;
  rewardCosts: Record<string, number> | null;
  points: { balance: number } | null;
  program: { rewards: Array<{ id: string; pointsCost: number }> };
}

interface RedemptionAnswer {
  code: string | null;
  pointsSpent: number;
  balance: number;
}

describe('tier perks over HTTP: cheaper rewards, free shipping, birthday bonus; the tier written to the Shopify customer', () => {
  let app: TestApp;
  let devstore: Devstore;
  const shop = 'tiers-perks.myshopify.com';
  const gold = 9_400_001;
  const bronze = 9_400_002;

  beforeAll(async () => {
    app = await startTestApp('tiers-perks');
    devstore = devstoreOf(app);
    await installShop(app, shop);
    await withGoldAndBronzeCustomers(app, shop, tiers, { gold, bronze, points: 1_000 });
  });
  afterAll(async () => {
    await app.close();
  });

  async function customerView(customerId: number): Promise<CustomerAnswer> {
    const response = await proxy(app, shop, '/customer', { customerId });
    expect(response.status).toBe(200);
    return (await response.json()) as CustomerAnswer;
  }

  async function redeem(customerId: number, rewardId: string): Promise<RedemptionAnswer> {
    const response = await proxy(app, shop, '/redemptions', { customerId, method: 'POST', body: { rewardId } });
    expect(response.status).toBe(201);
    return (await response.json()) as RedemptionAnswer;
  }

  it("shows a Gold customer the tier's prices: 20 % off, free shipping for nothing; Bronze pays the catalog's price", async () => {
    const golden = await customerView(gold);
    expect(golden.tier?.id).toBe('gold');
    expect(golden.perks).toEqual(tiers[1]!.perks);
    expect(golden.rewardCosts).toMatchObject({ 'five-off': 400, 'free-shipping': 0 });
    expect(golden.program.rewards.find((reward) => reward.id === 'five-off')?.pointsCost).toBe(500);
    const plain = await customerView(bronze);
    expect(plain.tier?.id).toBe('bronze');
    expect(plain.rewardCosts).toMatchObject({ 'five-off': 500, 'free-shipping': 300 });
  });

  it('charges each customer the price their view showed', async () => {
    for (const customerId of [gold, bronze]) {
      const shown = (await customerView(customerId)).rewardCosts!['five-off']!;
      const before = (await customerView(customerId)).points!.balance;
      const redeemed = await redeem(customerId, 'five-off');
      expect(redeemed.pointsSpent).toBe(shown);
      expect(redeemed.balance).toBe(before - shown);
    }
  });

  it('issues a Gold customer a free-shipping code for no points, and charges Bronze the reward', async () => {
    const before = (await customerView(gold)).points!.balance;
    const free = await redeem(gold, 'free-shipping');
    expect(free).toMatchObject({ pointsSpent: 0, balance: before });
    expect([...devstore.shop(shop)!.discounts.values()].find((discount) => discount.code === free.code)?.kind).toBe('free_shipping');
    expect((await redeem(bronze, 'free-shipping')).pointsSpent).toBe(300);
  });

  it("adds the tier's birthday bonus once a year to the birthday points, only for the tier that has it", async () => {
    const now = new Date();
    const birthday = `${now.toISOString().slice(5, 7)}-01`;
    for (const customerId of [gold, bronze]) {
      const response = await proxy(app, shop, '/actions', { customerId, method: 'POST', body: { type: 'birthday', birthday } });
      expect(response.status).toBe(201);
    }
    const program = (await loadProgram(app.connection, shop))!;
    expect(await creditTierBirthdayBonuses(app.ctx, program, shop, now)).toBe(1);
    expect(await creditTierBirthdayBonuses(app.ctx, program, shop, now)).toBe(0);
    const ledger = async (customerId: number) =>
      ((await (await api(app, shop, `/customers/${customerId}`)).json()) as { ledger: Array<{ key: string; type: string; points: number }> }).ledger;
    const year = String(now.getUTCFullYear());
    const bonus = (await ledger(gold)).filter((entry) => entry.key === tierBirthdayKey(String(gold), year));
    expect(bonus.map((entry) => [entry.type, entry.points])).toEqual([['bonus', 150]]);
    expect((await ledger(bronze)).some((entry) => entry.key === tierBirthdayKey(String(bronze), year))).toBe(false);
  });

  it("the tiers job puts the tier's tag on the devstore customer and takes the old one off", async () => {
    const customer = devstore.shop(shop)!.customers.get(gold)!;
    customer.tags.push('vip-by-hand');
    await revisitTiers(app.ctx, shop, new Date());
    expect(customer.tags).toEqual(['vip-by-hand', 'tally-tier-gold']);
    expect(devstore.shop(shop)!.customers.get(bronze)!.tags).toEqual(['tally-tier-bronze']);

    const order = devstore.createOrder(shop, { customerId: bronze, lines: [{ priceMinor: 9_000 }] });
    await deliverAndDrain(app, devstore.pay(shop, order.id));
    await revisitTiers(app.ctx, shop, new Date());
    expect(devstore.shop(shop)!.customers.get(bronze)!.tags).toEqual(['tally-tier-gold']);
  });

  it("the devstore's tagsAdd and tagsRemove answer a user error on id for an unknown customer, as Shopify does", async () => {
    const admin = adminClientFor(app.ctx);
    const unknown = { id: 'gid://shopify/Customer/1', tags: ['x'] };
    const added = await admin<TierTagsAddData>(shop, TIER_TAGS_ADD, unknown);
    expect(added.tagsAdd).toMatchObject({ node: null, userErrors: [{ field: ['id'] }] });
    const removed = await admin<TierTagsRemoveData>(shop, TIER_TAGS_REMOVE, unknown);
    expect(removed.tagsRemove).toMatchObject({ node: null, userErrors: [{ field: ['id'] }] });
    const twice = await admin<TierTagsAddData>(shop, TIER_TAGS_ADD, { id: `gid://shopify/Customer/${gold}`, tags: ['VIP-BY-HAND, summer'] });
    expect(twice.tagsAdd).toEqual({ node: { id: `gid://shopify/Customer/${gold}` }, userErrors: [] });
    expect(devstore.shop(shop)!.customers.get(gold)!.tags).toEqual(['vip-by-hand', 'tally-tier-gold', 'summer']);
  });
});

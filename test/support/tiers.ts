import { expect } from 'vitest';
import type { Program } from '../../server/program/index.js';
import type { Tier } from '../../server/tiers/index.js';
import type { TestApp } from './app.js';
import { api, deliverAndDrain, devstoreOf, grantPoints } from './shopify.js';

export const NO_PERKS: Tier['perks'] = { rewardDiscountPercent: 0, freeShipping: false, birthdayBonus: 0 };

/** Bronze from nothing and Gold from $100 spent, Gold with the perks given. */
export function bronzeAndGold(goldPerks: Partial<Tier['perks']>): Tier[] {
  return [
    { id: 'bronze', name: 'Bronze', threshold: 0, earnMultiplier: 1, entryReward: 0, perks: NO_PERKS },
    { id: 'gold', name: 'Gold', threshold: 10_000, earnMultiplier: 1, entryReward: 0, perks: { ...NO_PERKS, ...goldPerks } },
  ];
}

/**
 * Puts `tiers` (by lifetime spend) on an installed shop's program, makes `gold` Gold with a paid
 * $120 order and `bronze` Bronze with a $20 one, then grants each `points` by hand.
 */
export async function withGoldAndBronzeCustomers(
  app: TestApp,
  shop: string,
  tiers: Tier[],
  customers: { gold: number; bronze: number; points: number },
): Promise<void> {
  const devstore = devstoreOf(app);
  const current = (await (await api(app, shop, '/program')).json()) as Program;
  const saved = await api(app, shop, '/program', {
    method: 'PUT',
    body: { ...current, tiers, tierRules: { metric: 'spend', period: 'lifetime', downgrade: 'immediate', graceDays: 0 } },
  });
  expect(saved.status).toBe(200);
  await deliverAndDrain(app, [devstore.addCustomer(shop, { id: customers.gold }), devstore.addCustomer(shop, { id: customers.bronze })]);
  for (const [customerId, priceMinor] of [
    [customers.gold, 12_000],
    [customers.bronze, 2_000],
  ] as const) {
    const order = devstore.createOrder(shop, { customerId, lines: [{ priceMinor }] });
    await deliverAndDrain(app, devstore.pay(shop, order.id));
  }
  await grantPoints(app, shop, customers.gold, customers.points);
  await grantPoints(app, shop, customers.bronze, customers.points);
}

import { describe, expect, it } from 'vitest';
import { averageTierMultiplier, programEconomics, type RecentOrders, type TierMix } from '../../server/program/economics.js';
import { defaultProgram, type Program } from '../../server/program/program.js';

const NO_ORDERS: RecentOrders = { days: 30, orders: 0, revenue: 0, outstandingPoints: 0 };
const FIFTY_DOLLARS = 5_000;
const perks = { rewardDiscountPercent: 0, freeShipping: false, birthdayBonus: 0 };
const tiers: Program['tiers'] = [
  { id: 'bronze', name: 'Bronze', threshold: 0, earnMultiplier: 1, entryReward: 0, perks },
  { id: 'silver', name: 'Silver', threshold: 10_000, earnMultiplier: 1.5, entryReward: 0, perks },
  { id: 'gold', name: 'Gold', threshold: 50_000, earnMultiplier: 2, entryReward: 0, perks },
];
const mix = (counts: Record<string, number>): TierMix => ({
  basis: 'customers',
  customers: Object.values(counts).reduce((sum, count) => sum + count, 0),
  counts,
});

describe('program economics with tier multipliers', () => {
  const plain = defaultProgram('USD');
  const tiered: Program = { ...plain, tiers };
  const base = programEconomics(plain, NO_ORDERS, FIFTY_DOLLARS);

  it('weighs each tier multiplier by its share of customers: half at ×1, a quarter each at ×1.5 and ×2 give ×1.375', () => {
    expect(averageTierMultiplier(tiers, mix({ bronze: 2, silver: 1, gold: 1 }))).toBeCloseTo(1.375, 10);
    const result = programEconomics(tiered, NO_ORDERS, FIFTY_DOLLARS, {}, mix({ bronze: 2, silver: 1, gold: 1 }));
    expect(result.tierMultiplier).toBeCloseTo(1.375, 10);
    expect(result.pointsPerOrder).toBeCloseTo(base.pointsPerOrder * 1.375, 10);
    expect(result.giveBackRate).toBeCloseTo(base.giveBackRate * 1.375, 10);
    expect(result.projectedCost).toBeCloseTo(base.projectedCost * 1.375, 10);
    expect(result.findings).toContainEqual({
      code: 'tier_multipliers',
      values: { multiplier: result.tierMultiplier, basis: 'customers', customers: 4 },
    });
  });

  it('without customers yet, assumes everyone in the lowest tier and says so', () => {
    const lowest: Program = { ...plain, tiers: tiers.map((tier) => (tier.id === 'bronze' ? { ...tier, earnMultiplier: 1.25 } : tier)) };
    const result = programEconomics(lowest, NO_ORDERS, FIFTY_DOLLARS, {}, { basis: 'lowest_tier', customers: 0, counts: {} });
    expect(result.tierMultiplier).toBe(1.25);
    expect(result.giveBackRate).toBeCloseTo(base.giveBackRate * 1.25, 10);
    expect(result.findings).toContainEqual({ code: 'tier_multipliers', values: { multiplier: 1.25, basis: 'lowest_tier', customers: 0 } });
    expect(programEconomics(lowest, NO_ORDERS, FIFTY_DOLLARS).tierMultiplier).toBe(1.25);
  });

  it('counts the first reward from what a new customer earns, in the lowest tier', () => {
    const result = programEconomics(tiered, NO_ORDERS, FIFTY_DOLLARS, {}, mix({ gold: 10 }));
    expect(result.tierMultiplier).toBe(2);
    expect(result.ordersToFirstReward).toBe(base.ordersToFirstReward);
  });

  it('a program without tiers is unchanged and has no tier finding', () => {
    const result = programEconomics(plain, NO_ORDERS, FIFTY_DOLLARS, {}, mix({ gold: 3 }));
    expect(result.tierMultiplier).toBe(1);
    expect(result.giveBackRate).toBe(base.giveBackRate);
    expect(result.findings.some((finding) => finding.code === 'tier_multipliers')).toBe(false);
  });
});

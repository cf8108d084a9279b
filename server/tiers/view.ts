import type { AppContext } from '../platform/context.js';
import { pointsCostFor } from '../redemption/index.js';
import { moneyFormatter } from '../platform/money.js';
import type { Program } from '../program/index.js';
import {
  combineMultipliers,
  hasTiersOrMembership,
  perksHeld,
  standingAt,
  standingSummary,
  tierSettingsOf,
  type Perks,
  type TierMetric,
  type TierSettings,
} from './rules.js';
import { eventsOf, readState } from './store.js';

/** The tier fields of the shopper's view (CONTRACT.md), plus the progress the launcher draws. */
export interface ShopperTierView {
  tier: { id: string; name: string } | null;
  nextTier: { id: string; name: string; remaining: number } | null;
  membership: { active: boolean; until: string | null };
  tierProgress: {
    metric: TierMetric;
    period: TierSettings['rules']['period'];
    tiers: Array<{ id: string; name: string; threshold: number; earnMultiplier: number }>;
    /** The metric counted so far in the current period. */
    value: number;
    /** "$120", "300 points", "2 orders": what is still needed for the next tier. */
    nextText: string | null;
    /** Keep the tier: `remainingText` more by `by` (yyyy-mm-dd, inclusive). */
    keep: { id: string; name: string; remaining: number; remainingText: string; by: string } | null;
    multiplier: number;
  } | null;
  /** The logged-in customer's perks, and each reward's points for them (what redemption charges); null for guests and without tiers. */
  perks: Perks | null;
  rewardCosts: Record<string, number> | null;
}

const noTiers: ShopperTierView = {
  tier: null,
  nextTier: null,
  membership: { active: false, until: null },
  tierProgress: null,
  perks: null,
  rewardCosts: null,
};

function amountText(program: Program, metric: TierMetric, amount: number): string {
  if (metric === 'spend') return moneyFormatter(program.currency)(amount);
  if (metric === 'orders') return `${amount} ${amount === 1 ? 'order' : 'orders'}`;
  return `${amount} ${program.pointsName}`;
}

export interface Standing {
  tierId: string | null;
  value: number;
  next: { id: string; name: string; remaining: number } | null;
  retention: { id: string; name: string; remaining: number; by: Date } | null;
  membershipUntil: Date | null;
}

/**
 * Reads the customer's standing by _id when the stored one still holds (same program version,
 * not run out); otherwise replays the customer's events, without writing (the job records it).
 */
export async function standingOf(
  ctx: AppContext,
  program: Program,
  settings: TierSettings,
  shop: string,
  customerId: string,
  now: Date,
): Promise<Standing> {
  const state = await readState(ctx.connection, shop, customerId);
  if (state && state.programVersion === program.version && state.evaluatedAt <= now && (state.validUntil === null || state.validUntil > now))
    return state;
  return standingSummary(standingAt(settings, await eventsOf(ctx.connection, shop, customerId), now));
}

/** What a shopper sees of tiers and membership; a program with neither costs no database read. */
export async function shopperTierView(
  ctx: AppContext,
  program: Program,
  shop: string,
  customerId: string | null,
  now: Date,
): Promise<ShopperTierView> {
  const settings = tierSettingsOf(program);
  if (!hasTiersOrMembership(settings)) return noTiers;
  const tiers = settings.tiers.map(({ id, name, threshold, earnMultiplier }) => ({ id, name, threshold, earnMultiplier }));
  const { metric, period } = settings.rules;
  if (customerId === null) {
    return { ...noTiers, tierProgress: tiers.length > 0 ? { metric, period, tiers, value: 0, nextText: null, keep: null, multiplier: 1 } : null };
  }
  const standing = await standingOf(ctx, program, settings, shop, customerId, now);
  const tier = settings.tiers.find((candidate) => candidate.id === standing.tierId) ?? null;
  const member = standing.membershipUntil !== null && standing.membershipUntil > now;
  const membership = { active: settings.membership.enabled && member, until: standing.membershipUntil?.toISOString() ?? null };
  const perks = perksHeld(tier, membership.active ? settings.membership : null);
  const multiplier = combineMultipliers(
    tier?.earnMultiplier ?? 1,
    membership.active ? settings.membership.earnMultiplier : 1,
    settings.membership.combine,
  );
  return {
    tier: tier ? { id: tier.id, name: tier.name } : null,
    nextTier: standing.next,
    membership,
    perks,
    rewardCosts: rewardCostsFor(program, perks),
    tierProgress:
      tiers.length > 0
        ? {
            metric,
            period,
            tiers,
            value: standing.value,
            nextText: standing.next ? amountText(program, metric, standing.next.remaining) : null,
            keep: standing.retention
              ? {
                  ...standing.retention,
                  remainingText: amountText(program, metric, standing.retention.remaining),
                  by: standing.retention.by.toISOString().slice(0, 10),
                }
              : null,
            multiplier,
          }
        : null,
  };
}

/**
 * Every enabled reward's price for a holder of `perks`, by reward id: what the storefront shows
 * and what redemption charges (a "points for money" reward is priced per step).
 */
export function rewardCostsFor(program: Program, perks: Perks): Record<string, number> {
  return Object.fromEntries(
    program.rewards.filter((reward) => reward.enabled).map((reward) => [reward.id, pointsCostFor(reward.pointsCost, reward.type, perks)]),
  );
}

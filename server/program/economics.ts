import { currencyDecimals, hundredths, mulDivFloor } from '../platform/money.js';
import { pointValueOf, rewardValue, valueOf, type PointValue, type VariantPrices } from './point-value.js';
import type { Program, Reward } from './program.js';

export type { VariantPrices } from './point-value.js';

/** The shop's recent trade, which turns a program into money. Amounts in minor units. */
export interface RecentOrders {
  days: number;
  orders: number;
  /** Eligible revenue (what earns points) over those days. */
  revenue: number;
  /** Points customers hold now and could redeem. */
  outstandingPoints: number;
}

/** Where the give-back rate sits against what loyalty programs usually return (1–5 % of spend). */
export type Band = 'none' | 'below' | 'within' | 'above' | 'far_above';

export type Verdict = 'off' | 'incomplete' | 'too_stingy' | 'slow_first_reward' | 'balanced' | 'generous' | 'too_generous';

/** A fact behind the verdict, for the admin to put in words; `values` fill its placeholders. */
export type Finding =
  | { code: 'program_off' }
  | { code: 'reward_without_cost'; values: { reward: string } }
  | { code: 'reward_without_value'; values: { reward: string } }
  | { code: 'no_reward' }
  | { code: 'earning_incomplete' }
  | { code: 'below_minimum_order'; values: { minimum: number } }
  | { code: 'band'; values: { band: Band; rate: number } }
  | { code: 'first_reward'; values: { orders: number } }
  | { code: 'first_reward_slow'; values: { orders: number; averageOrder: number } }
  | { code: 'punch_card'; values: { bonusPoints: number; everyNthOrder: number } }
  | { code: 'cash_back'; values: { rate: number } }
  | { code: 'multipliers_extra' }
  | { code: 'tier_multipliers'; values: { multiplier: number; basis: TierMix['basis']; customers: number } }
  | { code: 'product_price_assumed'; values: { reward: string } }
  | { code: 'point_values_differ'; values: { low: RewardRate; high: RewardRate; liabilityPer100: number } };

/** What one reward gives per point at an average order, in minor units (fractional). */
export interface RewardRate {
  reward: string;
  perPoint: number;
}

/**
 * How customers spread over the tiers, to weigh the tiers' multipliers: the shop's customers per
 * tier (the tier editor's distribution preview), or, for a shop without customers yet, everyone
 * in the lowest tier, where a new customer starts.
 */
export interface TierMix {
  basis: 'customers' | 'lowest_tier';
  customers: number;
  /** Customers per tier id. */
  counts: Readonly<Record<string, number>>;
}

/** A way to earn beyond orders and what one occurrence costs at the point value, in minor units. */
export interface EngagementCost {
  kind: 'referral' | 'signup' | 'birthday' | 'newsletter' | 'social_follow' | 'review' | 'nps' | 'badge' | 'challenge';
  points: number;
  /** The points at `pointValueOf` (the friend's discount for a referral is `extra`). */
  value: number;
  /** A referral's friend discount at an average order, in minor units (0 for the others). */
  extra: number;
}

/**
 * What each enabled way to earn beyond orders gives once, at the point value: a referral (the
 * referrer's points and the friend's first-order discount), sign-up, birthday, newsletter, each
 * social follow, each review, the NPS survey, the richest badge and challenge.
 */
export function engagementCosts(program: Program, averageOrder: number): EngagementCost[] {
  const perThousand = pointValueOf(program).perThousand;
  const costs: EngagementCost[] = [];
  const add = (kind: EngagementCost['kind'], points: number, extra = 0) => {
    if (points > 0 || extra > 0) costs.push({ kind, points, value: valueOf(points, perThousand), extra });
  };
  const { referrals, actions, surveys } = program;
  if (referrals.enabled) {
    const discount = referrals.friendDiscount;
    add(
      'referral',
      referrals.referrerPoints,
      discount.kind === 'amount_off' ? Math.min(discount.value, averageOrder) : Math.round((averageOrder * discount.value) / 100),
    );
  }
  if (actions.signup.enabled) add('signup', actions.signup.points);
  if (actions.birthday.enabled) add('birthday', actions.birthday.points);
  if (actions.newsletter.enabled) add('newsletter', actions.newsletter.points);
  if (actions.socialFollow.enabled) add('social_follow', actions.socialFollow.points);
  if (actions.review.enabled) add('review', actions.review.points);
  if (surveys.nps.enabled) add('nps', surveys.nps.points);
  add(
    'badge',
    program.badges.reduce((max, badge) => Math.max(max, badge.points), 0),
  );
  add(
    'challenge',
    program.challenges.reduce((max, challenge) => Math.max(max, challenge.points), 0),
  );
  return costs;
}

export interface Economics {
  /**
   * What one point gives back at the best-value reward for an average order, in minor units
   * (fractional; 0 when no reward can be valued): the basis of the give-back rate only.
   */
  pointValue: number;
  /** The point value every page uses for money (liability, goodwill): `pointValueOf(program)`. */
  pointValueOf: PointValue;
  /** Points an average order earns, punch card bonus included (averaged over its cycle), tier multipliers weighted in. */
  pointsPerOrder: number;
  /** The tiers' earning multipliers weighted by the tier mix (1 without tiers). */
  tierMultiplier: number;
  /** Share of spend returned to customers once their points are redeemed, cash back included (0.02 = 2 %). */
  giveBackRate: number;
  band: Band;
  /** Cost of the program per 100 units of revenue, in minor units. */
  costPer100: number;
  averageOrder: number;
  /** Orders of average size before the cheapest reward; null when the program earns no points or has no reward. */
  ordersToFirstReward: number | null;
  /** What the shop's last `days` of orders would cost under this program, in minor units. */
  projectedCost: number;
  /** What the points customers already hold are worth, in minor units: `valueOf(points held, pointValueOf.perThousand)`. */
  liability: number;
  /** Whether the program earns points at all (cash back instead of points earns none). */
  earnsPoints: boolean;
  /** Ways to earn beyond orders, each with what it costs once (not in the give-back, which is per order). */
  engagement: EngagementCost[];
  verdict: Verdict;
  findings: Finding[];
}

/** Loyalty programs usually return 1–5 % of spend; above 10 % they eat the margin, below 1 % few notice. */
export const BAND = { low: 0.01, high: 0.05, ceiling: 0.1 } as const;
const MAX_ORDERS_TO_FIRST_REWARD = 10;
/** Beyond this many orders the first reward is out of reach in practice. */
const ORDERS_SIMULATED = 10_000;
/** Rewards whose values per point differ by this factor or more are worth a warning. */
const POINT_VALUE_SPREAD = 1.5;

/**
 * The average earning multiplier of an order under the program's tiers, each tier weighted by its
 * share of the mix. Membership multipliers are not in it: who will buy one is not known.
 */
export function averageTierMultiplier(tiers: Program['tiers'] | undefined, mix: TierMix | undefined): number {
  if (!tiers || tiers.length === 0) return 1;
  const lowest = [...tiers].sort((a, b) => a.threshold - b.threshold)[0]!;
  const counted = tiers.reduce((sum, tier) => sum + (mix?.counts[tier.id] ?? 0), 0);
  if (!mix || mix.basis === 'lowest_tier' || counted <= 0) return lowest.earnMultiplier;
  return tiers.reduce((sum, tier) => sum + ((mix.counts[tier.id] ?? 0) * tier.earnMultiplier) / counted, 0);
}

function positive(value: number): boolean {
  return Number.isFinite(value) && value > 0;
}

export function bandOf(rate: number): Band {
  if (rate <= 0) return 'none';
  if (rate < BAND.low) return 'below';
  if (rate <= BAND.high) return 'within';
  if (rate <= BAND.ceiling) return 'above';
  return 'far_above';
}

/** Points an order of `amount` earns under the base rate, the minimum order and the per-order cap (rounded down, as earning does). */
function basePoints(earning: Program['earning'], amount: number, unit: number): number {
  if (amount < earning.minimumOrderAmount) return 0;
  const points = mulDivFloor(Math.round(amount), hundredths(earning.pointsPerCurrencyUnit), 100 * unit);
  return earning.caps.perOrder === null ? points : Math.min(points, earning.caps.perOrder);
}

/**
 * Orders of `base` points before a new customer holds `cost` points, order by order as earning
 * counts them: the punch card's bonus on every nth order, the tier multiplier on both rounded
 * down, the per-order cap last. Null when it takes more than ORDERS_SIMULATED orders.
 */
function ordersToReach(cost: number, base: number, earning: Program['earning'], multiplier: number): number | null {
  const punch = earning.punchCard;
  const bonusEvery = punch.enabled && positive(punch.everyNthOrder) && positive(punch.bonusPoints) ? punch.everyNthOrder : 0;
  const scaled = Math.round(multiplier * 10_000);
  let held = 0;
  for (let order = 1; order <= ORDERS_SIMULATED; order++) {
    const before = base + (bonusEvery > 0 && order % bonusEvery === 0 ? punch.bonusPoints : 0);
    const points = scaled === 10_000 ? before : mulDivFloor(before, scaled, 10_000);
    held += earning.caps.perOrder === null ? points : Math.min(points, earning.caps.perOrder);
    if (held >= cost) return order;
  }
  return null;
}

/**
 * What a program costs, before it costs anything: the give-back rate (points an average order
 * earns, punch card included, × money per point at the best-value reward, plus cash back), cost
 * per 100 of revenue, orders to the first reward, the cost of the recent orders under it and the
 * liability of the points already held. The verdict follows the band the rate falls in, so the
 * two never disagree; `findings` say why, for the admin to put in words.
 */
export function programEconomics(
  program: Program,
  recent: RecentOrders,
  fallbackAverageOrder: number,
  prices: VariantPrices = {},
  tierMix?: TierMix,
): Economics {
  const unit = 10 ** currencyDecimals(program.currency);
  const averageOrder = recent.orders > 0 && recent.revenue > 0 ? recent.revenue / recent.orders : fallbackAverageOrder;
  const earning = program.earning;
  const findings: Finding[] = [];

  const enabledRewards = program.rewards.filter((reward) => reward.enabled);
  const valued: Array<{ reward: Reward; name: string; value: number }> = [];
  for (const [index, reward] of enabledRewards.entries()) {
    const value = rewardValue(reward, averageOrder, prices);
    // A reward whose name is still blank is named by its place, never as “”.
    const name = reward.name.trim() || `Reward ${index + 1}`;
    if (!positive(reward.pointsCost)) findings.push({ code: 'reward_without_cost', values: { reward: name } });
    else if (!positive(value)) findings.push({ code: 'reward_without_value', values: { reward: name } });
    else {
      valued.push({ reward, name, value });
      if (reward.type === 'free_product' && prices[reward.variantId] === undefined)
        findings.push({ code: 'product_price_assumed', values: { reward: reward.name } });
    }
  }
  const pointValue = valued.reduce((best, { reward, value }) => Math.max(best, value / reward.pointsCost), 0);

  const earnsPoints = !(earning.cashBack.enabled && earning.cashBack.insteadOfPoints);
  const earningComplete =
    Number.isFinite(earning.pointsPerCurrencyUnit) && earning.pointsPerCurrencyUnit >= 0 && Number.isFinite(earning.minimumOrderAmount);
  const punchCard =
    earning.punchCard.enabled && positive(earning.punchCard.everyNthOrder) && positive(earning.punchCard.bonusPoints)
      ? earning.punchCard.bonusPoints / earning.punchCard.everyNthOrder
      : 0;
  const base = earnsPoints && earningComplete ? basePoints(earning, averageOrder, unit) : 0;
  // A tier multiplies an order's points (punch card bonuses are not order points); a new customer starts in the lowest tier.
  const tierMultiplier = averageTierMultiplier(program.tiers, tierMix);
  const pointsPerOrder = earnsPoints ? base * tierMultiplier + punchCard : 0;
  const firstOrderPoints = earnsPoints ? base * averageTierMultiplier(program.tiers, undefined) + punchCard : 0;
  const cashBackRate = earning.cashBack.enabled && positive(earning.cashBack.percent) ? earning.cashBack.percent / 100 : 0;
  const pointsRate = averageOrder > 0 ? (pointsPerOrder * pointValue) / averageOrder : 0;
  const giveBackRate = program.enabled ? pointsRate + cashBackRate : 0;
  // Banded as shown (to a tenth of a percent), so "5.0 %" is never called above a band that ends at 5 %.
  const band = bandOf(Math.round(giveBackRate * 1000) / 1000);

  const cheapest = valued.reduce((min, { reward }) => Math.min(min, reward.pointsCost), Infinity);
  const ordersToFirstReward =
    firstOrderPoints > 0 && Number.isFinite(cheapest)
      ? ordersToReach(cheapest, base, earning, averageTierMultiplier(program.tiers, undefined))
      : null;
  const moneyValue = pointValueOf(program);
  const rates = valued.map(({ reward, name, value }): RewardRate => ({ reward: name, perPoint: value / reward.pointsCost }));
  const low = rates.reduce<RewardRate | null>((min, rate) => (min === null || rate.perPoint < min.perPoint ? rate : min), null);
  const high = rates.reduce<RewardRate | null>((max, rate) => (max === null || rate.perPoint > max.perPoint ? rate : max), null);
  if (low && high && high.perPoint >= low.perPoint * POINT_VALUE_SPREAD)
    findings.push({ code: 'point_values_differ', values: { low, high, liabilityPer100: valueOf(100, moneyValue.perThousand) } });

  if (earnsPoints && !earningComplete) findings.push({ code: 'earning_incomplete' });
  if (earnsPoints && earningComplete && averageOrder < earning.minimumOrderAmount)
    findings.push({ code: 'below_minimum_order', values: { minimum: earning.minimumOrderAmount } });
  if (earnsPoints && valued.length === 0) findings.push({ code: 'no_reward' });
  if (punchCard > 0 && earnsPoints)
    findings.push({ code: 'punch_card', values: { bonusPoints: earning.punchCard.bonusPoints, everyNthOrder: earning.punchCard.everyNthOrder } });
  if (cashBackRate > 0) findings.push({ code: 'cash_back', values: { rate: cashBackRate } });
  if (earnsPoints && (earning.multipliers.length > 0 || earning.promotions.length > 0)) findings.push({ code: 'multipliers_extra' });
  if (earnsPoints && (program.tiers?.length ?? 0) > 0)
    findings.push({
      code: 'tier_multipliers',
      values: { multiplier: tierMultiplier, basis: tierMix?.basis ?? 'lowest_tier', customers: tierMix?.customers ?? 0 },
    });

  let verdict: Verdict;
  const incomplete =
    (earnsPoints && (!earningComplete || valued.length === 0)) ||
    findings.some((finding) => finding.code === 'reward_without_cost' || finding.code === 'reward_without_value');
  if (!program.enabled) {
    verdict = 'off';
    findings.unshift({ code: 'program_off' });
  } else if (incomplete) {
    verdict = 'incomplete';
  } else {
    findings.unshift({ code: 'band', values: { band, rate: giveBackRate } });
    const slow = ordersToFirstReward !== null && ordersToFirstReward > MAX_ORDERS_TO_FIRST_REWARD;
    if (ordersToFirstReward !== null)
      findings.splice(
        1,
        0,
        slow
          ? { code: 'first_reward_slow', values: { orders: ordersToFirstReward, averageOrder } }
          : { code: 'first_reward', values: { orders: ordersToFirstReward } },
      );
    if (band === 'far_above') verdict = 'too_generous';
    else if (band === 'above') verdict = 'generous';
    else if (band === 'none' || band === 'below') verdict = 'too_stingy';
    else verdict = slow ? 'slow_first_reward' : 'balanced';
  }

  return {
    pointValue,
    pointValueOf: moneyValue,
    pointsPerOrder,
    tierMultiplier,
    giveBackRate,
    band,
    costPer100: giveBackRate * 100 * unit,
    averageOrder,
    ordersToFirstReward,
    projectedCost: recent.revenue * giveBackRate,
    liability: valueOf(Math.max(0, recent.outstandingPoints), moneyValue.perThousand),
    earnsPoints,
    engagement: program.enabled ? engagementCosts(program, averageOrder) : [],
    verdict,
    findings,
  };
}

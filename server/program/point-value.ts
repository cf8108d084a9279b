import { currencyDecimals } from '../platform/money.js';
import type { Program, Reward } from './program.js';

/**
 * The one definition of what a point is worth. Every page that shows a point's value, the
 * liability or goodwill in money (Home, the economics panel, Analytics and accounting, a
 * customer's insight, a program group's report) calls `pointValueOf` and `valueOf` below.
 */
export interface PointValue {
  /** Minor units 1000 points are worth. */
  perThousand: number;
  /** How it was found, in words for the report. */
  basis: string;
  /** The reward it was read from, when a fixed-value reward set it. */
  rewardName: string | null;
}

/** A typical order when the catalog has no fixed-value reward to read a rate from: 50 currency units. */
export const TYPICAL_ORDER_UNITS = 50;
/** A free-shipping reward is worth roughly one shipping charge; without the shop's figures we assume 8 % of an order. */
const SHIPPING_SHARE_OF_ORDER = 0.08;
/** A free product whose price is unknown is valued at a tenth of an average order. */
const UNKNOWN_PRODUCT_SHARE_OF_ORDER = 0.1;

/** Prices the admin knows (from the resource picker) by variant id, in minor units. */
export type VariantPrices = Readonly<Record<string, number>>;

/** The money a reward gives, when it is a fixed amount (amount off, store credit, a step of points for money). */
export function fixedRewardValue(reward: Reward): number | null {
  switch (reward.type) {
    case 'amount_off':
      return reward.amountOff;
    case 'store_credit':
      return reward.creditAmount;
    case 'points_for_money':
      return reward.stepAmount;
    default:
      return null;
  }
}

/** The money a reward is worth to a customer with an average order, in minor units; NaN when a field is unset. */
export function rewardValue(reward: Reward, averageOrder: number, prices: VariantPrices): number {
  switch (reward.type) {
    case 'amount_off':
      // A discount cannot take more than the order.
      return Math.min(reward.amountOff, averageOrder);
    case 'store_credit':
      return reward.creditAmount;
    case 'points_for_money':
      return reward.stepAmount;
    case 'percentage_off':
      return (averageOrder * reward.percentageOff) / 100;
    case 'free_shipping':
      return averageOrder * SHIPPING_SHARE_OF_ORDER;
    case 'free_product':
      return prices[reward.variantId] ?? averageOrder * UNKNOWN_PRODUCT_SHARE_OF_ORDER;
  }
}

const positive = (value: number): boolean => Number.isFinite(value) && value > 0;

/** Minor units per 1000 points for `value` minor units at `pointsCost` points, rounded half up. */
const perThousandOf = (value: number, pointsCost: number): number => Math.floor((value * 1000 * 2 + pointsCost) / (pointsCost * 2));

/**
 * The money value of 1000 points: the best rate among enabled rewards with a fixed money value
 * (amount off, store credit, points for money), since a customer redeems where points go furthest
 * and a liability should not be understated. A catalog of only percentage, shipping and product
 * rewards is valued at a typical order of 50 currency units.
 */
export function pointValueOf(program: Program): PointValue {
  let best: { reward: Reward; perThousand: number } | null = null;
  for (const reward of program.rewards) {
    const value = reward.enabled ? fixedRewardValue(reward) : null;
    if (value === null || !positive(value) || !positive(reward.pointsCost)) continue;
    const perThousand = perThousandOf(value, reward.pointsCost);
    if (!best || perThousand > best.perThousand) best = { reward, perThousand };
  }
  if (best)
    return {
      perThousand: best.perThousand,
      basis: `best fixed-value reward: ${best.reward.name} (${best.reward.pointsCost} points)`,
      rewardName: best.reward.name,
    };
  const typicalOrder = TYPICAL_ORDER_UNITS * 10 ** currencyDecimals(program.currency);
  const estimate = program.rewards
    .filter((reward) => reward.enabled && positive(reward.pointsCost))
    .reduce((max, reward) => {
      const value = rewardValue(reward, typicalOrder, {});
      return positive(value) ? Math.max(max, value / reward.pointsCost) : max;
    }, 0);
  return {
    perThousand: Math.round(estimate * 1000),
    basis: `estimated from the catalog at a typical order of ${TYPICAL_ORDER_UNITS} ${program.currency}`,
    rewardName: null,
  };
}

/** Points at their money value: minor units, `perThousand` per 1000 points, rounded half up. The liability is `valueOf(points held, pointValueOf(program).perThousand)`. */
export function valueOf(points: number, perThousand: number): number {
  const sign = points < 0 ? -1 : 1;
  return sign * Math.floor((Math.abs(points) * perThousand + 500) / 1000);
}

import { currencyDecimals } from '../platform/money.js';
import { programEconomics, type Program, type Reward } from '../program/index.js';

export interface PointValue {
  /** Minor units 1000 points are worth. */
  perThousand: number;
  /** How it was found, in words for the report. */
  basis: string;
}

/** A typical order when the catalog has no fixed-value reward to read a rate from: 50 currency units. */
const TYPICAL_ORDER_UNITS = 50;

function fixedValue(reward: Reward): number | null {
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

/**
 * The money value of 1000 points: the best rate among enabled rewards with a fixed money value
 * (amount off, store credit, points for money), since a customer redeems where points go furthest
 * and a liability should not be understated. A catalog of only percentage, shipping and product
 * rewards is valued by the program-economics estimate at a typical order.
 */
export function pointValueOf(program: Program): PointValue {
  let best: { reward: Reward; perThousand: number } | null = null;
  for (const reward of program.rewards) {
    const value = reward.enabled ? fixedValue(reward) : null;
    if (value === null) continue;
    const perThousand = Math.floor((value * 1000 * 2 + reward.pointsCost) / (reward.pointsCost * 2));
    if (!best || perThousand > best.perThousand) best = { reward, perThousand };
  }
  if (best) return { perThousand: best.perThousand, basis: `best fixed-value reward: ${best.reward.name} (${best.reward.pointsCost} points)` };
  const typicalOrder = TYPICAL_ORDER_UNITS * 10 ** currencyDecimals(program.currency);
  const estimate = programEconomics(program, { days: 0, orders: 0, revenue: 0, outstandingPoints: 0 }, typicalOrder).pointValue;
  return {
    perThousand: Math.round(estimate * 1000),
    basis: `estimated from the catalog at a typical order of ${TYPICAL_ORDER_UNITS} ${program.currency}`,
  };
}

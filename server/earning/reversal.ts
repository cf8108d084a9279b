import { mulDivFloor } from '../platform/money.js';
import type { Program } from '../program/index.js';
import { pointsForAmount } from './rules.js';

/**
 * Points a refund takes back: the order's points in proportion to the refunded share of the
 * eligible amount, rounded down, and never more than what is left of the order's points.
 */
export function reverseForRefund(earned: number, eligible: number, refunded: number, alreadyReversed: number): number {
  if (earned <= 0 || eligible <= 0 || refunded <= 0) return 0;
  const proportional = mulDivFloor(earned, Math.min(refunded, eligible), eligible);
  return Math.max(0, Math.min(proportional, earned - alreadyReversed));
}

/** A cancellation (or full refund) takes back whatever is left of the order's points. */
export function reverseForCancellation(earned: number, alreadyReversed: number): number {
  return Math.max(0, earned - alreadyReversed);
}

/** How the points of an edited order change when its eligible amount changes (orders/updated). */
export function adjustForOrderUpdate(program: Program, earned: number, newEligible: number, decimals: number): number {
  return pointsForAmount(program, newEligible, decimals) - earned;
}

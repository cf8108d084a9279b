import { hundredths, mulDivFloor, type Money } from './money.js';
import type { Program } from './program.js';

/** What an order tells the program, in shop money (integer minor units). */
export interface OrderFacts {
  orderId: string;
  customerId: string | null;
  currency: string;
  /** The order's current subtotal after discounts, without shipping, taxes and tips. */
  subtotal: number;
  lines: Array<{
    lineId: string;
    productId: string | null;
    /** The line's subtotal after its discounts. */
    amount: number;
    giftCard: boolean;
    productTags: string[];
    collectionIds: string[];
  }>;
}

/** What the customer's history adds to an order's earning. */
export interface EarningContext {
  customerTags: string[];
  /** Paid orders of this customer before this one (punch card). */
  paidOrdersBefore: number;
  /** Points already earned by this customer today (daily cap). */
  earnedToday: number;
}

export interface Earning {
  /** The eligible amount: subtotal after discounts, gift cards excluded. */
  eligible: number;
  basePoints: number;
  bonusPoints: number;
  punchCardBonus: number;
  points: number;
  cashBack: Money | null;
  /** Why the order earned what it did, in the merchant's words. */
  notes: string[];
}

/** The eligible amount of an order: its current subtotal minus gift-card lines. */
export function eligibleAmount(order: OrderFacts): number {
  const giftCards = order.lines.filter((line) => line.giftCard).reduce((sum, line) => sum + line.amount, 0);
  return Math.max(0, order.subtotal - giftCards);
}

/** Points for an amount at the program's rate, rounded down: exact integer arithmetic. */
export function pointsForAmount(program: Program, amount: number, decimals: number): number {
  return mulDivFloor(amount, hundredths(program.earning.pointsPerCurrencyUnit), 100 * 10 ** decimals);
}

function activeMultiplier(program: Program, now: Date): number {
  return program.earning.promotions
    .filter((promotion) => Date.parse(promotion.startsAt) <= now.getTime() && now.getTime() < Date.parse(promotion.endsAt))
    .reduce((best, promotion) => Math.max(best, promotion.multiplier), 1);
}

function lineMultiplier(program: Program, line: OrderFacts['lines'][number]): number {
  return program.earning.multipliers
    .filter(({ match }) =>
      match.kind === 'product' ? line.productId === match.value : match.kind === 'tag' ? line.productTags.includes(match.value) : line.collectionIds.includes(match.value),
    )
    .reduce((best, rule) => Math.max(best, rule.multiplier), 1);
}

/**
 * What a paid order earns under the program: points per currency unit on the eligible amount
 * (rounded down), line multipliers and promotions as bonus, the punch card, caps, cash back.
 */
export function earnForOrder(program: Program, order: OrderFacts, context: EarningContext, decimals: number, now: Date): Earning {
  const eligible = eligibleAmount(order);
  const none: Earning = { eligible, basePoints: 0, bonusPoints: 0, punchCardBonus: 0, points: 0, cashBack: null, notes: [] };
  if (!program.enabled) return { ...none, notes: ['the program is off'] };
  if (order.customerId === null) return { ...none, notes: ['guest order'] };
  const excluded = context.customerTags.find((tag) => program.earning.excludedCustomerTags.includes(tag));
  if (excluded) return { ...none, notes: [`customer tagged "${excluded}" is excluded`] };
  if (eligible < program.earning.minimumOrderAmount) return { ...none, notes: ['below the minimum order'] };

  const notes: string[] = [];
  const cashBack = program.earning.cashBack.enabled
    ? { amount: mulDivFloor(eligible, hundredths(program.earning.cashBack.percent), 10_000), currency: order.currency }
    : null;
  const earnsPoints = !(cashBack && program.earning.cashBack.insteadOfPoints);

  const basePoints = earnsPoints ? pointsForAmount(program, eligible, decimals) : 0;
  // Multipliers apply per line (the best rule for the line); a promotion applies to the whole order.
  const promotion = activeMultiplier(program, now);
  let bonusPoints = 0;
  if (earnsPoints) {
    for (const line of order.lines) {
      if (line.giftCard) continue;
      const linePoints = pointsForAmount(program, line.amount, decimals);
      const multiplier = Math.max(promotion, lineMultiplier(program, line));
      bonusPoints += mulDivFloor(linePoints, hundredths(multiplier), 100) - linePoints;
    }
  }
  if (bonusPoints > 0) notes.push(promotion > 1 ? `promotion ×${promotion}` : 'product multiplier');

  const punch = program.earning.punchCard;
  const punchCardBonus = punch.enabled && (context.paidOrdersBefore + 1) % punch.everyNthOrder === 0 ? punch.bonusPoints : 0;
  if (punchCardBonus > 0) notes.push(`punch card: order ${context.paidOrdersBefore + 1}`);

  let points = basePoints + bonusPoints + punchCardBonus;
  const { perOrder, perCustomerPerDay } = program.earning.caps;
  if (perOrder !== null && points > perOrder) {
    points = perOrder;
    notes.push('capped per order');
  }
  if (perCustomerPerDay !== null && context.earnedToday + points > perCustomerPerDay) {
    points = Math.max(0, perCustomerPerDay - context.earnedToday);
    notes.push('capped per day');
  }
  if (cashBack) notes.push(`cash back ${program.earning.cashBack.percent} %`);
  return { eligible, basePoints, bonusPoints, punchCardBonus, points, cashBack, notes };
}

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

/**
 * When a reversal exceeds the available balance (points were spent): with `allow`, the balance
 * goes negative; with `stop_at_zero`, only what is available is taken and the rest is a shortfall.
 */
export function applyNegativeBalancePolicy(policy: Program['negativeBalance'], available: number, reversal: number): { taken: number; shortfall: number } {
  if (policy === 'allow' || reversal <= available) return { taken: reversal, shortfall: 0 };
  const taken = Math.max(0, available);
  return { taken, shortfall: reversal - taken };
}

import { hundredths, mulDivFloor, type Money } from '../platform/money.js';
import type { Program } from '../program/index.js';

/** What an order tells the program, in shop money (integer minor units). */
export interface OrderFacts {
  orderId: string;
  customerId: string | null;
  currency: string;
  /** The order's current subtotal after discounts, without shipping, taxes and tips. */
  subtotal: number;
  /** Tax a tax-inclusive shop's subtotal includes (0 elsewhere): not part of the eligible amount. */
  includedTax: number;
  /** Sold at the register through Shopify POS (`source_name: "pos"`). */
  pointOfSale?: boolean;
  lines: Array<{
    lineId: string;
    productId: string | null;
    variantId?: string | null;
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
  /** The VIP tier and membership multiplier the customer holds as the order is paid (1 without tiers). */
  tierMultiplier?: number;
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

/** The eligible amount of an order: its current subtotal minus gift-card lines and any tax it includes. */
export function eligibleAmount(order: OrderFacts): number {
  const giftCards = order.lines.filter((line) => line.giftCard).reduce((sum, line) => sum + line.amount, 0);
  return Math.max(0, order.subtotal - giftCards - order.includedTax);
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
      match.kind === 'product'
        ? line.productId === match.value
        : match.kind === 'tag'
          ? line.productTags.includes(match.value)
          : line.collectionIds.includes(match.value),
    )
    .reduce((best, rule) => Math.max(best, rule.multiplier), 1);
}

/** What an earning rule sees: the program, the order and the customer's history. */
export interface EarningInput {
  program: Program;
  order: OrderFacts;
  context: EarningContext;
  decimals: number;
  now: Date;
  eligible: number;
}

/**
 * One earning rule (a strategy, as in Vendure): it takes the earning so far and returns it with
 * its own part added to `points` (or, for caps, taken away). A shop's earning is the rules
 * applied in order.
 */
export interface EarningRule {
  name: string;
  apply(earning: Earning, input: EarningInput): Earning;
}

/** Cash back as store credit, a percentage of the eligible amount; decided first because it may replace points. */
export const cashBackRule: EarningRule = {
  name: 'cash back',
  apply(earning, { program, order, eligible }) {
    const { cashBack } = program.earning;
    if (!cashBack.enabled) return earning;
    return {
      ...earning,
      cashBack: { amount: mulDivFloor(eligible, hundredths(cashBack.percent), 10_000), currency: order.currency },
      notes: [...earning.notes, `cash back ${cashBack.percent} %`],
    };
  },
};

function earnsPoints(earning: Earning, program: Program): boolean {
  return !(earning.cashBack && program.earning.cashBack.insteadOfPoints);
}

/** Points per currency unit on the eligible amount, rounded down. */
export const basePointsRule: EarningRule = {
  name: 'points per currency unit',
  apply(earning, { program, eligible, decimals }) {
    if (!earnsPoints(earning, program)) return earning;
    const basePoints = pointsForAmount(program, eligible, decimals);
    return { ...earning, basePoints, points: earning.points + basePoints };
  },
};

/** Multipliers per line (the best product, tag or collection rule for the line) and promotions for the whole order. */
export const multiplierRule: EarningRule = {
  name: 'multipliers and promotions',
  apply(earning, { program, order, decimals, now }) {
    if (!earnsPoints(earning, program)) return earning;
    const promotion = activeMultiplier(program, now);
    let bonusPoints = 0;
    for (const line of order.lines) {
      if (line.giftCard) continue;
      const linePoints = pointsForAmount(program, line.amount, decimals);
      bonusPoints += mulDivFloor(linePoints, hundredths(Math.max(promotion, lineMultiplier(program, line))), 100) - linePoints;
    }
    if (bonusPoints <= 0) return earning;
    return {
      ...earning,
      bonusPoints,
      points: earning.points + bonusPoints,
      notes: [...earning.notes, promotion > 1 ? `promotion ×${promotion}` : 'product multiplier'],
    };
  },
};

/** The punch card: every Nth paid order earns a bonus. */
export const punchCardRule: EarningRule = {
  name: 'punch card',
  apply(earning, { program, context }) {
    const punch = program.earning.punchCard;
    const nth = context.paidOrdersBefore + 1;
    if (!punch.enabled || nth % punch.everyNthOrder !== 0) return earning;
    return {
      ...earning,
      punchCardBonus: punch.bonusPoints,
      points: earning.points + punch.bonusPoints,
      notes: [...earning.notes, `punch card: order ${nth}`],
    };
  },
};

/** The customer's tier (and paid membership) multiplies everything earned so far, rounded down; caps still apply after it. */
export const tierMultiplierRule: EarningRule = {
  name: 'tier multiplier',
  apply(earning, { context }) {
    const multiplier = context.tierMultiplier ?? 1;
    if (multiplier === 1 || earning.points === 0) return earning;
    const points = mulDivFloor(earning.points, Math.round(multiplier * 10_000), 10_000);
    return { ...earning, points, notes: [...earning.notes, `tier ×${multiplier}`] };
  },
};

/** Caps per order and per customer per day, applied to everything the rules before it gave (so it comes last). */
export const capsRule: EarningRule = {
  name: 'caps',
  apply(earning, { program, context }) {
    const { perOrder, perCustomerPerDay } = program.earning.caps;
    let points = earning.points;
    const notes = [...earning.notes];
    if (perOrder !== null && points > perOrder) {
      points = perOrder;
      notes.push('capped per order');
    }
    if (perCustomerPerDay !== null && context.earnedToday + points > perCustomerPerDay) {
      points = Math.max(0, perCustomerPerDay - context.earnedToday);
      notes.push('capped per day');
    }
    return { ...earning, points, notes };
  },
};

export const DEFAULT_EARNING_RULES: readonly EarningRule[] = [
  cashBackRule,
  basePointsRule,
  multiplierRule,
  punchCardRule,
  tierMultiplierRule,
  capsRule,
];

/**
 * What a paid order earns under the program: nothing for a guest, an excluded customer, an order
 * below the minimum or a program that is off; otherwise the earning rules, in order.
 */
export function earnForOrder(
  program: Program,
  order: OrderFacts,
  context: EarningContext,
  decimals: number,
  now: Date,
  rules: readonly EarningRule[] = DEFAULT_EARNING_RULES,
): Earning {
  const eligible = eligibleAmount(order);
  const none: Earning = { eligible, basePoints: 0, bonusPoints: 0, punchCardBonus: 0, points: 0, cashBack: null, notes: [] };
  if (!program.enabled) return { ...none, notes: ['the program is off'] };
  if (order.customerId === null) return { ...none, notes: ['guest order'] };
  const excluded = context.customerTags.find((tag) => program.earning.excludedCustomerTags.includes(tag));
  if (excluded) return { ...none, notes: [`customer tagged "${excluded}" is excluded`] };
  if (eligible < program.earning.minimumOrderAmount) return { ...none, notes: ['below the minimum order'] };
  const register = order.pointOfSale ? registerEarning(program) : { program, notes: [] };
  if (register === null) return { ...none, notes: ['sales at the register earn nothing (the program excludes POS)'] };
  const input: EarningInput = { program: register.program, order, context, decimals, now, eligible };
  return rules.reduce((earning, rule) => rule.apply(earning, input), { ...none, notes: register.notes });
}

/**
 * A sale at the register earns under the same rules unless the merchant excluded POS (null) or
 * gave it its own rate, which then stands in for the points per currency unit. A program saved
 * before POS settings existed earns as online.
 */
function registerEarning(program: Program): { program: Program; notes: string[] } | null {
  const pos = (program as Partial<Program>).pos;
  if (pos?.earning === 'excluded') return null;
  if (pos?.earning !== 'own_rate') return { program, notes: [] };
  return {
    program: { ...program, earning: { ...program.earning, pointsPerCurrencyUnit: pos.pointsPerCurrencyUnit } },
    notes: [`register rate ${pos.pointsPerCurrencyUnit} per unit`],
  };
}

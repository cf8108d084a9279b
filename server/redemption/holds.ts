import { formatAmount } from '../platform/money.js';
import type { Program } from '../program/index.js';
import { pointsCostFor, type RewardPerks } from './quote.js';

/** How long a hold reserves points when the cart does not reach checkout (docs/api.md). */
export const HOLD_TTL_MS = 30 * 60_000;

/** The cart attribute that names a hold; Shopify copies it into the order's `note_attributes`. */
export const HOLD_ATTRIBUTE = '_tally_hold';

/**
 * What points are worth at checkout: steps of `stepPoints` points, each worth `stepAmount` minor
 * units of the shop's currency, taken from the program's "points for money" reward, or else from
 * its first amount-off reward, so the slider offers the same rate as the catalogue. `stepPoints`
 * is the customer's price of that reward (a tier or membership may make it cheaper), the price
 * redeeming it through the launcher would charge.
 */
export interface HoldTerms {
  rewardId: string;
  rewardName: string;
  stepPoints: number;
  stepAmount: number;
  minSteps: number;
  maxSteps: number;
  /** The smallest cart subtotal (minor units) the reward may be used on. */
  minimumOrderAmount: number;
  currency: string;
}

/** One amount-off reward of any size may be spent several times over in one checkout. */
const MAX_STEPS_FOR_AMOUNT_OFF = 100;

export function holdTerms(program: Program, perks: RewardPerks): HoldTerms | null {
  if (!program.enabled) return null;
  const enabled = program.rewards.filter((reward) => reward.enabled);
  const forMoney = enabled.find((reward) => reward.type === 'points_for_money');
  if (forMoney?.type === 'points_for_money') {
    return {
      rewardId: forMoney.id,
      rewardName: forMoney.name,
      stepPoints: pointsCostFor(forMoney.pointsCost, forMoney.type, perks),
      stepAmount: forMoney.stepAmount,
      minSteps: forMoney.minSteps,
      maxSteps: forMoney.maxSteps,
      minimumOrderAmount: forMoney.minimumOrderAmount,
      currency: program.currency,
    };
  }
  const amountOff = enabled.find((reward) => reward.type === 'amount_off');
  if (amountOff?.type === 'amount_off') {
    return {
      rewardId: amountOff.id,
      rewardName: amountOff.name,
      stepPoints: pointsCostFor(amountOff.pointsCost, amountOff.type, perks),
      stepAmount: amountOff.amountOff,
      minSteps: 1,
      maxSteps: MAX_STEPS_FOR_AMOUNT_OFF,
      minimumOrderAmount: amountOff.minimumOrderAmount,
      currency: program.currency,
    };
  }
  return null;
}

export interface HoldQuote {
  rewardId: string;
  points: number;
  /** Minor units of `currency`. */
  amount: number;
  currency: string;
  expiresAt: Date;
}

export type HoldRefusalCode = 'not_offered' | 'invalid_points' | 'cart_below_minimum' | 'exceeds_cart';
export type HoldRefusal = { refused: HoldRefusalCode; message: string };

/**
 * Prices a hold: `points` must be a whole number of steps within the reward's range. With the
 * cart's subtotal (minor units) it also refuses a cart below the reward's minimum, and a hold
 * worth more than the cart, whose surplus the discount would not give back.
 */
export function quoteHold(
  terms: HoldTerms | null,
  request: { points: number; cartSubtotal?: number },
  formatMoney: (amount: number) => string,
  now: Date,
): HoldQuote | HoldRefusal {
  if (!terms) return { refused: 'not_offered', message: 'Points cannot be used at checkout in this shop' };
  const steps = request.points / terms.stepPoints;
  if (!Number.isInteger(steps) || steps < terms.minSteps || steps > terms.maxSteps) {
    return {
      refused: 'invalid_points',
      message: `Use ${terms.minSteps * terms.stepPoints} to ${terms.maxSteps * terms.stepPoints} points, in steps of ${terms.stepPoints}`,
    };
  }
  const amount = steps * terms.stepAmount;
  if (request.cartSubtotal !== undefined) {
    if (request.cartSubtotal < terms.minimumOrderAmount) {
      return { refused: 'cart_below_minimum', message: `Points can be used on orders of ${formatMoney(terms.minimumOrderAmount)} or more` };
    }
    if (amount > request.cartSubtotal) {
      return {
        refused: 'exceeds_cart',
        message: `${request.points} points are worth ${formatMoney(amount)}, more than your cart's ${formatMoney(request.cartSubtotal)}`,
      };
    }
  }
  return { rewardId: terms.rewardId, points: request.points, amount, currency: terms.currency, expiresAt: new Date(now.getTime() + HOLD_TTL_MS) };
}

/** A hold as the Discount Function reads it from the customer's `$app:tally` / `holds` metafield. */
export interface PublishedHold {
  holdId: string;
  points: number;
  amount: number;
  currency: string;
  expiresAt: Date;
}

/**
 * The metafield's value (extensions/tally-discount/README.md): the live holds, oldest first, with
 * the amount as a decimal string in the currency's own decimals and the expiry in UTC, and what the
 * program calls its points (the discount's title at checkout says "500 Beans redeemed").
 */
export function holdsMetafieldValue(holds: PublishedHold[], pointsName = 'points'): string {
  const listed = [...holds]
    .sort((a, b) => a.expiresAt.getTime() - b.expiresAt.getTime() || a.holdId.localeCompare(b.holdId))
    .map((hold) => ({
      id: hold.holdId,
      points: hold.points,
      amount: formatAmount({ amount: hold.amount, currency: hold.currency }),
      currencyCode: hold.currency,
      expiresAt: hold.expiresAt.toISOString(),
    }));
  return JSON.stringify({ pointsName, holds: listed });
}

/** The hold an order names in its `note_attributes`, or null when it names none. */
export function holdIdFromNoteAttributes(noteAttributes: ReadonlyArray<{ name: string; value?: unknown }> | null | undefined): string | null {
  const value = noteAttributes?.find((attribute) => attribute.name === HOLD_ATTRIBUTE)?.value;
  return typeof value === 'string' && value.trim() !== '' ? value.trim() : null;
}

import { mulDivFloor } from '../platform/money.js';
import type { Program, Reward } from '../program/index.js';

const DAY_MS = 86_400_000;
/** Crockford-style alphabet: no 0/O or 1/I/L to misread when a shopper types a code. */
const CODE_ALPHABET = 'ABCDEFGHJKMNPQRSTUVWXYZ23456789';

/** What a reward gives once redeemed: an amount or percentage off, free shipping, a free variant, or store credit. */
export type RewardValue =
  | { kind: 'amount_off'; amount: number }
  | { kind: 'percentage_off'; percentage: number }
  | { kind: 'free_shipping' }
  | { kind: 'free_product'; variantId: string }
  | { kind: 'store_credit'; amount: number };

export interface RedemptionQuote {
  reward: Reward;
  pointsCost: number;
  value: RewardValue;
}

export type QuoteRefusal =
  | { refused: 'unknown_reward'; message: string }
  | { refused: 'reward_disabled'; message: string }
  | { refused: 'program_disabled'; message: string }
  | { refused: 'invalid_steps'; message: string };

/** A reward's points for this customer (a tier's perks may lower them): base cost in, cost out. */
export type RewardCost = (pointsCost: number, reward: Reward) => number;

/**
 * Prices a redemption from the program: which reward, how many points, what it is worth.
 * `steps` only matters for "points for money", where the shopper picks how many steps to spend;
 * `costOf` prices the reward (or one step of it) for the customer.
 */
export function quoteRedemption(
  program: Program,
  rewardId: string,
  steps: number | undefined,
  costOf: RewardCost = (pointsCost) => pointsCost,
): RedemptionQuote | QuoteRefusal {
  if (!program.enabled) return { refused: 'program_disabled', message: 'The loyalty program is switched off' };
  const reward = program.rewards.find((candidate) => candidate.id === rewardId);
  if (!reward) return { refused: 'unknown_reward', message: `There is no reward ${rewardId}` };
  if (!reward.enabled) return { refused: 'reward_disabled', message: `${reward.name} is not available right now` };
  switch (reward.type) {
    case 'amount_off':
      return { reward, pointsCost: costOf(reward.pointsCost, reward), value: { kind: 'amount_off', amount: reward.amountOff } };
    case 'percentage_off':
      return { reward, pointsCost: costOf(reward.pointsCost, reward), value: { kind: 'percentage_off', percentage: reward.percentageOff } };
    case 'free_shipping':
      return { reward, pointsCost: costOf(reward.pointsCost, reward), value: { kind: 'free_shipping' } };
    case 'free_product':
      return { reward, pointsCost: costOf(reward.pointsCost, reward), value: { kind: 'free_product', variantId: reward.variantId } };
    case 'store_credit':
      return { reward, pointsCost: costOf(reward.pointsCost, reward), value: { kind: 'store_credit', amount: reward.creditAmount } };
    case 'points_for_money': {
      const chosen = steps ?? reward.minSteps;
      if (!Number.isInteger(chosen) || chosen < reward.minSteps || chosen > reward.maxSteps) {
        return { refused: 'invalid_steps', message: `steps must be a whole number from ${reward.minSteps} to ${reward.maxSteps}` };
      }
      return { reward, pointsCost: costOf(reward.pointsCost, reward) * chosen, value: { kind: 'amount_off', amount: reward.stepAmount * chosen } };
    }
  }
}

/** When an issued code stops working. */
export function codeExpiresAt(reward: Reward, now: Date): Date {
  return new Date(now.getTime() + reward.codeExpiresInDays * DAY_MS);
}

/**
 * A discount code from random bytes: `PREFIX-XXXX-XXXX-XXXX`, 60 bits, so two redemptions never
 * collide in practice and a code cannot be guessed from another one.
 */
export function discountCode(prefix: string, randomBytes: Uint8Array): string {
  if (randomBytes.length < 12) throw new Error('a discount code needs 12 random bytes');
  const characters = Array.from(randomBytes.subarray(0, 12), (byte) => CODE_ALPHABET[byte % CODE_ALPHABET.length]!);
  return [prefix, characters.slice(0, 4).join(''), characters.slice(4, 8).join(''), characters.slice(8, 12).join('')].join('-');
}

/** What the shopper reads about a reward: "$5.00 off", "10% off", "Free shipping". */
export function describeValue(value: RewardValue, formatMoney: (amount: number) => string): string {
  switch (value.kind) {
    case 'amount_off':
      return `${formatMoney(value.amount)} off`;
    case 'percentage_off':
      return `${value.percentage}% off`;
    case 'free_shipping':
      return 'Free shipping';
    case 'free_product':
      return 'A free product';
    case 'store_credit':
      return `${formatMoney(value.amount)} store credit`;
  }
}

/** What a customer's tier or membership takes off reward prices (tiers fill it in through the `rewardPerks` port). */
export interface RewardPerks {
  /** Rewards cost this share less, in percent of their points. */
  rewardDiscountPercent: number;
  freeShipping: boolean;
}

/**
 * A reward's points for a holder of `perks`: free shipping as a perk makes free-shipping rewards
 * cost nothing; otherwise the discount is taken off, rounded in the shopper's favour but never
 * below 1 point (a reward that costs nothing would be a perk the merchant did not choose).
 */
export function pointsCostFor(pointsCost: number, rewardType: Reward['type'], perks: RewardPerks): number {
  if (rewardType === 'free_shipping' && perks.freeShipping) return 0;
  if (perks.rewardDiscountPercent === 0) return pointsCost;
  return Math.max(1, pointsCost - mulDivFloor(pointsCost, perks.rewardDiscountPercent, 100));
}

/**
 * The money an order's use of a code took off: what the order says, never more than a fixed
 * amount's face value; a fixed amount when the order does not say; 0 for a percentage, shipping or
 * product discount the order does not price.
 */
export function discountGiven(value: RewardValue, orderSays: number | null): number {
  const face = value.kind === 'amount_off' || value.kind === 'store_credit' ? value.amount : null;
  if (orderSays === null || orderSays < 0) return face ?? 0;
  return face === null ? orderSays : Math.min(face, orderSays);
}

/**
 * What a redemption has cost the merchant, in minor units: a code once an order used it (the
 * discount it gave), store credit once issued, a checkout hold once its order paid. Codes not
 * used yet, refunded and expired ones have given nothing. Program cost sums this.
 */
export function moneyGiven(redemption: { status: string; value: RewardValue; givenAmount?: number }): number {
  if (redemption.status === 'used') return redemption.givenAmount ?? discountGiven(redemption.value, null);
  if (redemption.status === 'issued' && redemption.value.kind === 'store_credit') return redemption.value.amount;
  return 0;
}

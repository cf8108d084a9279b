import { currencyDecimals, moneyFormatter } from '../platform/money.js';
import type { LedgerEntry } from '../ledger/index.js';
import type { Program, Reward } from '../program/index.js';
import { describeValue, quoteRedemption } from '../redemption/index.js';

/**
 * A way to earn: `text` is the English sentence (for tools and logs); `kind` and its figures let the
 * storefront write it in the shopper's language with the program's points name. Money is in minor units.
 */
export type WayToEarn = { id: string; text: string } & (
  | { kind: 'purchase'; points: number; amountMinor: number }
  | { kind: 'cash_back'; percent: number }
  | { kind: 'punch_card'; points: number; every: number }
  | { kind: 'promotion'; title: string; multiplier: number; until: string }
  | { kind: 'multiplier'; multiplier: number; match: 'product' | 'collection' | 'tag'; tag: string | null }
  | { kind: 'minimum'; amountMinor: number }
);

/** What any visitor may see of a program: safe to cache and to show to guests. */
export interface PublicProgram {
  enabled: boolean;
  pointsName: string;
  currency: string;
  pointsPerCurrencyUnit: number;
  waysToEarn: WayToEarn[];
  rewards: Array<{
    id: string;
    type: Reward['type'];
    name: string;
    pointsCost: number;
    value: string;
    steps?: { min: number; max: number; pointsPerStep: number; amountPerStep: string };
  }>;
  widget: Program['widget'];
}

export function publicProgram(program: Program, now: Date): PublicProgram {
  const money = moneyFormatter(program.currency);
  const name = program.pointsName;
  const earning = program.earning;
  const waysToEarn: WayToEarn[] = [];
  if (!(earning.cashBack.enabled && earning.cashBack.insteadOfPoints) && earning.pointsPerCurrencyUnit > 0) {
    const unitName = earning.pointsPerCurrencyUnit === 1 && name === 'points' ? 'point' : name;
    const unit = 10 ** currencyDecimals(program.currency);
    waysToEarn.push({
      id: 'purchase',
      kind: 'purchase',
      points: earning.pointsPerCurrencyUnit,
      amountMinor: unit,
      text: `${earning.pointsPerCurrencyUnit} ${unitName} per ${money(unit)} spent`,
    });
  }
  if (earning.cashBack.enabled)
    waysToEarn.push({
      id: 'cash-back',
      kind: 'cash_back',
      percent: earning.cashBack.percent,
      text: `${earning.cashBack.percent}% back as store credit`,
    });
  if (earning.punchCard.enabled) {
    const { bonusPoints, everyNthOrder } = earning.punchCard;
    waysToEarn.push({
      id: 'punch-card',
      kind: 'punch_card',
      points: bonusPoints,
      every: everyNthOrder,
      text: `${bonusPoints} bonus ${name} on every ${everyNthOrder}th order`,
    });
  }
  for (const promotion of earning.promotions) {
    if (Date.parse(promotion.startsAt) <= now.getTime() && now.getTime() < Date.parse(promotion.endsAt)) {
      const until = promotion.endsAt.slice(0, 10);
      waysToEarn.push({
        id: `promotion-${promotion.id}`,
        kind: 'promotion',
        title: promotion.name,
        multiplier: promotion.multiplier,
        until,
        text: `${promotion.name}: ${promotion.multiplier}× ${name} until ${until}`,
      });
    }
  }
  // Product and collection rules name Shopify ids, which mean nothing to a shopper: only a tag is shown.
  for (const rule of earning.multipliers) {
    const tag = rule.match.kind === 'tag' ? rule.match.value : null;
    waysToEarn.push({
      id: `multiplier-${rule.id}`,
      kind: 'multiplier',
      multiplier: rule.multiplier,
      match: rule.match.kind,
      tag,
      text: `${rule.multiplier}× ${name} on ${tag === null ? `selected ${rule.match.kind}s` : `${tag} items`}`,
    });
  }
  if (earning.minimumOrderAmount > 0)
    waysToEarn.push({
      id: 'minimum',
      kind: 'minimum',
      amountMinor: earning.minimumOrderAmount,
      text: `On orders of ${money(earning.minimumOrderAmount)} or more`,
    });

  const rewards: PublicProgram['rewards'] = [];
  for (const reward of program.rewards) {
    const quote = quoteRedemption({ ...program, enabled: true }, reward.id, undefined);
    if ('refused' in quote) continue;
    rewards.push({
      id: reward.id,
      type: reward.type,
      name: reward.name,
      pointsCost: quote.pointsCost,
      value: describeValue(quote.value, money),
      ...(reward.type === 'points_for_money'
        ? { steps: { min: reward.minSteps, max: reward.maxSteps, pointsPerStep: reward.pointsCost, amountPerStep: money(reward.stepAmount) } }
        : {}),
    });
  }
  return {
    enabled: program.enabled,
    pointsName: name,
    currency: program.currency,
    pointsPerCurrencyUnit: earning.pointsPerCurrencyUnit,
    waysToEarn,
    rewards,
    widget: program.widget,
  };
}

/**
 * A history line as the storefront words it in the shopper's language: a raw order id is never
 * shown, the order's name ("#1001") is when the entry kept it. `note` is the merchant's own words
 * (a staff adjustment's reason).
 */
export type EntryDescription =
  | { kind: 'order' | 'refund' | 'cancel' | 'edit' | 'hold_used'; order: string | null }
  | { kind: 'release' }
  | { kind: 'redeem'; reward: string | null }
  | { kind: 'tier'; tier: string }
  | { kind: 'reward_returned' | 'hold' | 'hold_release' | 'expire' }
  | { kind: 'adjust' | 'other'; note: string };

type DescribedEntry = Pick<LedgerEntry, 'type' | 'reason' | 'source' | 'orderId' | 'orderName'>;

/** How a ledger entry reads to the shopper, from what the entry holds. */
export function describeEntry(entry: DescribedEntry): EntryDescription {
  const order = entry.orderName ?? null;
  switch (entry.type) {
    case 'earn':
      return { kind: 'order', order };
    case 'reverse':
      return { kind: entry.reason === 'order cancelled' ? 'cancel' : 'refund', order };
    case 'order_edit':
      return { kind: 'edit', order };
    case 'release':
      return { kind: 'release' };
    case 'redeem': {
      if (entry.orderId !== undefined) return { kind: 'redeem', reward: null };
      const reward = /^redeemed (.+)$/.exec(entry.reason)?.[1];
      return { kind: 'redeem', reward: reward ?? null };
    }
    case 'redeem_refund':
      return { kind: 'reward_returned' };
    case 'hold':
      return { kind: 'hold' };
    case 'hold_release':
      return { kind: 'hold_release' };
    case 'expire':
      return { kind: 'expire' };
    case 'adjust':
      return { kind: 'adjust', note: entry.reason };
    case 'bonus': {
      const tier = entry.source === 'tiers' ? /^reached (.+)$/.exec(entry.reason)?.[1] : undefined;
      return tier === undefined ? { kind: 'other', note: entry.reason } : { kind: 'tier', tier };
    }
    case 'tier':
      return { kind: 'other', note: entry.reason };
  }
}

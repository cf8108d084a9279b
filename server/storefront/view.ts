import { currencyDecimals, moneyFormatter } from '../platform/money.js';
import type { Program, Reward } from '../program/index.js';
import { describeValue, quoteRedemption } from '../redemption/index.js';

/** What any visitor may see of a program: safe to cache and to show to guests. */
export interface PublicProgram {
  enabled: boolean;
  pointsName: string;
  currency: string;
  pointsPerCurrencyUnit: number;
  waysToEarn: Array<{ id: string; text: string }>;
  rewards: Array<{ id: string; type: Reward['type']; name: string; pointsCost: number; value: string; steps?: { min: number; max: number; pointsPerStep: number; amountPerStep: string } }>;
  widget: Program['widget'];
}

export function publicProgram(program: Program, now: Date): PublicProgram {
  const money = moneyFormatter(program.currency);
  const name = program.pointsName;
  const earning = program.earning;
  const waysToEarn: PublicProgram['waysToEarn'] = [];
  if (!(earning.cashBack.enabled && earning.cashBack.insteadOfPoints) && earning.pointsPerCurrencyUnit > 0) {
    const unitName = earning.pointsPerCurrencyUnit === 1 && name === 'points' ? 'point' : name;
    waysToEarn.push({ id: 'purchase', text: `${earning.pointsPerCurrencyUnit} ${unitName} per ${money(10 ** currencyDecimals(program.currency))} spent` });
  }
  if (earning.cashBack.enabled) waysToEarn.push({ id: 'cash-back', text: `${earning.cashBack.percent}% back as store credit` });
  if (earning.punchCard.enabled) waysToEarn.push({ id: 'punch-card', text: `${earning.punchCard.bonusPoints} bonus ${name} on every ${earning.punchCard.everyNthOrder}th order` });
  for (const promotion of earning.promotions) {
    if (Date.parse(promotion.startsAt) <= now.getTime() && now.getTime() < Date.parse(promotion.endsAt)) {
      waysToEarn.push({ id: `promotion-${promotion.id}`, text: `${promotion.name}: ${promotion.multiplier}× ${name} until ${promotion.endsAt.slice(0, 10)}` });
    }
  }
  for (const rule of earning.multipliers) waysToEarn.push({ id: `multiplier-${rule.id}`, text: `${rule.multiplier}× ${name} on ${rule.match.kind} ${rule.match.value}` });
  if (earning.minimumOrderAmount > 0) waysToEarn.push({ id: 'minimum', text: `On orders of ${money(earning.minimumOrderAmount)} or more` });

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
      ...(reward.type === 'points_for_money' ? { steps: { min: reward.minSteps, max: reward.maxSteps, pointsPerStep: reward.pointsCost, amountPerStep: money(reward.stepAmount) } } : {}),
    });
  }
  return { enabled: program.enabled, pointsName: name, currency: program.currency, pointsPerCurrencyUnit: earning.pointsPerCurrencyUnit, waysToEarn, rewards, widget: program.widget };
}

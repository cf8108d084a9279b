import type { Program } from '../../server/program/program.js';
import { t } from './i18n.js';

type Key = Parameters<typeof t>[0];

const FIELDS: Record<string, Key> = {
  pointsName: 'program.pointsName',
  'earning.pointsPerCurrencyUnit': 'earning.rateShort',
  'earning.minimumOrderAmount': 'earning.minimumOrder',
  'earning.punchCard.everyNthOrder': 'earning.everyNth',
  'earning.punchCard.bonusPoints': 'earning.bonusPoints',
  'earning.cashBack.percent': 'earning.cashBackPercent',
  'earning.caps.perOrder': 'earning.capPerOrder',
  'earning.caps.perCustomerPerDay': 'earning.capPerDay',
  'earning.excludedCustomerTags': 'earning.excludedTags',
  pendingDays: 'settings.pendingDays',
  'expiry.days': 'settings.expiryDays',
  'expiry.reminderDaysBefore': 'settings.reminderDays',
  'widget.primaryColor': 'widget.primaryColor',
  'widget.textColor': 'widget.textColor',
  'widget.languages': 'widget.languages',
  'tierRules.graceDays': 'tiers.graceDays',
  'membership.variantId': 'membership.variantId',
  'membership.days': 'membership.days',
  'membership.earnMultiplier': 'tiers.multiplier',
};

const REWARD_FIELDS: Record<string, Key> = {
  name: 'reward.name',
  pointsCost: 'reward.pointsCost',
  amountOff: 'reward.amountOff',
  percentageOff: 'reward.percentageOff',
  variantId: 'reward.product',
  creditAmount: 'reward.creditAmount',
  stepAmount: 'reward.stepAmount',
  minSteps: 'reward.minSteps',
  maxSteps: 'reward.maxSteps',
  minimumOrderAmount: 'reward.minimumOrder',
  codeExpiresInDays: 'reward.expiresInDays',
};

const RULE_FIELDS: Record<string, Key> = {
  'match.value': 'earning.matchValue',
  multiplier: 'earning.multiplier',
  name: 'earning.promotionName',
  startsAt: 'earning.startsAt',
  endsAt: 'earning.endsAt',
};
const TIER_FIELDS: Record<string, Key> = {
  name: 'tiers.name',
  id: 'tiers.name',
  threshold: 'tiers.threshold',
  earnMultiplier: 'tiers.multiplier',
  entryReward: 'tiers.entryReward',
  'perks.rewardDiscountPercent': 'tiers.rewardDiscount',
};

/** The name of the field at a program path, as the merchant sees it on the page; null for a path that is no field. */
export function fieldLabel(path: string, program: Program): string | null {
  const direct = FIELDS[path];
  if (direct) return t(direct);
  const nested = /^(rewards|earning\.multipliers|earning\.promotions|tiers)\.(\d+)\.(.+)$/.exec(path);
  if (!nested) return null;
  const [, list, indexText, field] = nested;
  const index = Number(indexText);
  if (list === 'rewards') {
    const key = REWARD_FIELDS[field!];
    const name = program.rewards[index]?.name.trim() || t('reward.numbered', { number: index + 1 });
    return key ? `${name} · ${t(key)}` : name;
  }
  if (list === 'tiers') {
    const key = TIER_FIELDS[field!];
    const name = program.tiers[index]?.name.trim() || t('tiers.numbered', { number: index + 1 });
    return key ? `${name} · ${t(key)}` : name;
  }
  const key = RULE_FIELDS[field!];
  const owner =
    list === 'earning.promotions' ? t('earning.promotionNumbered', { number: index + 1 }) : t('earning.multiplierNumbered', { number: index + 1 });
  return key ? `${owner} · ${t(key)}` : owner;
}

import { z } from 'zod';
import { currencyDecimals, moneyFormatter } from '../platform/money.js';
import { defaultPosSettings } from './pos-defaults.js';

export { defaultPosSettings } from './pos-defaults.js';

const id = z
  .string()
  .trim()
  .min(1)
  .max(64)
  .regex(/^[\w-]+$/, 'use letters, digits, - and _');
const points = z.number().int('must be a whole number of points').min(0);
const minor = z.number().int('must be an amount in minor units (whole number)').min(0);
/** Bounds and steps as zod checks, not refinements, so the OpenAPI document derived from zod carries them (`multipleOf: 0.01`). */
const rateBetween = (min: number, max: number, message?: string) =>
  z.number().min(min, message).max(max, message).multipleOf(0.01, 'at most two decimals');
const rate = rateBetween(0, 1000);

const multiplierSchema = z.object({
  id,
  match: z.object({ kind: z.enum(['product', 'collection', 'tag']), value: z.string().trim().min(1).max(255) }),
  multiplier: z.number().min(1).max(20),
});

const promotionSchema = z
  .object({ id, name: z.string().trim().min(1).max(80), multiplier: z.number().min(1).max(20), startsAt: z.iso.datetime(), endsAt: z.iso.datetime() })
  .refine((promotion) => Date.parse(promotion.endsAt) > Date.parse(promotion.startsAt), { message: 'must end after it starts', path: ['endsAt'] });

const combinesWith = z.object({ orderDiscounts: z.boolean(), productDiscounts: z.boolean(), shippingDiscounts: z.boolean() });

const rewardBase = {
  id,
  name: z.string().trim().min(1).max(80),
  enabled: z.boolean(),
  minimumOrderAmount: minor,
  codeExpiresInDays: z.number().int().min(1).max(365),
  combinesWith,
};

export const rewardSchema = z.discriminatedUnion('type', [
  z.object({ ...rewardBase, type: z.literal('amount_off'), pointsCost: points.min(1), amountOff: minor.min(1) }),
  z.object({ ...rewardBase, type: z.literal('percentage_off'), pointsCost: points.min(1), percentageOff: z.number().int().min(1).max(100) }),
  z.object({ ...rewardBase, type: z.literal('free_shipping'), pointsCost: points.min(1) }),
  z.object({
    ...rewardBase,
    type: z.literal('free_product'),
    pointsCost: points.min(1),
    variantId: z.string().regex(/^\d{1,20}$/, 'a Shopify variant id'),
  }),
  z.object({ ...rewardBase, type: z.literal('store_credit'), pointsCost: points.min(1), creditAmount: minor.min(1) }),
  z.object({
    ...rewardBase,
    type: z.literal('points_for_money'),
    /** Points per step; each step is worth `stepAmount` off. */
    pointsCost: points.min(1),
    stepAmount: minor.min(1),
    minSteps: z.number().int().min(1),
    maxSteps: z.number().int().min(1).max(1000),
  }),
]);

/** Tiers and paid membership (CONTRACT.md, docs/tiers.md); a program without tiers earns as before. */
const earnMultiplier = rateBetween(1, 20, 'between 1 and 20');
const noPerks = { rewardDiscountPercent: 0, freeShipping: false, birthdayBonus: 0 };
const perksSchema = z.object({
  /** Rewards cost this share less for holders, in percent of their points. */
  rewardDiscountPercent: z.number().int().min(0).max(90),
  freeShipping: z.boolean(),
  birthdayBonus: points,
});
export const tierSchema = z.object({
  id,
  name: z.string().trim().min(1).max(40),
  threshold: z.number().int('must be a whole number').min(0),
  earnMultiplier,
  /** Bonus points credited once when a customer first reaches the tier. */
  entryReward: points.default(0),
  perks: perksSchema.default(noPerks),
});
export const tiersSchema = z
  .array(tierSchema)
  .max(10)
  .superRefine((tiers, issue) => {
    if (tiers.length > 0 && !tiers.some((tier) => tier.threshold === 0))
      issue.addIssue({ code: 'custom', path: [], message: 'the lowest tier must have threshold 0' });
    const ids = new Set<string>();
    const thresholds = new Set<number>();
    tiers.forEach((tier, index) => {
      if (ids.has(tier.id)) issue.addIssue({ code: 'custom', path: [index, 'id'], message: 'tier ids must be unique' });
      if (thresholds.has(tier.threshold))
        issue.addIssue({ code: 'custom', path: [index, 'threshold'], message: 'two tiers cannot share a threshold' });
      ids.add(tier.id);
      thresholds.add(tier.threshold);
    });
  });
export const tierRulesSchema = z.object({
  metric: z.enum(['points', 'spend', 'orders']),
  period: z.enum(['lifetime', 'calendar_year', 'rolling_12_months']),
  downgrade: z.enum(['immediate', 'end_of_period']),
  /** Days a customer keeps a tier after falling below it. */
  graceDays: z.number().int().min(0).max(365).default(0),
});
export const membershipSchema = z
  .object({
    enabled: z.boolean(),
    variantId: z
      .string()
      .trim()
      .regex(/^(\d{1,20})?$/, 'a Shopify variant id'),
    days: z.number().int().min(1).max(3650),
    earnMultiplier,
    /** How membership and tier multipliers meet: the higher one, or both multiplied. */
    combine: z.enum(['highest', 'product']).default('highest'),
    perks: perksSchema.default(noPerks),
  })
  .refine((membership) => !membership.enabled || membership.variantId !== '', {
    message: 'choose the variant that sells the membership',
    path: ['variantId'],
  });

/** No tiers and no membership: what a program has until the merchant adds them. */
export function defaultTierSettings(): Pick<Program, 'tiers' | 'tierRules' | 'membership'> {
  return {
    tiers: [],
    tierRules: { metric: 'spend', period: 'lifetime', downgrade: 'immediate', graceDays: 0 },
    membership: { enabled: false, variantId: '', days: 365, earnMultiplier: 1, combine: 'highest', perks: { ...noPerks } },
  };
}

/**
 * Referrals and engagement (docs/engagement.md): ways to earn beyond orders, surveys, badges,
 * challenges, causes and transfers. Sign-up and badge points are off by default so a program saved
 * before these existed credits exactly what it did.
 */
const toggled = { enabled: z.boolean(), points };
const milestone = z.enum(['first_order', 'orders', 'review', 'referral']);
export const engagementSchemas = {
  referrals: z.object({
    enabled: z.boolean(),
    referrerPoints: points,
    friendDiscount: z.object({ kind: z.enum(['percentage_off', 'amount_off']), value: z.number().int().min(1) }),
    /** Referrals credited to one referrer per calendar month (UTC); null for no cap. */
    monthlyCap: z.number().int().min(1).max(1000).nullable(),
  }),
  actions: z.object({
    signup: z.object(toggled),
    birthday: z.object(toggled),
    newsletter: z.object(toggled),
    /** Honour-based: each listed network rewards once. */
    socialFollow: z.object({
      ...toggled,
      networks: z
        .array(
          z
            .string()
            .trim()
            .regex(/^[a-z0-9_]{1,30}$/, 'lower-case letters, digits and _'),
        )
        .max(10),
    }),
    review: z.object({ ...toggled, perMonth: z.number().int().min(1).max(100) }),
  }),
  surveys: z.object({ nps: z.object({ ...toggled, periodDays: z.number().int().min(1).max(3650) }) }),
  badges: z.array(z.object({ id, name: z.string().trim().min(1).max(60), milestone, count: z.number().int().min(1).max(1000), points })).max(30),
  challenges: z
    .array(
      z.object({
        id,
        name: z.string().trim().min(1).max(80),
        orders: z.number().int().min(1).max(100),
        points,
        startsAt: z.iso.datetime(),
        endsAt: z.iso.datetime(),
      }),
    )
    .max(20)
    .superRefine((challenges, issue) =>
      challenges.forEach(
        (challenge, index) =>
          Date.parse(challenge.endsAt) <= Date.parse(challenge.startsAt) &&
          issue.addIssue({ code: 'custom', path: [index, 'endsAt'], message: 'must end after it starts' }),
      ),
    ),
  /** `moneyPer1000Points`: what the merchant gives the cause for 1,000 points, in minor units. */
  causes: z
    .array(
      z.object({
        id,
        name: z.string().trim().min(1).max(80),
        description: z.string().trim().max(500),
        enabled: z.boolean(),
        moneyPer1000Points: minor,
      }),
    )
    .max(20),
  transfers: z.object({ enabled: z.boolean(), minPoints: points.min(1), maxPerTransfer: points.min(1), maxPerMonth: points.min(1) }),
};
export function defaultEngagementSettings(): Pick<Program, keyof typeof engagementSchemas> {
  return {
    referrals: { enabled: true, referrerPoints: 500, friendDiscount: { kind: 'percentage_off', value: 10 }, monthlyCap: 10 },
    actions: {
      signup: { enabled: false, points: 0 },
      birthday: { enabled: true, points: 100 },
      newsletter: { enabled: true, points: 50 },
      socialFollow: { enabled: true, points: 25, networks: ['instagram', 'facebook', 'tiktok'] },
      review: { enabled: true, points: 50, perMonth: 5 },
    },
    surveys: { nps: { enabled: true, points: 25, periodDays: 90 } },
    badges: [
      { id: 'first-order', name: 'First order', milestone: 'first_order', count: 1, points: 0 },
      { id: 'five-orders', name: 'Five orders', milestone: 'orders', count: 5, points: 0 },
      { id: 'reviewer', name: 'Reviewer', milestone: 'review', count: 1, points: 0 },
      { id: 'ambassador', name: 'Ambassador', milestone: 'referral', count: 1, points: 0 },
    ],
    challenges: [],
    causes: [],
    transfers: { enabled: true, minPoints: 1, maxPerTransfer: 10_000, maxPerMonth: 50_000 },
  };
}
const engagementProgramFields = {
  referrals: engagementSchemas.referrals.default(() => defaultEngagementSettings().referrals),
  actions: engagementSchemas.actions.default(() => defaultEngagementSettings().actions),
  surveys: engagementSchemas.surveys.default(() => defaultEngagementSettings().surveys),
  badges: engagementSchemas.badges.default(() => defaultEngagementSettings().badges),
  challenges: engagementSchemas.challenges.default(() => defaultEngagementSettings().challenges),
  causes: engagementSchemas.causes.default(() => defaultEngagementSettings().causes),
  transfers: engagementSchemas.transfers.default(() => defaultEngagementSettings().transfers),
};

/**
 * Shopify POS (docs/pos.md): how sales at the register earn (as online, not at all, or at their own
 * rate), how long a guest sale may be attached to a customer afterwards, and how many points each
 * staff role may adjust at once. Staff not listed have the default role.
 */
const staffRoleId = id;
export const posSchema = z
  .object({
    earning: z.enum(['same', 'excluded', 'own_rate']),
    /** Points per currency unit at the register when `earning` is `own_rate`. */
    pointsPerCurrencyUnit: rate,
    /** Days after a guest sale in which staff may attach it to a customer (0: never). */
    guestAttachDays: z.number().int().min(0).max(90),
    roles: z
      .array(
        z.object({
          id: staffRoleId,
          name: z.string().trim().min(1).max(40),
          /** The most points one manual adjustment may add or take; null for no limit. */
          adjustmentLimit: points.max(10_000_000).nullable(),
        }),
      )
      .min(1, 'keep at least one role')
      .max(10),
    defaultRoleId: staffRoleId,
    /** Shopify staff member ids (as POS names them) and the role each holds. */
    staff: z.array(z.object({ staffId: z.string().regex(/^\d{1,20}$/, 'a Shopify staff member id (digits)'), roleId: staffRoleId })).max(500),
  })
  .superRefine((pos, issue) => {
    const roles = new Set<string>();
    pos.roles.forEach((role, index) => {
      if (roles.has(role.id)) issue.addIssue({ code: 'custom', path: ['roles', index, 'id'], message: 'role ids must be unique' });
      roles.add(role.id);
    });
    if (!roles.has(pos.defaultRoleId)) issue.addIssue({ code: 'custom', path: ['defaultRoleId'], message: 'must be one of the roles' });
    const staff = new Set<string>();
    pos.staff.forEach((member, index) => {
      if (!roles.has(member.roleId)) issue.addIssue({ code: 'custom', path: ['staff', index, 'roleId'], message: 'must be one of the roles' });
      if (staff.has(member.staffId)) issue.addIssue({ code: 'custom', path: ['staff', index, 'staffId'], message: 'a staff member has one role' });
      staff.add(member.staffId);
    });
  });

export type PosSettings = z.infer<typeof posSchema>;

/** The program's POS settings; a program saved before they existed reads the defaults. */
export function posSettingsOf(program: Program): PosSettings {
  const stored: Partial<Program> = program;
  return stored.pos ?? defaultPosSettings();
}

export const programSchema = z
  .object({
    version: z.number().int().min(1),
    enabled: z.boolean(),
    /** Set once the merchant has finished the first-run wizard. */
    onboarded: z.boolean().default(false),
    currency: z.string().regex(/^[A-Z]{3}$/),
    pointsName: z.string().trim().min(1).max(30),
    earning: z.object({
      pointsPerCurrencyUnit: rate,
      minimumOrderAmount: minor,
      multipliers: z.array(multiplierSchema).max(50),
      promotions: z.array(promotionSchema).max(20),
      punchCard: z.object({ enabled: z.boolean(), everyNthOrder: z.number().int().min(2).max(100), bonusPoints: points }),
      cashBack: z.object({ enabled: z.boolean(), percent: rateBetween(0, 100, 'at most 100'), insteadOfPoints: z.boolean() }),
      caps: z.object({ perOrder: points.nullable(), perCustomerPerDay: points.nullable() }),
      excludedCustomerTags: z.array(z.string().trim().min(1).max(255)).max(50),
      /** Shopify's test orders (`test: true`) earn only when the merchant turns this on. */
      testOrders: z.boolean().default(false),
    }),
    pendingDays: z.number().int().min(0).max(365),
    expiry: z.object({
      mode: z.enum(['none', 'inactivity', 'batch']),
      days: z.number().int().min(1).max(3650),
      reminderDaysBefore: z.number().int().min(0).max(365),
    }),
    negativeBalance: z.enum(['allow', 'stop_at_zero']),
    redemption: z.object({ returnPointsOnOrderRefund: z.boolean(), returnPointsForExpiredCodes: z.boolean() }),
    rewards: z.array(rewardSchema).min(1, 'keep at least one reward').max(50),
    widget: z.object({
      primaryColor: z.string().regex(/^#[0-9a-fA-F]{6}$/, 'a colour such as #1f6feb'),
      textColor: z.string().regex(/^#[0-9a-fA-F]{6}$/, 'a colour such as #ffffff'),
      position: z.enum(['bottom-right', 'bottom-left']),
      languages: z.array(z.enum(['en', 'fr', 'de', 'es'])).min(1),
    }),
    tiers: tiersSchema.default(() => defaultTierSettings().tiers),
    tierRules: tierRulesSchema.default(() => defaultTierSettings().tierRules),
    membership: membershipSchema.default(() => defaultTierSettings().membership),
    ...engagementProgramFields,
    pos: posSchema.default(defaultPosSettings),
  })
  .superRefine((program, issue) => {
    if (program.expiry.mode !== 'none' && program.expiry.reminderDaysBefore >= program.expiry.days) {
      issue.addIssue({ code: 'custom', path: ['expiry', 'reminderDaysBefore'], message: 'must be fewer days than the expiry period' });
    }
    const ids = new Set<string>();
    program.rewards.forEach((reward, index) => {
      if (ids.has(reward.id)) issue.addIssue({ code: 'custom', path: ['rewards', index, 'id'], message: 'reward ids must be unique' });
      ids.add(reward.id);
      if (reward.type === 'points_for_money' && reward.maxSteps < reward.minSteps) {
        issue.addIssue({ code: 'custom', path: ['rewards', index, 'maxSteps'], message: 'must be at least minSteps' });
      }
    });
  });

export type Program = z.infer<typeof programSchema>;
export type Reward = z.infer<typeof rewardSchema>;

export type ProgramValidation = { ok: true; program: Program } | { ok: false; errors: Record<string, string> };

/** Validates a whole program; errors are keyed by field path ("earning.pointsPerCurrencyUnit"). */
export function validateProgram(input: unknown): ProgramValidation {
  const parsed = programSchema.safeParse(input);
  if (parsed.success) return { ok: true, program: parsed.data };
  const errors: Record<string, string> = {};
  for (const issue of parsed.error.issues) {
    const path = issue.path.map(String).join('.') || '(program)';
    errors[path] ??= issue.message;
  }
  return { ok: false, errors };
}

const noCombining = { orderDiscounts: false, productDiscounts: true, shippingDiscounts: true };

/** A new shop's program (CONTRACT.md): 1 point per currency unit, credited when paid, no pending, no expiry. */
export function defaultProgram(currency: string): Program {
  const unit = 10 ** currencyDecimals(currency);
  return {
    version: 1,
    enabled: true,
    onboarded: false,
    currency,
    pointsName: 'points',
    earning: {
      pointsPerCurrencyUnit: 1,
      minimumOrderAmount: 0,
      multipliers: [],
      promotions: [],
      punchCard: { enabled: false, everyNthOrder: 10, bonusPoints: 50 },
      cashBack: { enabled: false, percent: 2, insteadOfPoints: false },
      caps: { perOrder: null, perCustomerPerDay: null },
      excludedCustomerTags: [],
      testOrders: false,
    },
    pendingDays: 0,
    expiry: { mode: 'none', days: 365, reminderDaysBefore: 30 },
    negativeBalance: 'allow',
    redemption: { returnPointsOnOrderRefund: false, returnPointsForExpiredCodes: false },
    rewards: [
      {
        id: 'five-off',
        type: 'amount_off',
        name: `${moneyFormatter(currency)(5 * unit)} off your order`,
        pointsCost: 500,
        amountOff: 5 * unit,
        enabled: true,
        minimumOrderAmount: 0,
        codeExpiresInDays: 90,
        combinesWith: noCombining,
      },
      {
        id: 'free-shipping',
        type: 'free_shipping',
        name: 'Free shipping',
        pointsCost: 300,
        enabled: true,
        minimumOrderAmount: 0,
        codeExpiresInDays: 90,
        combinesWith: noCombining,
      },
    ],
    widget: { primaryColor: '#1f6feb', textColor: '#ffffff', position: 'bottom-right', languages: ['en'] },
    ...defaultTierSettings(),
    ...defaultEngagementSettings(),
    pos: defaultPosSettings(),
  };
}

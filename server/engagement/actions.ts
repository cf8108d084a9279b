import { entryForKey, ledgerKeys } from '../ledger/index.js';
import { insertOnce } from '../platform/atomic.js';
import type { AppContext } from '../platform/context.js';
import type { Program } from '../program/index.js';
import { evaluateAwards } from './badges.js';
import { creditBonus } from './credit.js';
import { EngagementRefused } from './refusals.js';
import { birthdayMonth, monthOf, parseBirthday } from './rules.js';
import { engagementSettingsOf } from './settings.js';
import { birthdayModel, milestonesOf, recordMilestone } from './store.js';

export type ShopperAction =
  { type: 'birthday'; birthday: string } | { type: 'newsletter' } | { type: 'social_follow'; network: string } | { type: 'review' };

export interface ActionOutcome {
  type: string;
  points: number;
  /** For a birthday entered outside its month: the month (MM) it will be credited in. */
  creditedInMonth?: string;
}

const ONCE = 'once';

async function creditOnce(
  ctx: AppContext,
  action: { shop: string; customerId: string; type: string; period: string; points: number; reason: string },
  now: Date,
): Promise<ActionOutcome> {
  const key = ledgerKeys.actionRewarded(action.customerId, action.type, action.period);
  const result = await creditBonus(
    ctx,
    { shop: action.shop, customerId: action.customerId, key, points: action.points, reason: action.reason, source: `action ${action.type}` },
    now,
  );
  if (!result.appliedNow)
    throw new EngagementRefused('already_rewarded', `This action was already rewarded (${action.period === ONCE ? 'once only' : action.period})`);
  return { type: action.type, points: action.points };
}

async function enterBirthday(ctx: AppContext, program: Program, shop: string, customerId: string, text: string, now: Date): Promise<ActionOutcome> {
  const settings = engagementSettingsOf(program).actions.birthday;
  const birthday = parseBirthday(text);
  if (!birthday) throw new EngagementRefused('invalid_birthday', 'Enter the birthday as MM-DD or YYYY-MM-DD');
  await insertOnce(birthdayModel(ctx.connection), { shop, customerId, birthday, month: birthday.slice(0, 2), createdAt: now });
  const stored = await birthdayModel(ctx.connection).findOne({ shop, customerId }).lean();
  if (stored?.birthday !== birthday)
    throw new EngagementRefused('birthday_already_set', 'Your birthday is already on file; ask the shop to change it');
  const { inMonth, year } = birthdayMonth(birthday, now);
  if (!inMonth) return { type: 'birthday', points: 0, creditedInMonth: birthday.slice(0, 2) };
  return creditOnce(ctx, { shop, customerId, type: 'birthday', period: year, points: settings.points, reason: 'birthday' }, now);
}

/** A shopper's claim of an action from the storefront; reviews only come from a review app (creditReview). */
export async function rewardAction(
  ctx: AppContext,
  program: Program,
  shop: string,
  customerId: string,
  action: ShopperAction,
  now: Date,
): Promise<ActionOutcome> {
  const settings = engagementSettingsOf(program).actions;
  switch (action.type) {
    case 'birthday':
      if (!settings.birthday.enabled) throw new EngagementRefused('action_off', 'This shop does not reward birthdays');
      return enterBirthday(ctx, program, shop, customerId, action.birthday, now);
    case 'newsletter':
      if (!settings.newsletter.enabled) throw new EngagementRefused('action_off', 'This shop does not reward newsletter sign-ups');
      return creditOnce(
        ctx,
        { shop, customerId, type: 'newsletter', period: ONCE, points: settings.newsletter.points, reason: 'newsletter sign-up' },
        now,
      );
    case 'social_follow':
      if (!settings.socialFollow.enabled) throw new EngagementRefused('action_off', 'This shop does not reward social follows');
      if (!settings.socialFollow.networks.includes(action.network))
        throw new EngagementRefused('unknown_network', `The shop does not reward follows on ${action.network}`);
      return creditOnce(
        ctx,
        {
          shop,
          customerId,
          type: `social_follow_${action.network}`,
          period: ONCE,
          points: settings.socialFollow.points,
          reason: `followed on ${action.network}`,
        },
        now,
      );
    case 'review':
      throw new EngagementRefused('review_by_app_only', 'Reviews are credited when the review app reports them');
  }
}

/** customers/create: the sign-up bonus, once per customer, when the merchant turned it on. */
export async function creditSignUp(ctx: AppContext, program: Program, shop: string, customerId: string, now: Date): Promise<number> {
  const signup = engagementSettingsOf(program).actions.signup;
  if (!signup.enabled || signup.points <= 0) return 0;
  const result = await creditBonus(
    ctx,
    {
      shop,
      customerId,
      key: ledgerKeys.actionRewarded(customerId, 'signup', ONCE),
      points: signup.points,
      reason: 'account created',
      source: 'action signup',
    },
    now,
  );
  return result.appliedNow ? signup.points : 0;
}

export interface ReviewReport {
  shop: string;
  customerId: string;
  reviewId: string;
}

/**
 * A review a review app (or Shopify Flow) reports, once per review id. The month's limit counts the
 * customer's reviews in the order they were reported, so a retry lands on the same side of it.
 */
export async function creditReview(
  ctx: AppContext,
  program: Program,
  review: ReviewReport,
  now: Date,
): Promise<ActionOutcome & { replayed: boolean }> {
  const settings = engagementSettingsOf(program).actions.review;
  if (!settings.enabled) throw new EngagementRefused('action_off', 'This shop does not reward reviews');
  const recorded = await recordMilestone(ctx.connection, {
    shop: review.shop,
    customerId: review.customerId,
    kind: 'review',
    ref: review.reviewId,
    at: now,
  });
  if (recorded.customerId !== review.customerId)
    throw new EngagementRefused('request_key_reused', 'This review id was reported for another customer');
  const month = monthOf(recorded.at);
  const ofMonth = (await milestonesOf(ctx.connection, review.shop, review.customerId, 'review')).filter((other) => monthOf(other.at) === month);
  const position = ofMonth.findIndex((other) => other._id.equals(recorded._id));
  const points = position >= 0 && position < settings.perMonth ? settings.points : 0;
  const result =
    points > 0
      ? await creditBonus(
          ctx,
          {
            shop: review.shop,
            customerId: review.customerId,
            key: ledgerKeys.actionRewarded(review.customerId, 'review', review.reviewId),
            points,
            reason: 'product review',
            source: 'action review',
          },
          now,
        )
      : null;
  await evaluateAwards(ctx, program, review.shop, review.customerId, now);
  return { type: 'review', points, replayed: result ? !result.appliedNow : false };
}

/** The daily pass: customers whose birthday month this is get their birthday points, once a year. */
export async function creditBirthdays(ctx: AppContext, program: Program, shop: string, now: Date): Promise<number> {
  const settings = engagementSettingsOf(program).actions.birthday;
  if (!settings.enabled || settings.points <= 0) return 0;
  const { year } = birthdayMonth('01-01', now);
  const due = await birthdayModel(ctx.connection)
    .find({ shop, month: now.toISOString().slice(5, 7) })
    .lean();
  let credited = 0;
  for (const birthday of due) {
    const key = ledgerKeys.actionRewarded(birthday.customerId, 'birthday', year);
    const result = await creditBonus(
      ctx,
      { shop, customerId: birthday.customerId, key, points: settings.points, reason: 'birthday', source: 'action birthday' },
      now,
    );
    if (result.appliedNow) credited++;
  }
  return credited;
}

export interface ActionsView {
  birthday: { enabled: boolean; points: number; birthday: string | null };
  newsletter: { enabled: boolean; points: number; done: boolean };
  /** `followed`: the networks this customer was already rewarded for. */
  socialFollow: { enabled: boolean; points: number; networks: string[]; followed: string[] };
  review: { enabled: boolean; points: number; perMonth: number };
}

/** The actions as the shopper sees them, with what this customer already did (read from the ledger's once-keys). */
export async function actionsView(ctx: AppContext, program: Program, shop: string, customerId: string): Promise<ActionsView> {
  const settings = engagementSettingsOf(program).actions;
  const rewarded = async (type: string) => (await entryForKey(ctx.connection, shop, ledgerKeys.actionRewarded(customerId, type, ONCE))) !== null;
  const [birthday, newsletter, follows] = await Promise.all([
    birthdayModel(ctx.connection).findOne({ shop, customerId }).lean(),
    rewarded('newsletter'),
    Promise.all(settings.socialFollow.networks.map((network) => rewarded(`social_follow_${network}`))),
  ]);
  return {
    birthday: { enabled: settings.birthday.enabled, points: settings.birthday.points, birthday: birthday?.birthday ?? null },
    newsletter: { enabled: settings.newsletter.enabled, points: settings.newsletter.points, done: newsletter },
    socialFollow: {
      enabled: settings.socialFollow.enabled,
      points: settings.socialFollow.points,
      networks: settings.socialFollow.networks,
      followed: settings.socialFollow.networks.filter((_network, index) => follows[index]),
    },
    review: { enabled: settings.review.enabled, points: settings.review.points, perMonth: settings.review.perMonth },
  };
}

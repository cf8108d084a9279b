import { ledgerKeys, newestEntry, type LedgerEntry } from '../ledger/index.js';
import { insertOnce } from '../platform/atomic.js';
import type { AppContext } from '../platform/context.js';
import type { Program } from '../program/index.js';
import { creditBonus } from './credit.js';
import { useOffers } from './offers.js';
import { badgesReached, inChallenge, type MilestoneCounts } from './rules.js';
import { engagementSettingsOf } from './settings.js';
import { awardModel, milestoneModel, milestonesOf, recordMilestone, type Award } from './store.js';

/** Paid orders come from the ledger's running count (every earn entry carries it); reviews and referrals from milestones. */
async function countsOf(ctx: AppContext, shop: string, customerId: string, paidOrders?: number): Promise<MilestoneCounts> {
  const count = (kind: 'review' | 'referral') => milestoneModel(ctx.connection).countDocuments({ shop, customerId, kind });
  const [orders, reviews, referrals] = await Promise.all([
    paidOrders ?? newestEntry(ctx.connection, shop, customerId).then((entry) => entry?.paidOrders ?? 0),
    count('review'),
    count('referral'),
  ]);
  return { orders, reviews, referrals };
}

/**
 * Awards once: the points first (exactly once by their ledger key), then the award record (a unique
 * insert), so a crash in between is finished by the next evaluation and never pays twice. `ledger`
 * holds the customer's newest entry when the caller has it, and is moved on to the award's own.
 */
async function award(
  ctx: AppContext,
  award: Omit<Award, 'awardedAt'>,
  points: number,
  name: string,
  now: Date,
  ledger: { newest?: LedgerEntry | null } = {},
): Promise<boolean> {
  if (points > 0) {
    const key =
      award.kind === 'badge'
        ? ledgerKeys.badgeAwarded(award.customerId, award.awardId)
        : ledgerKeys.challengeCompleted(award.customerId, award.awardId);
    const credited = await creditBonus(
      ctx,
      {
        shop: award.shop,
        customerId: award.customerId,
        key,
        points,
        reason: `${award.kind === 'badge' ? 'badge' : 'challenge'}: ${name}`,
        source: award.kind,
      },
      now,
      ledger.newest,
    );
    ledger.newest = credited.appliedNow ? credited.entry : undefined;
  }
  return insertOnce(awardModel(ctx.connection), { ...award, awardedAt: now });
}

/**
 * A badge the merchant gives by hand (Shopify Flow's "Award a loyalty badge"), whatever the
 * customer's milestones: recorded and paid through the same path as one reached, so it shows in the
 * shopper's badges at once and a repeated call records and pays nothing more. `via` names the
 * giver in the ledger reason. Null when the program has no badge `badgeId`; else whether it was
 * awarded now.
 */
export async function awardBadgeByHand(
  ctx: AppContext,
  program: Program,
  shop: string,
  customerId: string,
  badgeId: string,
  now: Date,
  via = 'by hand',
): Promise<boolean | null> {
  const badge = engagementSettingsOf(program).badges.find((candidate) => candidate.id === badgeId);
  if (!badge) return null;
  return award(ctx, { shop, customerId, kind: 'badge', awardId: badge.id }, badge.points, `${badge.name} (${via})`, now);
}

/** Awards the badges and challenges the customer has reached and not yet been given; returns the ids awarded now. */
export async function evaluateAwards(
  ctx: AppContext,
  program: Program,
  shop: string,
  customerId: string,
  now: Date,
  paidOrders?: number,
): Promise<string[]> {
  const settings = engagementSettingsOf(program);
  const given = new Set(
    (await awardModel(ctx.connection).find({ shop, customerId }).lean()).map((existing) => `${existing.kind}:${existing.awardId}`),
  );
  const awarded: string[] = [];
  for (const badge of badgesReached(settings.badges, await countsOf(ctx, shop, customerId, paidOrders))) {
    if (given.has(`badge:${badge.id}`)) continue;
    if (await award(ctx, { shop, customerId, kind: 'badge', awardId: badge.id }, badge.points, badge.name, now)) awarded.push(`badge:${badge.id}`);
  }
  const open = settings.challenges.filter((challenge) => !given.has(`challenge:${challenge.id}`));
  if (open.length > 0) {
    const orders = await milestonesOf(ctx.connection, shop, customerId, 'order');
    for (const challenge of open) {
      if (orders.filter((order) => inChallenge(challenge, order.at)).length < challenge.orders) continue;
      if (await award(ctx, { shop, customerId, kind: 'challenge', awardId: challenge.id }, challenge.points, challenge.name, now))
        awarded.push(`challenge:${challenge.id}`);
    }
  }
  return awarded;
}

/**
 * A credited order uses the member's open offers (offers.ts) and counts for badges and challenges. `paidOrders` is the customer's count after it
 * (the ledger keeps it), so an order that reaches no badge threshold, in a program without
 * challenges, costs no database round trip; challenges count orders in their window from milestones.
 * `newest`: the customer's newest ledger entry (the order's credit), so a badge's points take one
 * insert and no read.
 */
export async function recordPaidOrder(
  ctx: AppContext,
  program: Program,
  order: { shop: string; customerId: string; orderId: string; paidAt: Date; paidOrders: number },
  now: Date,
  newest?: LedgerEntry | null,
): Promise<string[]> {
  const settings = engagementSettingsOf(program);
  await useOffers(ctx, order, now);
  if (settings.challenges.length > 0) {
    await recordMilestone(ctx.connection, { shop: order.shop, customerId: order.customerId, kind: 'order', ref: order.orderId, at: order.paidAt });
    return evaluateAwards(ctx, program, order.shop, order.customerId, now, order.paidOrders);
  }
  // Without challenges only the order-count badges can change, and only on the order that reaches
  // one: its award is a unique insert, so no read of the awards given is needed.
  const reached = settings.badges.filter((badge) =>
    badge.milestone === 'first_order' ? order.paidOrders === 1 : badge.milestone === 'orders' && badge.count === order.paidOrders,
  );
  const awarded: string[] = [];
  const ledger = { newest: newest ?? undefined };
  for (const badge of reached) {
    if (await award(ctx, { shop: order.shop, customerId: order.customerId, kind: 'badge', awardId: badge.id }, badge.points, badge.name, now, ledger))
      awarded.push(`badge:${badge.id}`);
  }
  return awarded;
}

/** A referral credited to the referrer counts for their referral badges. */
export async function recordReferralMilestone(
  ctx: AppContext,
  program: Program,
  referral: { shop: string; referrerId: string; friendId: string },
  now: Date,
): Promise<string[]> {
  await recordMilestone(ctx.connection, { shop: referral.shop, customerId: referral.referrerId, kind: 'referral', ref: referral.friendId, at: now });
  return evaluateAwards(ctx, program, referral.shop, referral.referrerId, now);
}

export interface AwardsView {
  badges: Array<{ id: string; name: string; milestone: string; count: number; points: number; earned: boolean; earnedAt: string | null }>;
  challenges: Array<{
    id: string;
    name: string;
    orders: number;
    progress: number;
    points: number;
    startsAt: string;
    endsAt: string;
    completed: boolean;
    active: boolean;
  }>;
}

/** Badges and challenges as the shopper sees them: what is earned, and how far along each challenge is. */
export async function awardsView(ctx: AppContext, program: Program, shop: string, customerId: string, now: Date): Promise<AwardsView> {
  const settings = engagementSettingsOf(program);
  const [awards, orders] = await Promise.all([
    awardModel(ctx.connection).find({ shop, customerId }).lean(),
    milestonesOf(ctx.connection, shop, customerId, 'order'),
  ]);
  const earned = (kind: Award['kind'], id: string) => awards.find((existing) => existing.kind === kind && existing.awardId === id);
  return {
    badges: settings.badges.map((badge) => {
      const got = earned('badge', badge.id);
      return {
        id: badge.id,
        name: badge.name,
        milestone: badge.milestone,
        count: badge.count,
        points: badge.points,
        earned: got !== undefined,
        earnedAt: got?.awardedAt.toISOString() ?? null,
      };
    }),
    challenges: settings.challenges.map((challenge) => ({
      id: challenge.id,
      name: challenge.name,
      orders: challenge.orders,
      progress: Math.min(challenge.orders, orders.filter((order) => inChallenge(challenge, order.at)).length),
      points: challenge.points,
      startsAt: challenge.startsAt,
      endsAt: challenge.endsAt,
      completed: earned('challenge', challenge.id) !== undefined,
      active: inChallenge(challenge, now),
    })),
  };
}

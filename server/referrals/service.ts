import { randomInt } from 'node:crypto';
import { Types } from 'mongoose';
import { findProfile } from '../customers/index.js';
import { engagementSettingsOf, monthOf, milestonesOf, recordReferralMilestone } from '../engagement/index.js';
import { applyEntry, customerEntriesOfTypes, entryForKey, ledgerKeys } from '../ledger/index.js';
import { claimEffect, completeEffect, abandonEffect, findEffect, insertOnce } from '../platform/atomic.js';
import type { AppContext } from '../platform/context.js';
import type { Program } from '../program/index.js';
import { adminClientFor } from '../shops/index.js';
import { newReferralCode, referralCodeOf, referralState, samePerson, type Identity, type ReferralState, type RefusalReason } from './rules.js';
import { firstOrderSegmentOf } from './segment.js';
import { createReferralDiscount } from './shopify.js';
import { conversionModel, outcomeModel, referralCodeModel, referralDiscountModel, takeCapSlot, type Conversion, type ReferralCode } from './store.js';

const DAY_MS = 86_400_000;
/** How long a decision waits for the friend's customers/create before deciding on what it has. */
const PROFILE_WAIT_MS = 2 * DAY_MS;

async function codeOf(ctx: AppContext, shop: string, customerId: string, now: Date): Promise<ReferralCode> {
  const codes = referralCodeModel(ctx.connection);
  for (let attempt = 0; attempt < 5; attempt++) {
    const existing = await codes.findOne({ shop, customerId }).lean<ReferralCode>();
    if (existing) return existing;
    const candidate: ReferralCode = { _id: new Types.ObjectId(), shop, customerId, code: newReferralCode(randomInt), createdAt: now };
    // A duplicate is either this customer's code made meanwhile (read it next turn) or a code collision (draw again).
    if (await insertOnce(codes, candidate)) return candidate;
  }
  throw new Error(`no referral code could be issued to ${customerId}`);
}

/**
 * The friend's discount on Shopify, created once per code: the claim is recorded before the call,
 * withdrawn when Shopify refuses, completed after. A claim left pending by a crash is not retried
 * here (the code still refers through the cart attribute); docs/engagement.md.
 */
async function ensureFriendDiscount(ctx: AppContext, program: Program, code: ReferralCode, now: Date): Promise<boolean> {
  const effects = referralDiscountModel(ctx.connection);
  const existing = await findEffect(effects, code.shop, code.code);
  if (existing) return existing.state === 'done';
  const { friendDiscount } = engagementSettingsOf(program).referrals;
  const admin = adminClientFor(ctx);
  const segmentId = await firstOrderSegmentOf(ctx.connection, admin, code.shop, now).catch((error: unknown) => {
    ctx.logger.warn({ err: error, shop: code.shop }, 'referral segment not created');
    return null;
  });
  if (!segmentId) return false;
  const claim = await claimEffect(effects, {
    shop: code.shop,
    key: code.code,
    intent: { kind: friendDiscount.kind, value: friendDiscount.value },
    now,
  });
  if (!claim) return false;
  const created = await createReferralDiscount(admin, {
    shop: code.shop,
    code: code.code,
    kind: friendDiscount.kind,
    value: friendDiscount.value,
    currency: program.currency,
    startsAt: now,
    segmentId,
  }).catch((error: unknown) => {
    ctx.logger.warn({ err: error, shop: code.shop }, 'referral discount not created');
    return null;
  });
  if (!created || !created.created) {
    await abandonEffect(effects, claim);
    return false;
  }
  await completeEffect(effects, claim, now, { discountId: created.discountId });
  return true;
}

export interface ReferralLink {
  code: string;
  url: string;
  /** Whether the friend's discount exists on Shopify (the link still refers without it). */
  discount: boolean;
  referrerPoints: number;
  /** What the friend gets: a percent, or an amount in the shop's currency's minor units. */
  friendDiscount: { kind: 'percentage_off' | 'amount_off'; value: number };
}

/** GET /proxy/referral: the customer's code and link; the link applies the friend's discount through Shopify's /discount/ path. */
export async function referralLinkFor(ctx: AppContext, program: Program, shop: string, customerId: string, now: Date): Promise<ReferralLink> {
  const code = await codeOf(ctx, shop, customerId, now);
  const discount = await ensureFriendDiscount(ctx, program, code, now);
  const url = `https://${shop}/discount/${encodeURIComponent(code.code)}?redirect=${encodeURIComponent(`/?tally_ref=${code.code}`)}`;
  const { referrerPoints, friendDiscount } = engagementSettingsOf(program).referrals;
  return { code: code.code, url, discount, referrerPoints, friendDiscount: { kind: friendDiscount.kind, value: friendDiscount.value } };
}

async function identityOf(ctx: AppContext, shop: string, customerId: string): Promise<Identity | null> {
  const profile = await findProfile(ctx.connection, shop, customerId);
  return profile ? { email: profile.email ?? null, addresses: profile.addresses ?? [] } : null;
}

/** Whether the friend had a paid order before this one: in the ledger's credited orders or engagement's paid-order milestones. */
async function hadEarlierOrder(ctx: AppContext, conversion: Conversion): Promise<boolean> {
  const [earned, orders] = await Promise.all([
    customerEntriesOfTypes(ctx.connection, conversion.shop, conversion.friendId, ['earn']),
    milestonesOf(ctx.connection, conversion.shop, conversion.friendId, 'order'),
  ]);
  return (
    earned.some((entry) => entry.orderId !== conversion.orderId && entry.createdAt < conversion.paidAt) ||
    orders.some((order) => order.ref !== conversion.orderId && order.at < conversion.paidAt)
  );
}

async function refuse(ctx: AppContext, conversion: Conversion, reason: RefusalReason, now: Date): Promise<ReferralState> {
  await insertOnce(outcomeModel(ctx.connection), {
    shop: conversion.shop,
    friendId: conversion.friendId,
    verdict: 'refused',
    reason,
    decidedAt: now,
  });
  return currentState(ctx, conversion.shop, conversion.friendId);
}

async function currentState(ctx: AppContext, shop: string, friendId: string): Promise<ReferralState> {
  const outcome = await outcomeModel(ctx.connection).findOne({ shop, friendId }).lean();
  const reversed =
    outcome?.verdict === 'credited' ? (await entryForKey(ctx.connection, shop, ledgerKeys.referralReversed(friendId))) !== null : false;
  return referralState(outcome, reversed);
}

/**
 * Decides a conversion once it is past its pending window: refused for an earlier paid order, the
 * same email or address as the referrer, or a full month's cap; else the referrer is credited
 * (the ledger key first, then the outcome, so a crash in between is finished by the next pass).
 */
export async function settleReferral(ctx: AppContext, program: Program, conversion: Conversion, now: Date): Promise<ReferralState> {
  if (now < conversion.creditAfter) return 'pending';
  if (await outcomeModel(ctx.connection).exists({ shop: conversion.shop, friendId: conversion.friendId }))
    return currentState(ctx, conversion.shop, conversion.friendId);
  const settings = engagementSettingsOf(program).referrals;
  if (!settings.enabled) return refuse(ctx, conversion, 'referrals_off', now);
  if (await hadEarlierOrder(ctx, conversion)) return refuse(ctx, conversion, 'earlier_order', now);
  const [referrer, friend] = await Promise.all([
    identityOf(ctx, conversion.shop, conversion.referrerId),
    identityOf(ctx, conversion.shop, conversion.friendId),
  ]);
  if (!friend && now.getTime() < conversion.paidAt.getTime() + PROFILE_WAIT_MS) return 'pending';
  const same = referrer && friend ? samePerson(referrer, friend) : null;
  if (same) return refuse(ctx, conversion, same, now);
  if (
    settings.monthlyCap !== null &&
    !(await takeCapSlot(
      ctx.connection,
      { shop: conversion.shop, referrerId: conversion.referrerId, month: monthOf(now), friendId: conversion.friendId },
      settings.monthlyCap,
    ))
  ) {
    return refuse(ctx, conversion, 'monthly_cap', now);
  }
  await applyEntry(
    ctx.connection,
    {
      shop: conversion.shop,
      customerId: conversion.referrerId,
      key: ledgerKeys.referralCredited(conversion.friendId),
      type: 'bonus',
      available: settings.referrerPoints,
      pending: 0,
      reason: 'a friend you referred placed their first order',
      source: 'referral',
      guard: 'none',
    },
    now,
  );
  await insertOnce(outcomeModel(ctx.connection), {
    shop: conversion.shop,
    friendId: conversion.friendId,
    verdict: 'credited',
    reason: null,
    decidedAt: now,
  });
  await recordReferralMilestone(ctx, program, { shop: conversion.shop, referrerId: conversion.referrerId, friendId: conversion.friendId }, now);
  return currentState(ctx, conversion.shop, conversion.friendId);
}

export interface PaidOrder {
  shop: string;
  orderId: string;
  customerId: string;
  noteAttributes: Array<{ name: string; value?: string | null }>;
  discountCodes: string[];
  paidAt: Date;
}

/**
 * orders/paid: an order carrying a referral code (cart attribute or the referral discount) becomes
 * the friend's conversion, once per friend; decided now, or by the hourly job after the pending window.
 */
export async function referralOrderPaid(ctx: AppContext, program: Program, order: PaidOrder, now: Date): Promise<ReferralState | null> {
  const candidates = [
    ...order.noteAttributes.map((entry) => entry.value?.trim().toUpperCase() ?? ''),
    ...order.discountCodes.map((code) => code.trim().toUpperCase()),
  ].filter((code) => code.startsWith('REF-'));
  if (candidates.length === 0) return null;
  const known = new Set(
    (
      await referralCodeModel(ctx.connection)
        .find({ shop: order.shop, code: { $in: candidates } }, { code: 1 })
        .lean()
    ).map((code) => code.code),
  );
  const found = referralCodeOf(order, (code) => known.has(code));
  if (!found || !known.has(found.code)) return null;
  const referrer = await referralCodeModel(ctx.connection).findOne({ shop: order.shop, code: found.code }).lean<ReferralCode>();
  if (!referrer) return null;
  const candidate: Conversion = {
    _id: new Types.ObjectId(),
    shop: order.shop,
    friendId: order.customerId,
    referrerId: referrer.customerId,
    code: found.code,
    via: found.via,
    orderId: order.orderId,
    paidAt: order.paidAt,
    creditAfter: new Date(order.paidAt.getTime() + program.pendingDays * DAY_MS),
  };
  await insertOnce(conversionModel(ctx.connection), candidate);
  const conversion = await conversionModel(ctx.connection).findOne({ shop: order.shop, friendId: order.customerId }).lean<Conversion>();
  // The friend's referral is their first referred order; a later one refers nothing.
  if (!conversion || conversion.orderId !== order.orderId) return null;
  if (conversion.referrerId === conversion.friendId) return refuse(ctx, conversion, 'self_referral', now);
  return settleReferral(ctx, program, conversion, now);
}

/**
 * A friend's order refunded in full or cancelled: an undecided referral is refused, a credited one
 * reversed once (under the program's negative-balance policy).
 */
export async function referralOrderReversed(
  ctx: AppContext,
  program: Program,
  order: { shop: string; orderId: string },
  now: Date,
): Promise<ReferralState | null> {
  const conversion = await conversionModel(ctx.connection).findOne({ shop: order.shop, orderId: order.orderId }).lean<Conversion>();
  if (!conversion) return null;
  const outcome = await outcomeModel(ctx.connection).findOne({ shop: order.shop, friendId: conversion.friendId }).lean();
  if (!outcome) return refuse(ctx, conversion, 'order_refunded', now);
  if (outcome.verdict === 'credited') {
    const credit = await entryForKey(ctx.connection, order.shop, ledgerKeys.referralCredited(conversion.friendId));
    if (credit) {
      await applyEntry(
        ctx.connection,
        {
          shop: order.shop,
          customerId: conversion.referrerId,
          key: ledgerKeys.referralReversed(conversion.friendId),
          type: 'reverse',
          available: -credit.available,
          pending: 0,
          reason: "the referred friend's order was refunded",
          source: 'referral',
          guard: program.negativeBalance === 'allow' ? 'none' : 'clamp',
        },
        now,
      );
    }
  }
  return currentState(ctx, order.shop, conversion.friendId);
}

const LOOKBACK_MS = 120 * DAY_MS;

/** The hourly pass: conversions past their pending window and not yet decided. */
export async function settleDueReferrals(ctx: AppContext, program: Program, shop: string, now: Date): Promise<number> {
  const due = await conversionModel(ctx.connection)
    .find({ shop, creditAfter: { $lte: now, $gte: new Date(now.getTime() - LOOKBACK_MS) } })
    .lean<Conversion[]>();
  if (due.length === 0) return 0;
  const decided = new Set(
    (
      await outcomeModel(ctx.connection)
        .find({ shop, friendId: { $in: due.map((conversion) => conversion.friendId) } }, { friendId: 1 })
        .lean()
    ).map((outcome) => outcome.friendId),
  );
  let settled = 0;
  for (const conversion of due.filter((candidate) => !decided.has(candidate.friendId))) {
    if ((await settleReferral(ctx, program, conversion, now)) !== 'pending') settled++;
  }
  return settled;
}

export interface ReferralRow {
  friendId: string;
  referrerId: string;
  code: string;
  via: 'attribute' | 'discount';
  orderId: string;
  paidAt: string;
  creditAfter: string;
  state: ReferralState;
  reason: string | null;
}

/** The admin's list: the newest referrals first, each with its state. */
export async function listReferrals(ctx: AppContext, shop: string, limit: number): Promise<ReferralRow[]> {
  const conversions = await conversionModel(ctx.connection).find({ shop }).sort({ paidAt: -1 }).limit(limit).lean<Conversion[]>();
  const friends = conversions.map((conversion) => conversion.friendId);
  const [outcomes, reversals] = await Promise.all([
    outcomeModel(ctx.connection)
      .find({ shop, friendId: { $in: friends } })
      .lean(),
    Promise.all(friends.map((friend) => entryForKey(ctx.connection, shop, ledgerKeys.referralReversed(friend)))),
  ]);
  return conversions.map((conversion, index) => {
    const outcome = outcomes.find((candidate) => candidate.friendId === conversion.friendId) ?? null;
    return {
      friendId: conversion.friendId,
      referrerId: conversion.referrerId,
      code: conversion.code,
      via: conversion.via,
      orderId: conversion.orderId,
      paidAt: conversion.paidAt.toISOString(),
      creditAfter: conversion.creditAfter.toISOString(),
      state: referralState(outcome, reversals[index] !== null),
      reason: outcome?.reason ?? null,
    };
  });
}

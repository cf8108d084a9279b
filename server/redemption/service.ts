import { createHmac, randomBytes } from 'node:crypto';
import type { AppContext } from '../platform/context.js';
import type { Program } from '../program/index.js';
import { codeExpiresAt, discountCode, discountGiven, pointsCostFor, quoteRedemption, type QuoteRefusal } from './quote.js';
import { ShopifyApiError } from '../shopify/admin-graphql.js';
import { adminClientFor } from '../shops/index.js';
import { issueReward, type IssueOutcome } from './issue.js';
import { isDuplicateKey } from '../platform/models.js';
import { loadProgram } from '../program/index.js';
import { applyEntry, balanceOf, ledgerKeys, type ApplyResult } from '../ledger/index.js';
import { decideOutcome, findRedemption, redemptionDocId, redemptionModel, settleRedemption, type Redemption } from './store.js';

export interface RedeemRequest {
  shop: string;
  customerId: string;
  rewardId: string;
  /** Steps of a "points for money" reward. */
  steps?: number;
  /** Chosen by the client per click: the same key redeems once, however often it is sent. */
  requestKey?: string;
  source: Redemption['source'];
  staffId?: string;
}

export interface RedeemResult {
  redemption: Redemption;
  balance: number;
  /** True when this request repeated an earlier one with the same request key. */
  replayed: boolean;
}

export type RefusalCode = QuoteRefusal['refused'] | 'insufficient_points';

/** A redemption refused before anything was debited; surfaces turn `code` into their answer. */
export class RedemptionRefused extends Error {
  override readonly name = 'RedemptionRefused';
  constructor(
    readonly code: RefusalCode,
    message: string,
  ) {
    super(message);
  }
}
/** Shopify calls per redemption before giving the points back (each call also retries transport errors itself). */
const ISSUE_ATTEMPTS = 3;
const SETTLE_WAIT_MS = 30_000;

/**
 * The redemption id doubles as the discount code. With a request key it is derived from the key
 * (keyed by the app secret, so not guessable), which makes a repeated request land on the same
 * document; without one it is random.
 */
function redemptionIdFor(ctx: AppContext, request: RedeemRequest, prefix: string): string {
  const bytes = request.requestKey
    ? createHmac('sha256', ctx.config.shopifyApiSecret).update(`${request.shop}|${request.customerId}|${request.requestKey}`).digest()
    : randomBytes(12);
  return discountCode(prefix, bytes);
}

/** The redemption once it left `pending`; null when it was refused (a refused one is deleted). */
async function waitUntilSettled(ctx: AppContext, doc: Redemption): Promise<Redemption | null> {
  const deadline = Date.now() + SETTLE_WAIT_MS;
  let current: Redemption | null = doc;
  while (current?.status === 'pending' && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 50));
    current = await redemptionModel(ctx.connection).findById(doc._id).lean();
  }
  return current;
}

/** Asks Shopify, retrying refusals with backoff; "code taken" means an earlier attempt of ours got through. */
async function issueWithRetries(
  ctx: AppContext,
  doc: Redemption,
  request: Parameters<typeof issueReward>[1],
): Promise<{ outcome: IssueOutcome | null; failure: string; attempts: number }> {
  let failure = '';
  for (let attempt = 1; attempt <= ISSUE_ATTEMPTS; attempt++) {
    try {
      const outcome = await issueReward(adminClientFor(ctx), request);
      if (outcome.issued) return { outcome, failure: '', attempts: attempt };
      if (doc.code && outcome.userErrors.some((error) => error.code === 'TAKEN'))
        return { outcome: { issued: true }, failure: '', attempts: attempt };
      failure = `Shopify refused: ${outcome.userErrors.map((error) => `${error.code ?? 'ERROR'} ${error.message}`).join('; ')}`;
    } catch (error) {
      if (!(error instanceof ShopifyApiError)) throw error;
      failure = error.message;
      if (!error.retryable) return { outcome: null, failure, attempts: attempt };
    }
    if (attempt < ISSUE_ATTEMPTS) await new Promise((resolve) => setTimeout(resolve, 100 * 2 ** attempt + Math.random() * 100));
  }
  ctx.logger.warn({ shop: doc.shop, redemption: doc.redemptionId }, `redemption failed on Shopify: ${failure}`);
  return { outcome: null, failure, attempts: ISSUE_ATTEMPTS };
}

/**
 * Turns points into a reward, exactly once per request key:
 * 1. record the redemption as pending (its id is unique, so a repeated request waits for the first);
 * 2. debit the points with one guarded ledger insert: it lands only if the balance covers it;
 * 3. create the discount or store credit on Shopify, retried with backoff;
 * 4. mark it issued, or give the points back with a compensating entry and mark it refunded.
 * A redemption the balance does not cover is deleted again: refusals are answered, not stored.
 */
export async function redeem(ctx: AppContext, request: RedeemRequest): Promise<RedeemResult> {
  const now = ctx.clock();
  const program = await loadProgram(ctx.connection, request.shop);
  if (!program) throw new RedemptionRefused('unknown_reward', 'This shop has no loyalty program');
  const perks = await ctx.ports.rewardPerks(ctx, program, request.shop, request.customerId, now);
  const quote = quoteRedemption(program, request.rewardId, request.steps, (pointsCost, reward) => pointsCostFor(pointsCost, reward.type, perks));
  if ('refused' in quote) throw new RedemptionRefused(quote.refused, quote.message);

  const isCredit = quote.value.kind === 'store_credit';
  const redemptionId = redemptionIdFor(ctx, request, isCredit ? 'CREDIT' : 'TALLY');
  const doc: Redemption = {
    _id: redemptionDocId(request.shop, redemptionId),
    shop: request.shop,
    customerId: request.customerId,
    redemptionId,
    ...(isCredit ? {} : { code: redemptionId }),
    rewardId: quote.reward.id,
    rewardName: quote.reward.name,
    value: quote.value,
    pointsSpent: quote.pointsCost,
    status: 'pending',
    source: request.source,
    ...(request.staffId ? { staffId: request.staffId } : {}),
    attempts: 0,
    expiresAt: codeExpiresAt(quote.reward, now),
    createdAt: now,
  };
  try {
    await redemptionModel(ctx.connection).create(doc);
  } catch (error) {
    if (!isDuplicateKey(error)) throw error;
    const earlier = await findRedemption(ctx.connection, request.shop, redemptionId);
    if (earlier && earlier.customerId !== request.customerId) throw error;
    const settled = earlier && (await waitUntilSettled(ctx, earlier));
    if (!settled || settled.status === 'rejected') throw new RedemptionRefused('insufficient_points', 'Not enough points for this reward');
    return { redemption: settled, balance: (await balanceOf(ctx.connection, request.shop, request.customerId)).available, replayed: true };
  }

  // In a program group, points the customer holds in the group's other shops come here first.
  await ctx.ports.gatherGroupPoints(
    ctx,
    { shop: request.shop, customerId: request.customerId, points: quote.pointsCost, requestKey: redemptionId },
    now,
  );
  const debit = await applyEntry(
    ctx.connection,
    {
      shop: request.shop,
      customerId: request.customerId,
      key: ledgerKeys.rewardRedeemed(redemptionId),
      type: 'redeem',
      available: -quote.pointsCost,
      pending: 0,
      reason: `redeemed ${quote.reward.name}`,
      source: request.source,
      staffId: request.staffId,
      guard: 'require',
    },
    now,
  );
  if (debit.rejected) {
    // A refusal leaves no trace: stored, a script's refused attempts would crowd out real redemptions.
    await redemptionModel(ctx.connection).deleteOne({ _id: doc._id, status: 'pending' });
    throw new RedemptionRefused('insufficient_points', 'Not enough points for this reward');
  }

  const issued = await issueWithRetries(ctx, doc, {
    shop: request.shop,
    customerId: request.customerId,
    code: doc.code,
    reward: quote.reward,
    value: quote.value,
    currency: program.currency,
    startsAt: now,
    endsAt: doc.expiresAt,
  });
  if (issued.outcome?.issued) {
    const settled = {
      status: 'issued' as const,
      attempts: issued.attempts,
      settledAt: ctx.clock(),
      ...(issued.outcome.discountId ? { discountId: issued.outcome.discountId } : {}),
    };
    await settleRedemption(ctx.connection, doc, settled);
    const balance = await ctx.ports.spendableAcrossGroup(ctx, request.shop, request.customerId, debit.entry?.balance ?? 0);
    return { redemption: { ...doc, ...settled }, balance: balance.available, replayed: false };
  }
  const refund = await returnPoints(
    ctx,
    doc,
    ledgerKeys.rewardNotIssued(redemptionId),
    `points returned: Shopify could not issue ${quote.reward.name}`,
    ctx.clock(),
  );
  const settled = { status: 'refunded' as const, attempts: issued.attempts, failure: issued.failure, settledAt: ctx.clock() };
  await settleRedemption(ctx.connection, doc, settled);
  return { redemption: { ...doc, ...settled }, balance: refund.entry?.balance ?? 0, replayed: false };
}

/** What surfaces show of a redemption. */
export function redemptionView(redemption: Redemption) {
  return {
    id: redemption.redemptionId,
    code: redemption.code ?? null,
    rewardId: redemption.rewardId,
    rewardName: redemption.rewardName,
    value: redemption.value,
    pointsSpent: redemption.pointsSpent,
    status: redemption.status,
    source: redemption.source,
    failure: redemption.failure ?? null,
    orderId: redemption.orderId ?? null,
    expiresAt: redemption.expiresAt,
    createdAt: redemption.createdAt,
  };
}

/** Gives a redemption's points back, once per key; `staffId` names who gave them back. */
export function returnPoints(
  ctx: AppContext,
  redemption: Redemption,
  key: string,
  reason: string,
  now: Date,
  staffId?: string,
): Promise<ApplyResult> {
  return applyEntry(
    ctx.connection,
    {
      shop: redemption.shop,
      customerId: redemption.customerId,
      key,
      type: 'redeem_refund',
      available: redemption.pointsSpent,
      pending: 0,
      reason,
      source: `reward ${redemption.redemptionId}`,
      guard: 'none',
      ...(staffId ? { staffId } : {}),
    },
    now,
  );
}

/**
 * orders/paid lists the codes the order used: each of ours becomes `used`, unless another order
 * used it first. A code that expired first (its window closed while the order was on its way) is
 * used after all: if the merchant returns the points of expired codes, they are taken back. So are
 * the points of a code cancelled at the register that an order used anyway.
 */
export async function markCodesUsed(
  ctx: AppContext,
  shop: string,
  orderId: string,
  codes: Array<{ code: string; amount: number | null }>,
  now: Date,
): Promise<number> {
  let marked = 0;
  for (const { code, amount } of codes) {
    const redemption = await findRedemption(ctx.connection, shop, code);
    if (!redemption?.code || !['issued', 'expired', 'cancelled'].includes(redemption.status)) continue;
    const outcome = await decideOutcome(ctx.connection, redemption, 'used', orderId, now);
    if (outcome.outcome === 'used' && outcome.orderId !== orderId) continue;
    await settleRedemption(ctx.connection, redemption, {
      status: 'used',
      orderId,
      settledAt: now,
      givenAmount: discountGiven(redemption.value, amount),
    });
    marked++;
    if (outcome.outcome === 'cancelled') await takeBackReturnedPoints(ctx, redemption, orderId, now);
    if (outcome.outcome === 'expired' && (await loadProgram(ctx.connection, shop))?.redemption.returnPointsForExpiredCodes) {
      await applyEntry(
        ctx.connection,
        {
          shop,
          customerId: redemption.customerId,
          key: ledgerKeys.rewardUsedAfterExpiry(redemption.redemptionId),
          type: 'redeem',
          available: -redemption.pointsSpent,
          pending: 0,
          reason: `${redemption.code} was used by order ${orderId} after it expired`,
          source: `order ${orderId}`,
          orderId,
          guard: 'none',
        },
        now,
      );
    }
  }
  return marked;
}

/** The order used a code whose points were given back at cancellation: it pays for it after all. */
async function takeBackReturnedPoints(ctx: AppContext, redemption: Redemption, orderId: string, now: Date): Promise<void> {
  await applyEntry(
    ctx.connection,
    {
      shop: redemption.shop,
      customerId: redemption.customerId,
      key: ledgerKeys.rewardUsedAfterCancel(redemption.redemptionId),
      type: 'redeem',
      available: -redemption.pointsSpent,
      pending: 0,
      reason: `${redemption.code} was used by order ${orderId} after it was given back`,
      source: `order ${orderId}`,
      orderId,
      guard: 'none',
    },
    now,
  );
}

/**
 * An order paid with a reward is cancelled or refunded in full: the reward's points come back
 * only when the merchant turned that on (`redemption.returnPointsOnOrderRefund`).
 */
export async function returnRewardsOfOrder(ctx: AppContext, program: Program, shop: string, orderId: string, now: Date): Promise<number> {
  if (!program.redemption.returnPointsOnOrderRefund) return 0;
  let returned = 0;
  for (const redemption of await redemptionModel(ctx.connection).find({ shop, orderId, status: 'used' }).lean()) {
    if (
      (await returnPoints(ctx, redemption, ledgerKeys.rewardReturnedOnRefund(redemption.redemptionId), `order ${orderId} was refunded`, now))
        .appliedNow
    )
      returned += redemption.pointsSpent;
  }
  return returned;
}

/**
 * Codes past their expiry and unused become `expired`, then their points come back if the program
 * says so. The status moves first so that an order using the code at the same moment wins; the
 * points entry has its own key, so a run interrupted between the two is completed by the next one.
 */
export async function expireUnusedCodes(ctx: AppContext, shop: string, now: Date): Promise<number> {
  const program = await loadProgram(ctx.connection, shop);
  if (!program) return 0;
  let expired = 0;
  const recent = new Date(now.getTime() - 7 * 86_400_000);
  for (const redemption of await redemptionModel(ctx.connection)
    .find({ shop, status: { $in: ['issued', 'expired'] }, code: { $exists: true }, expiresAt: { $lte: now, $gte: recent } })
    .lean()) {
    const outcome = await decideOutcome(ctx.connection, redemption, 'expired', null, now);
    if (outcome.outcome !== 'expired') continue;
    if (redemption.status === 'issued') {
      await settleRedemption(ctx.connection, redemption, { status: 'expired', settledAt: now });
      expired++;
    }
    if (program.redemption.returnPointsForExpiredCodes) {
      await returnPoints(ctx, redemption, ledgerKeys.rewardExpiredUnused(redemption.redemptionId), `${redemption.code} expired unused`, now);
    }
  }
  return expired;
}

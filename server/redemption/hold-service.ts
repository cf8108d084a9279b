import { createHmac } from 'node:crypto';
import type { AppContext } from '../platform/context.js';
import { moneyFormatter } from '../platform/money.js';
import { loadProgram, type Program } from '../program/index.js';
import { applyEntry, entryForKey, ledgerKeys } from '../ledger/index.js';
import { adminClientFor } from '../shops/index.js';
import { ShopifyApiError } from '../shopify/admin-graphql.js';
import { METAFIELDS_SET, type MetafieldsSetData } from '../shopify/operations.js';
import { holdTerms, holdsMetafieldValue, quoteHold, type HoldRefusalCode, type HoldTerms } from './holds.js';
import { discountCode } from './quote.js';
import {
  closeHold,
  customersWithRecentHolds,
  decideHold,
  expiredOpenHolds,
  findHold,
  findHoldOutcome,
  holdsSettledBy,
  insertHold,
  openHoldsOf,
  recordHoldRedemption,
  type HoldOutcome,
  type PointsHold,
} from './store.js';

export type HoldRefusal = HoldRefusalCode | 'insufficient_points' | 'request_key_reused' | 'unknown_hold' | 'hold_settled' | 'hold_released';

/** A hold refused with nothing debited; the HTTP layer turns `code` into a status. */
export class HoldRefused extends Error {
  override readonly name = 'HoldRefused';
  constructor(
    readonly code: HoldRefusal,
    message: string,
  ) {
    super(message);
  }
}

export interface HoldRequest {
  shop: string;
  customerId: string;
  points: number;
  /** Chosen by the client per click: the same key places one hold, however often it is sent. */
  requestKey: string;
  /** The cart's subtotal in minor units, when the client knows it. */
  cartSubtotal?: number;
}

export interface HoldResult {
  hold: PointsHold;
  replayed: boolean;
  /** False when the metafield could not be written now; the scheduler job writes it later. */
  published: boolean;
}

/** The customer metafield the Discount Function reads (extensions/tally-discount/README.md). */
const HOLDS_NAMESPACE = '$app:tally';
const HOLDS_KEY = 'holds';
/** Closed holds are republished by the job for this long, so a removal that failed is retried. */
const REPUBLISH_CLOSED_FOR_MS = 2 * 3_600_000;
const PUBLISH_ROUNDS = 3;

/** Derived from the request key with the app secret: a repeated request lands on the same hold, and no one can guess another's. */
function holdIdFor(ctx: AppContext, shop: string, customerId: string, requestKey: string): string {
  return discountCode('HOLD', createHmac('sha256', ctx.config.shopifyApiSecret).update(`hold|${shop}|${customerId}|${requestKey}`).digest());
}

/**
 * The hold terms at this customer's price: a step costs what redeeming the reward through the
 * launcher would (the tier's or membership's discount), so points buy the same money either way.
 * The perks port reads nothing for a program without tiers or membership; a disabled program offers
 * nothing, so its customers' perks are not read at all.
 */
async function termsFor(ctx: AppContext, program: Program, shop: string, customerId: string, now: Date): Promise<HoldTerms | null> {
  if (!program.enabled) return null;
  return holdTerms(program, await ctx.ports.rewardPerks(ctx, program, shop, customerId, now));
}

const checkoutRewardName = (points: number) => `${points} points at checkout`;

async function isReserved(ctx: AppContext, hold: PointsHold): Promise<boolean> {
  return (await entryForKey(ctx.connection, hold.shop, ledgerKeys.holdPlaced(hold.holdId))) !== null;
}

/** Gives a released hold's points back, once, and only if the hold had taken them. */
async function giveBack(ctx: AppContext, hold: PointsHold, reason: string, now: Date): Promise<void> {
  if (!(await isReserved(ctx, hold))) return;
  await applyEntry(
    ctx.connection,
    {
      shop: hold.shop,
      customerId: hold.customerId,
      key: ledgerKeys.holdReleased(hold.holdId),
      type: 'hold_release',
      available: hold.points,
      pending: 0,
      reason,
      source: `hold ${hold.holdId}`,
      guard: 'none',
    },
    now,
  );
}

/**
 * Releases a hold unless an order settled it first: the outcome document decides, then the points
 * come back under their own key, so a run interrupted between the two is completed by the next.
 */
async function releaseHold(ctx: AppContext, hold: PointsHold, reason: string, now: Date): Promise<HoldOutcome> {
  const { outcome } = await decideHold(ctx.connection, {
    shop: hold.shop,
    holdId: hold.holdId,
    customerId: hold.customerId,
    outcome: 'released',
    reason,
    decidedAt: now,
  });
  if (outcome.outcome === 'released') await giveBack(ctx, hold, outcome.reason, now);
  await closeHold(ctx.connection, hold, now);
  return outcome;
}

/** The customer's holds the function may honour: open, unexpired, reserved in the ledger and undecided. */
async function liveHolds(ctx: AppContext, shop: string, customerId: string, now: Date): Promise<PointsHold[]> {
  const open = (await openHoldsOf(ctx.connection, shop, customerId)).filter((hold) => hold.expiresAt > now);
  const live = await Promise.all(
    open.map(async (hold) => (await isReserved(ctx, hold)) && !(await findHoldOutcome(ctx.connection, shop, hold.holdId))),
  );
  return open.filter((_, index) => live[index]);
}

class HoldsNotPublished extends Error {
  override readonly name = 'HoldsNotPublished';
}

/**
 * Writes the customer's live holds to the metafield. Writers racing for one customer may land in
 * any order, so each one reads the holds again after its write and writes again if they changed:
 * the last write to land is always followed by a check of the holds as they stand.
 */
export async function publishCustomerHolds(ctx: AppContext, shop: string, customerId: string, now: Date): Promise<boolean> {
  try {
    const pointsName = (await loadProgram(ctx.connection, shop))?.pointsName;
    let value = holdsMetafieldValue(await liveHolds(ctx, shop, customerId, now), pointsName);
    for (let round = 0; round < PUBLISH_ROUNDS; round++) {
      const data = await adminClientFor(ctx)<MetafieldsSetData>(shop, METAFIELDS_SET, {
        metafields: [{ ownerId: `gid://shopify/Customer/${customerId}`, namespace: HOLDS_NAMESPACE, key: HOLDS_KEY, type: 'json', value }],
      });
      const errors = data.metafieldsSet.userErrors;
      if (errors.length > 0) throw new HoldsNotPublished(`metafieldsSet refused: ${errors.map((error) => error.message).join('; ')}`);
      const current = holdsMetafieldValue(await liveHolds(ctx, shop, customerId, ctx.clock()), pointsName);
      if (current === value) return true;
      value = current;
    }
    return false;
  } catch (error) {
    if (!(error instanceof ShopifyApiError) && !(error instanceof HoldsNotPublished)) throw error;
    ctx.logger.warn({ shop, customerId, err: error }, 'could not publish points holds to the customer metafield; the holds job retries');
    return false;
  }
}

/**
 * Reserves points for this customer's checkout, exactly once per request key: the hold document
 * first (its id derives from the key), then one ledger entry `hold:<id>` guarded on the balance,
 * so holds racing for one customer never reserve more than it; then the metafield.
 */
export async function createHold(ctx: AppContext, request: HoldRequest): Promise<HoldResult> {
  const now = ctx.clock();
  const { shop, customerId } = request;
  const program = await loadProgram(ctx.connection, shop);
  if (!program) throw new HoldRefused('not_offered', 'Points cannot be used at checkout in this shop');
  // Expired holds of this customer give their points back first, so they do not stand in the way.
  for (const hold of await openHoldsOf(ctx.connection, shop, customerId)) {
    if (hold.expiresAt <= now) await releaseHold(ctx, hold, 'expired unused', now);
  }

  const holdId = holdIdFor(ctx, shop, customerId, request.requestKey);
  let hold = await findHold(ctx.connection, shop, holdId);
  const replayed = hold !== null;
  if (!hold) {
    const terms = await termsFor(ctx, program, shop, customerId, now);
    const quote = quoteHold(terms, request, moneyFormatter(program.currency), now);
    if ('refused' in quote) throw new HoldRefused(quote.refused, quote.message);
    hold = await insertHold(ctx.connection, {
      shop,
      customerId,
      holdId,
      points: quote.points,
      amount: quote.amount,
      currency: quote.currency,
      rewardId: quote.rewardId,
      expiresAt: quote.expiresAt,
      createdAt: now,
      open: true,
    });
  }
  if (hold.points !== request.points)
    throw new HoldRefused('request_key_reused', 'This request key already placed a hold for a different number of points');

  const decided = await findHoldOutcome(ctx.connection, shop, holdId);
  if (decided?.outcome === 'settled') throw new HoldRefused('hold_settled', 'This hold was already used by an order');
  if (!decided) {
    await ctx.ports.gatherGroupPoints(ctx, { shop, customerId, points: hold.points, requestKey: holdId }, now);
    const placed = await applyEntry(
      ctx.connection,
      {
        shop,
        customerId,
        key: ledgerKeys.holdPlaced(holdId),
        type: 'hold',
        available: -hold.points,
        pending: 0,
        reason: `${hold.points} points held for checkout`,
        source: `hold ${holdId}`,
        guard: 'require',
      },
      now,
    );
    if (placed.rejected) {
      await releaseHold(ctx, hold, 'not enough points', now);
      throw new HoldRefused('insufficient_points', 'Not enough points for this hold');
    }
  }
  // A release may have been decided while the entry was being written: it then gives the points back here.
  const outcome = await findHoldOutcome(ctx.connection, shop, holdId);
  if (outcome?.outcome === 'released') {
    await releaseHold(ctx, hold, outcome.reason, now);
    if (outcome.reason === 'not enough points') throw new HoldRefused('insufficient_points', 'Not enough points for this hold');
    throw new HoldRefused('hold_released', `This hold was released (${outcome.reason}); choose the points again`);
  }
  const published = await publishCustomerHolds(ctx, shop, customerId, now);
  return { hold, replayed, published };
}

/** The shopper takes the points back before checkout (a new slider position, or none). */
export async function cancelHold(ctx: AppContext, request: { shop: string; customerId: string; holdId: string }): Promise<void> {
  const now = ctx.clock();
  const hold = await findHold(ctx.connection, request.shop, request.holdId);
  if (!hold || hold.customerId !== request.customerId) throw new HoldRefused('unknown_hold', 'There is no such hold');
  const outcome = await releaseHold(ctx, hold, 'cancelled by the shopper', now);
  if (outcome.outcome === 'settled') throw new HoldRefused('hold_settled', 'This hold was already used by an order');
  await publishCustomerHolds(ctx, request.shop, request.customerId, now);
}

/** What the slider offers this customer: the rate at their price per step; the balance is read separately. */
export async function checkoutTerms(ctx: AppContext, shop: string, customerId: string): Promise<HoldTerms | null> {
  const program = await loadProgram(ctx.connection, shop);
  return program ? termsFor(ctx, program, shop, customerId, ctx.clock()) : null;
}

export async function customerLiveHolds(ctx: AppContext, shop: string, customerId: string): Promise<PointsHold[]> {
  return liveHolds(ctx, shop, customerId, ctx.clock());
}

/**
 * Scheduler job: holds past their expiry give their points back (unless an order settled them
 * first) and leave the metafield; every customer with a hold open or recently closed is
 * republished, which retries any write that failed. Idempotent.
 */
export async function releaseExpiredHolds(ctx: AppContext, shop: string, now: Date): Promise<{ released: number; published: number }> {
  let released = 0;
  for (const hold of await expiredOpenHolds(ctx.connection, shop, now)) {
    const before = await findHoldOutcome(ctx.connection, shop, hold.holdId);
    const outcome = await releaseHold(ctx, hold, 'expired unused', now);
    if (!before && outcome.outcome === 'released') released++;
  }
  let published = 0;
  for (const customerId of await customersWithRecentHolds(ctx.connection, shop, new Date(now.getTime() - REPUBLISH_CLOSED_FOR_MS))) {
    if (await publishCustomerHolds(ctx, shop, customerId, now)) published++;
  }
  return { released, published };
}

export interface SettleRequest {
  shop: string;
  orderId: string;
  customerId: string;
  /** The `_tally_hold` value of the order's `note_attributes`. */
  holdId: string;
  now: Date;
}

/**
 * orders/paid carried `_tally_hold`: the hold becomes the order's debit, once. The outcome
 * document decides between this and release at expiry; a settled hold stays a debit in the
 * ledger and is recorded as a redemption used on the order. A hold that is unknown, another
 * customer's, never reserved, already released or used by another order settles nothing.
 * Idempotent: a redelivered orders/paid answers the same.
 */
export async function settleHoldForOrder(ctx: AppContext, request: SettleRequest): Promise<{ settled: boolean; points: number; reason?: string }> {
  const { shop, orderId, customerId, holdId, now } = request;
  const hold = await findHold(ctx.connection, shop, holdId);
  if (!hold) return { settled: false, points: 0, reason: `no hold ${holdId} in this shop` };
  if (hold.customerId !== customerId) return { settled: false, points: 0, reason: `hold ${holdId} belongs to another customer` };
  if (!(await isReserved(ctx, hold))) return { settled: false, points: 0, reason: `hold ${holdId} never reserved points` };
  const { outcome } = await decideHold(ctx.connection, {
    shop,
    holdId,
    customerId,
    outcome: 'settled',
    orderId,
    reason: `used by order ${orderId}`,
    decidedAt: now,
  });
  if (outcome.outcome === 'released') {
    await giveBack(ctx, hold, outcome.reason, now);
    return {
      settled: false,
      points: 0,
      reason: `hold ${holdId} was released (${outcome.reason}) before order ${orderId} was paid; its points were returned`,
    };
  }
  if (outcome.orderId !== orderId) return { settled: false, points: 0, reason: `hold ${holdId} was already used by order ${outcome.orderId}` };
  await recordHoldRedemption(ctx.connection, hold, checkoutRewardName(hold.points), orderId, now);
  await closeHold(ctx.connection, hold, now);
  await publishCustomerHolds(ctx, shop, customerId, now);
  return { settled: true, points: hold.points };
}

/**
 * The order a hold paid for was refunded in full or cancelled: its points come back when the
 * merchant returns redeemed points (`redemption.returnPointsOnOrderRefund`). The key is the one
 * `returnRewardsOfOrder` uses for the same redemption, so calling both returns the points once.
 */
export async function returnHeldPointsForOrder(
  ctx: AppContext,
  request: { shop: string; orderId: string; now: Date },
): Promise<{ returned: number }> {
  const program = await loadProgram(ctx.connection, request.shop);
  if (!program?.redemption.returnPointsOnOrderRefund) return { returned: 0 };
  let returned = 0;
  for (const settled of await holdsSettledBy(ctx.connection, request.shop, request.orderId)) {
    const hold = await findHold(ctx.connection, request.shop, settled.holdId);
    if (!hold) continue;
    const result = await applyEntry(
      ctx.connection,
      {
        shop: hold.shop,
        customerId: hold.customerId,
        key: ledgerKeys.rewardReturnedOnRefund(hold.holdId),
        type: 'redeem_refund',
        available: hold.points,
        pending: 0,
        reason: `order ${request.orderId} was refunded`,
        source: `hold ${hold.holdId}`,
        orderId: request.orderId,
        guard: 'none',
      },
      request.now,
    );
    if (result.appliedNow) returned += hold.points;
  }
  return { returned };
}

/** What the shopper's surfaces see of a hold; `amount` in minor units of `currency`, as every money field of the API. */
export function holdView(hold: PointsHold) {
  return { holdId: hold.holdId, points: hold.points, amount: hold.amount, currency: hold.currency, expiresAt: hold.expiresAt.toISOString() };
}

/** Points this customer's holds paid on an order (the thank-you page shows them). */
export async function pointsSpentOnOrder(ctx: AppContext, shop: string, orderId: string, customerId: string): Promise<number> {
  const settled = await holdsSettledBy(ctx.connection, shop, orderId);
  const holds = await Promise.all(
    settled.filter((outcome) => outcome.customerId === customerId).map((outcome) => findHold(ctx.connection, shop, outcome.holdId)),
  );
  return holds.reduce((sum, hold) => sum + (hold?.points ?? 0), 0);
}

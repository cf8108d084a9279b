import { applyEntry, earningHistoryOf, ledgerKeys, newestEntry, orderEntries, type EntryDraft, type LedgerEntry } from '../ledger/index.js';
import type { AppContext } from '../platform/context.js';
import { currencyDecimals, InvalidAmount, parseAmount } from '../platform/money.js';
import type { Program } from '../program/index.js';
import { issueCashBack } from './cash-back.js';
import type { OrderCredited, OrderReversed, UsedCode } from './events.js';
import { paidTotal, presentmentOf, refundedEligible, refundFacts, type OrderPayload, type RefundFacts } from './order-payload.js';
import { adjustForOrderUpdate, reverseForCancellation, reverseForRefund } from './reversal.js';
import { earnForOrder, eligibleAmount, pointsForAmount, type OrderFacts } from './rules.js';
import {
  findOrderPoints,
  heldReversalsOf,
  holdReversal,
  markReversalsHeld,
  orderPointsId,
  recordOrderOnce,
  recordRefundOnce,
  type HeldReversal,
  type OrderPoints,
} from './store.js';

const DAY_MS = 86_400_000;

/** The order's discount codes with their amounts in shop money; an amount that does not parse is unknown. */
function usedCodes(order: OrderPayload, currency: string): UsedCode[] {
  return order.discount_codes.map((discount) => {
    let amount: number | null = null;
    try {
      amount = discount.amount ? parseAmount(discount.amount, currency).amount : null;
    } catch (error) {
      if (!(error instanceof InvalidAmount)) throw error;
    }
    return { code: discount.code, amount };
  });
}

/** What the rest of the app adds to an order's earning: product details, tags, rewards used, the tier held. */
export interface OrderCollaborators {
  withProductDetails(facts: OrderFacts): Promise<OrderFacts>;
  customerTags(customerId: string): Promise<string[]>;
  /** Reward codes the order used, with the discount each gave (minor units, null when the payload does not say); returns how many were ours. */
  markCodesUsed(codes: UsedCode[]): Promise<number>;
  /** The tier and membership multiplier the customer holds now (1, with no database call, without tiers). */
  tierMultiplier(customerId: string): Promise<number>;
}

/** Where an order's points stand, read from its ledger entries (the source of truth). */
interface OrderState {
  /** Points the order earned, edits included. */
  earned: number;
  /** Points taken back by refunds and cancellation. */
  reversed: number;
  /** Points a stop-at-zero reversal could not take (already spent). */
  shortfall: number;
  released: boolean;
  eligible: number;
  keys: Set<string>;
}

function orderState(record: OrderPoints, entries: LedgerEntry[]): OrderState {
  const sum = (types: string[]) =>
    entries.filter((entry) => types.includes(entry.type)).reduce((total, entry) => total + entry.available + entry.pending, 0);
  const edits = entries.filter((entry) => entry.type === 'order_edit').sort((a, b) => a.seq - b.seq);
  return {
    earned: sum(['earn', 'order_edit']),
    reversed: -sum(['reverse']),
    shortfall: entries.filter((entry) => entry.type === 'reverse').reduce((total, entry) => total + entry.shortfall, 0),
    released: entries.some((entry) => entry.type === 'release'),
    eligible: edits.at(-1)?.eligible ?? record.eligible,
    keys: new Set(entries.map((entry) => entry.key)),
  };
}

/** Thrown while an order's credit is half written (recorded, entry not yet in): the inbox retries. */
export class OrderCreditInProgress extends Error {
  override readonly name = 'OrderCreditInProgress';
}

/** Waits between reads of an order whose credit another worker is writing: about 1.5 s in all. */
const CREDIT_IN_PROGRESS_WAITS_MS = [25, 50, 100, 200, 400, 800];

async function stateOf(ctx: AppContext, record: OrderPoints): Promise<OrderState> {
  const credited = (state: OrderState) => record.earned === 0 || state.keys.has(ledgerKeys.orderEarned(record.orderId));
  let state = orderState(record, await orderEntries(ctx.connection, record.shop, record.orderId));
  // The order is recorded but its credit is not written yet: reversing now would reverse nothing.
  // Another worker is usually one write away from it, so wait a little before handing the
  // delivery back to the inbox's backoff (which is also where a crash in between ends up).
  for (const waitMs of CREDIT_IN_PROGRESS_WAITS_MS) {
    if (credited(state)) return state;
    await new Promise((resolve) => setTimeout(resolve, waitMs));
    state = orderState(record, await orderEntries(ctx.connection, record.shop, record.orderId));
  }
  if (!credited(state)) throw new OrderCreditInProgress(`order ${record.orderId} is being credited`);
  return state;
}

function isPending(record: OrderPoints, state: OrderState, now: Date): boolean {
  return !state.released && record.pendingUntil !== null && record.pendingUntil > now;
}

function draft(
  record: OrderPoints,
  key: string,
  type: EntryDraft['type'],
  points: number,
  pending: boolean,
  reason: string,
  guard: EntryDraft['guard'],
): EntryDraft {
  return {
    shop: record.shop,
    customerId: record.customerId,
    key,
    type,
    available: pending ? 0 : points,
    pending: pending ? points : 0,
    reason,
    source: `order ${record.orderId}`,
    orderId: record.orderId,
    ...(record.orderName ? { orderName: record.orderName } : {}),
    guard,
  };
}

/** Takes back `points` of an order: from pending while they are pending, else from available under the program's policy. */
async function reverse(
  ctx: AppContext,
  program: Program,
  record: OrderPoints,
  state: OrderState,
  key: string,
  points: number,
  reason: string,
  now: Date,
): Promise<number> {
  if (points <= 0 || state.keys.has(key)) return 0;
  const pending = isPending(record, state, now);
  const guard = pending || program.negativeBalance === 'allow' ? 'none' : 'clamp';
  const result = await applyEntry(ctx.connection, draft(record, key, 'reverse', -points, pending, reason, guard), now);
  return result.appliedNow ? points : 0;
}

async function applyRefund(
  ctx: AppContext,
  program: Program,
  record: OrderPoints,
  refundId: string,
  refund: RefundFacts,
  now: Date,
): Promise<number> {
  const state = await stateOf(ctx, record);
  const key = ledgerKeys.refundReversed(refundId);
  const refunded = refundedEligible(refund, state.eligible, record.paidTotal);
  await recordRefundOnce(ctx.connection, {
    shop: record.shop,
    orderId: record.orderId,
    refundId,
    customerId: record.customerId,
    member: record.earned > 0,
    amount: Math.min(refunded, state.eligible),
    refundedAt: now,
  });
  const points = reverseForRefund(state.earned, state.eligible, refunded, state.reversed);
  const reversed = await reverse(ctx, program, record, state, key, points, `refund ${refundId}`, now);
  // A refund that takes back the rest of the order's points refunds the order in full.
  const full = state.earned > 0 && state.reversed + reversed + state.shortfall >= state.earned;
  await publishReversal(ctx, program, record, { key, points: reversed, spend: Math.min(refunded, state.eligible), endsOrder: full }, now);
  return reversed;
}

async function applyCancellation(ctx: AppContext, program: Program, record: OrderPoints, now: Date): Promise<number> {
  const state = await stateOf(ctx, record);
  const key = ledgerKeys.orderCancelled(record.orderId);
  const reversed = await reverse(ctx, program, record, state, key, reverseForCancellation(state.earned, state.reversed), 'order cancelled', now);
  await publishReversal(ctx, program, record, { key, points: reversed, spend: state.eligible, endsOrder: true }, now);
  return reversed;
}

/** Tells the subscribers (rewards given back when the order ends, tiers, referrals) what a reversal took back. */
async function publishReversal(
  ctx: AppContext,
  program: Program,
  record: OrderPoints,
  reversal: Pick<OrderReversed, 'key' | 'points' | 'spend' | 'endsOrder'>,
  now: Date,
): Promise<void> {
  await ctx.events.publish<OrderReversed>(ctx, { type: 'OrderReversed', shop: record.shop, program, record, ...reversal }, now);
}

export interface CreditOutcome {
  record: OrderPoints;
  rewardsUsed: number;
}

/**
 * orders/paid: fixes the order's worth once (the first record wins), credits it under its key,
 * applies the refunds and cancellation that arrived before it, and pays cash back once.
 */
export async function creditPaidOrder(
  ctx: AppContext,
  program: Program,
  shop: string,
  order: OrderPayload,
  facts: OrderFacts & { customerId: string },
  with_: OrderCollaborators,
  now: Date,
): Promise<CreditOutcome> {
  const rewardsUsed = order.discount_codes.length > 0 ? await with_.markCodesUsed(usedCodes(order, facts.currency)) : 0;
  // No lookup first: the common delivery is the first, and the record's unique insert settles
  // duplicates (a retry computes again and reads the record the first delivery wrote).
  const newest = await newestEntry(ctx.connection, shop, facts.customerId);
  const history = earningHistoryOf(newest, now);
  const needsTags = program.earning.excludedCustomerTags.length > 0;
  const earning = earnForOrder(
    program,
    await with_.withProductDetails(facts),
    {
      customerTags: needsTags ? await with_.customerTags(facts.customerId) : [],
      paidOrdersBefore: history.paidOrders,
      earnedToday: history.earnedToday,
      tierMultiplier: await with_.tierMultiplier(facts.customerId),
    },
    currencyDecimals(facts.currency),
    now,
  );
  const candidate: OrderPoints = {
    _id: orderPointsId(shop, facts.orderId),
    shop,
    orderId: facts.orderId,
    ...(order.name ? { orderName: order.name } : {}),
    customerId: facts.customerId,
    eligible: earning.eligible,
    paidTotal: paidTotal(order, facts.currency),
    taxesIncluded: order.taxes_included,
    earned: earning.points,
    cashBack: earning.cashBack?.amount ?? 0,
    currency: facts.currency,
    presentment: presentmentOf(order),
    notes: earning.notes,
    lineVariantIds: facts.lines.map((line) => line.variantId).filter((id): id is string => typeof id === 'string'),
    pendingUntil: program.pendingDays > 0 ? new Date(now.getTime() + program.pendingDays * DAY_MS) : null,
    creditedAt: now,
  };
  const { record, mayHaveHeldReversals } = await recordOrderOnce(ctx.connection, candidate);
  let paidOrders: number | null = null;
  if (record.earned > 0) {
    const pending = record.pendingUntil !== null && record.pendingUntil > now;
    const reason = record.notes.join('; ') || 'order paid';
    const credited = await applyEntry(
      ctx.connection,
      draft(record, ledgerKeys.orderEarned(record.orderId), 'earn', record.earned, pending, reason, 'none'),
      now,
      record === candidate ? newest : undefined,
    );
    paidOrders = credited.entry?.paidOrders ?? null;
  }
  for (const held of mayHaveHeldReversals ? await heldReversalsOf(ctx.connection, shop, record.orderId) : []) {
    if (held.refundId === null || held.refund === null) await applyCancellation(ctx, program, record, now);
    else await applyRefund(ctx, program, record, held.refundId, held.refund, now);
  }
  await ctx.events.publish<OrderCredited>(
    ctx,
    {
      type: 'OrderCredited',
      shop,
      program,
      record,
      paidOrders,
      noteAttributes: order.note_attributes,
      discountCodes: order.discount_codes.map((discount) => discount.code),
    },
    now,
  );
  if (record.cashBack > 0) await issueCashBack(ctx, record, now);
  return { record, rewardsUsed };
}

/**
 * The order's record, or null after holding the reversal for it: a refund or cancellation that
 * arrives before the payment waits for orders/paid, which applies what was held. The record is read
 * again after holding, since the order may have been credited in between.
 */
async function recordOrHold(ctx: AppContext, held: HeldReversal): Promise<OrderPoints | null> {
  const record = await findOrderPoints(ctx.connection, held.shop, held.orderId);
  if (record) return record;
  await holdReversal(ctx.connection, held);
  await markReversalsHeld(ctx.connection, held.shop, held.orderId);
  return findOrderPoints(ctx.connection, held.shop, held.orderId);
}

/** refunds/create: reverses in proportion to the refunded share; held until the order is credited. */
export async function reverseRefund(
  ctx: AppContext,
  program: Program,
  shop: string,
  orderId: string,
  refundId: string,
  refund: RefundFacts,
  now: Date,
): Promise<number | 'held'> {
  const record = await recordOrHold(ctx, { shop, orderId, key: ledgerKeys.refundReversed(refundId), refundId, refund, receivedAt: now });
  return record ? applyRefund(ctx, program, record, refundId, refund, now) : 'held';
}

/** orders/cancelled: reverses what is left of the order's points; held until the order is credited. */
export async function reverseCancellation(ctx: AppContext, program: Program, shop: string, orderId: string, now: Date): Promise<number | 'held'> {
  const record = await recordOrHold(ctx, { shop, orderId, key: ledgerKeys.orderCancelled(orderId), refundId: null, refund: null, receivedAt: now });
  return record ? applyCancellation(ctx, program, record, now) : 'held';
}

export type EditOutcome = { applied: true; delta: number } | { applied: false; reason: string };

/**
 * orders/updated: an edit that changes the eligible amount (refunds aside, which refunds/create
 * handles) adjusts the order's base points by the difference. Each Shopify update is its own key.
 */
export async function adjustForEdit(
  ctx: AppContext,
  program: Program,
  shop: string,
  order: OrderPayload,
  facts: OrderFacts,
  version: string,
  now: Date,
): Promise<EditOutcome> {
  const record = await findOrderPoints(ctx.connection, shop, facts.orderId);
  if (order.cancelled_at) return { applied: false, reason: 'the order is cancelled' };
  if (!record) return { applied: false, reason: facts.customerId === null ? 'a guest order' : 'its points are credited when it is paid' };
  const state = await stateOf(ctx, record);
  if (state.keys.has(ledgerKeys.orderCancelled(facts.orderId))) return { applied: false, reason: 'the order is cancelled' };
  // The current subtotal no longer counts refunded lines; add them back to see what the edit changed.
  const refunded = order.refunds.reduce((sum, refund) => {
    const lines = refundFacts(refund, facts.currency, order.taxes_included);
    return sum + (lines.kind === 'lines' ? lines.refunded : 0);
  }, 0);
  const eligibleNow = eligibleAmount(facts) + refunded;
  if (eligibleNow === state.eligible) return { applied: false, reason: 'the amount that earns points is the same' };
  const decimals = currencyDecimals(facts.currency);
  const delta = adjustForOrderUpdate(program, pointsForAmount(program, state.eligible, decimals), eligibleNow, decimals);
  const pending = isPending(record, state, now);
  const guard = delta < 0 && !pending && program.negativeBalance === 'stop_at_zero' ? 'clamp' : 'none';
  await applyEntry(
    ctx.connection,
    {
      ...draft(
        record,
        ledgerKeys.orderEdited(facts.orderId, version),
        'order_edit',
        delta,
        pending,
        `order edited: eligible ${state.eligible} → ${eligibleNow}`,
        guard,
      ),
      eligible: eligibleNow,
    },
    now,
  );
  return { applied: true, delta };
}

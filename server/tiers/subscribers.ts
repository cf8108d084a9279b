import { orderRecordsSince, type OrderReversed } from '../earning/index.js';
import type { AppContext } from '../platform/context.js';
import type { BatchSubscriber, BlockingSubscriber } from '../platform/events.js';
import { loadProgram, type Program } from '../program/index.js';
import { combineMultipliers, hasTiersOrMembership, tierSettingsOf } from './rules.js';
import { evaluateCustomers, paidOrderEvent, recordQualifyingReversal } from './service.js';
import { moveTierCursor, readTierCursor, recordEventsOnce, recordedEventKeys } from './store.js';
import { standingOf } from './view.js';

/** A writer stamps an order record with the time its delivery started: each batch looks this far behind its cursor. */
const OVERLAP_MS = 5 * 60_000;
const PAGE = 1000;

/**
 * The multiplier of an order paid at `now`, from the standing the tiers last recorded (one read by
 * _id while it holds; the customer's events replayed when there is none yet, it ran out, or it was
 * computed under another program version). Orders are counted for tiers in batches (countOrdersForTiers), so an order that
 * crosses a threshold raises the multiplier from the first order after its batch: the docs and the
 * admin say so. A program without tiers or membership answers 1 without a database call.
 */
export async function tierMultiplierHeld(
  ctx: AppContext,
  input: { shop: string; customerId: string; program: Program; orderId: string; now: Date },
): Promise<number> {
  const settings = tierSettingsOf(input.program);
  if (!hasTiersOrMembership(settings)) return 1;
  const standing = await standingOf(ctx, input.program, settings, input.shop, input.customerId, input.now);
  const tier = settings.tiers.find((candidate) => candidate.id === standing.tierId);
  const member = settings.membership.enabled && standing.membershipUntil !== null && standing.membershipUntil > input.now;
  return combineMultipliers(tier?.earnMultiplier ?? 1, member ? settings.membership.earnMultiplier : 1, settings.membership.combine);
}

/**
 * Counts the shop's credited orders for tiers, in one batch: the order records credited since the
 * cursor (less the overlap, or since `since`, the earliest order that nudged this batch), each
 * recorded once as a qualifying event, then each customer re-evaluated once as of their newest
 * order. Idempotent: a record already counted is passed over.
 */
export async function countOrdersForTiers(ctx: AppContext, shop: string, since: Date | null, now: Date): Promise<number> {
  const program = await loadProgram(ctx.connection, shop);
  if (!program || !hasTiersOrMembership(tierSettingsOf(program))) return 0;
  const cursor = await readTierCursor(ctx.connection, shop);
  const starts = [cursor ? new Date(cursor.getTime() - OVERLAP_MS) : null, since].filter((at): at is Date => at !== null);
  let from = starts.length > 0 ? new Date(Math.min(...starts.map((at) => at.getTime()))) : new Date(now.getTime() - OVERLAP_MS);
  let counted = 0;
  let newest = cursor;
  for (;;) {
    const records = await orderRecordsSince(ctx.connection, shop, from, PAGE);
    const known = await recordedEventKeys(
      ctx.connection,
      shop,
      records.map((record) => `order:${record.orderId}`),
    );
    const lastOrderOf = new Map<string, { customerId: string; at: Date; reason: string }>();
    const fresh = [];
    for (const record of records) {
      if (!newest || record.creditedAt > newest) newest = record.creditedAt;
      if (known.has(`order:${record.orderId}`)) continue;
      const event = paidOrderEvent(program, {
        shop,
        customerId: record.customerId,
        orderId: record.orderId,
        points: record.earned,
        spend: record.eligible,
        lineVariantIds: record.lineVariantIds ?? [],
        paidAt: record.creditedAt,
      });
      fresh.push({ ...event, recordedAt: now });
      const last = lastOrderOf.get(record.customerId);
      if (!last || record.creditedAt >= last.at)
        lastOrderOf.set(record.customerId, { customerId: record.customerId, at: record.creditedAt, reason: `order ${record.orderId}` });
    }
    counted += await recordEventsOnce(ctx.connection, fresh);
    await evaluateCustomers(ctx, program, shop, [...lastOrderOf.values()]);
    if (records.length < PAGE) break;
    const lastAt = records[records.length - 1]!.creditedAt;
    // A page of one instant cannot move on by time: take the rest of that instant by a longer page next time.
    if (lastAt.getTime() === from.getTime()) break;
    from = lastAt;
  }
  if (newest && (!cursor || newest > cursor)) await moveTierCursor(ctx.connection, shop, newest);
  return counted;
}

/** Tiers count credited orders in batches after the order path (one batch per shop per second, and the hourly catch-up). */
export const tiersCountOrders: BatchSubscriber = {
  name: 'tiers',
  after: ['OrderCredited'],
  run: (ctx, shop, since, now) => countOrdersForTiers(ctx, shop, since, now),
};

/** A refund or cancellation counts at once (blocking): it is rarer than an order, and it may take a tier away. */
export const tiersCountReversal: BlockingSubscriber<OrderReversed> = async (ctx, event, now) => {
  await recordQualifyingReversal(ctx, {
    shop: event.shop,
    customerId: event.record.customerId,
    orderId: event.record.orderId,
    reversalKey: event.key,
    points: event.points,
    spend: event.spend,
    orders: event.endsOrder ? 1 : 0,
    lineVariantIds: [],
    reversedAt: now,
    program: event.program,
  });
};

import type { OrderReversed, UsedCode } from '../earning/index.js';
import type { AppContext } from '../platform/context.js';
import type { BlockingSubscriber } from '../platform/events.js';
import { returnHeldPointsForOrder, settleHoldForOrder } from './hold-service.js';
import { holdIdFromNoteAttributes } from './holds.js';
import { markCodesUsed, returnRewardsOfOrder } from './service.js';

/** orders/paid naming a checkout hold (its `_tally_hold` attribute): the held points are spent on it; null when it names none. */
export async function settleOrderHold(
  ctx: AppContext,
  input: { shop: string; orderId: string; customerId: string; noteAttributes: Array<{ name: string; value?: string | null }>; now: Date },
): Promise<{ settled: boolean; points: number; reason?: string } | null> {
  const holdId = holdIdFromNoteAttributes(input.noteAttributes);
  return holdId ? settleHoldForOrder(ctx, { shop: input.shop, orderId: input.orderId, customerId: input.customerId, holdId, now: input.now }) : null;
}

/** The reward codes an order used are marked used; returns how many were ours. */
export function markOrderCodesUsed(ctx: AppContext, input: { shop: string; orderId: string; codes: UsedCode[]; now: Date }): Promise<number> {
  return markCodesUsed(ctx, input.shop, input.orderId, input.codes, input.now);
}

/** A fully refunded or cancelled order gives back its rewards' and its checkout hold's points (when the merchant says so). */
export const returnPointsWhenOrderEnds: BlockingSubscriber<OrderReversed> = async (ctx, event, now) => {
  if (!event.endsOrder) return;
  await returnRewardsOfOrder(ctx, event.program, event.shop, event.record.orderId, now);
  await returnHeldPointsForOrder(ctx, { shop: event.shop, orderId: event.record.orderId, now });
};

import type { OrderCredited, OrderReversed } from '../earning/index.js';
import type { BlockingSubscriber } from '../platform/events.js';
import { referralOrderPaid, referralOrderReversed } from './service.js';

/** A paid order carrying a referral code becomes the friend's conversion (no database call without one). */
export const referralForOrder: BlockingSubscriber<OrderCredited> = async (ctx, event, now) => {
  await referralOrderPaid(
    ctx,
    event.program,
    {
      shop: event.shop,
      orderId: event.record.orderId,
      customerId: event.record.customerId,
      noteAttributes: event.noteAttributes,
      discountCodes: event.discountCodes,
      paidAt: now,
    },
    now,
  );
};

/** The friend's order refunded in full or cancelled: the referral is refused or reversed. */
export const referralForReversal: BlockingSubscriber<OrderReversed> = async (ctx, event, now) => {
  if (event.endsOrder) await referralOrderReversed(ctx, event.program, { shop: event.shop, orderId: event.record.orderId }, now);
};

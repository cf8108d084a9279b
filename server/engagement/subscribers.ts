import type { OrderCredited } from '../earning/index.js';
import type { BlockingSubscriber } from '../platform/events.js';
import { recordPaidOrder } from './badges.js';

/** A credited order that earned uses the member's open offers and counts for badges and challenges (blocking: badges pay points). */
export const awardsForOrder: BlockingSubscriber<OrderCredited> = async (ctx, event, now) => {
  if (event.paidOrders === null) return;
  await recordPaidOrder(
    ctx,
    event.program,
    {
      shop: event.shop,
      customerId: event.record.customerId,
      orderId: event.record.orderId,
      paidAt: event.record.creditedAt,
      paidOrders: event.paidOrders,
    },
    now,
  );
};

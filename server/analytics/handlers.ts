import { eligibleAmount, notEarningReason, orderFacts, parseOrder } from '../earning/index.js';
import type { TopicHandler } from '../platform/topic-handlers.js';
import { loadProgram } from '../program/index.js';
import { recordPaidOrder } from './service.js';

/**
 * orders/paid of a guest: no points, but the order is part of the non-member revenue analytics
 * compares against. Customers' orders are read from earning's order records instead.
 */
export const recordGuestOrder: TopicHandler = async (delivery, ctx, now) => {
  const order = parseOrder(delivery.payload, 'orders/paid');
  const facts = orderFacts(order);
  if (facts.customerId !== null) return { status: 'skipped', reason: 'a customer order (analytics reads its order record)' };
  const program = await loadProgram(ctx.connection, delivery.shop);
  if (!program || notEarningReason(order, program.earning.testOrders)) return { status: 'skipped', reason: 'not an order that counts in analytics' };
  await recordPaidOrder(ctx, {
    shop: delivery.shop,
    orderId: facts.orderId,
    customerId: null,
    amount: eligibleAmount(facts),
    currency: facts.currency,
    paidAt: now,
  });
  return { status: 'processed', detail: 'counted in analytics' };
};

import { z } from 'zod';
import type { TopicHandler } from '../platform/topic-handlers.js';
import { loadProgram } from '../program/index.js';
import { forgetGuestSale, keepGuestSale } from './store.js';

const numericId = z.union([z.number().int().nonnegative(), z.string().regex(/^\d{1,20}$/)]).transform((id) => String(id));
const guestSale = z.object({
  id: numericId,
  name: z.string().max(100).nullish(),
  source_name: z.string().nullish(),
  test: z.boolean().default(false),
  customer: z.object({ id: numericId }).nullish(),
  processed_at: z.string().nullish(),
  created_at: z.string().nullish(),
  current_subtotal_price_set: z.object({
    shop_money: z.object({ amount: z.union([z.string(), z.number()]).transform(String), currency_code: z.string() }),
  }),
});

/**
 * orders/paid of a sale at the register without a customer: kept, so staff can attach it to a
 * customer within the program's window (earning skips guest orders). Test sales are kept only
 * when the program counts test orders.
 */
export const recordGuestSale: TopicHandler = async (delivery, ctx, now) => {
  const parsed = guestSale.safeParse(delivery.payload);
  if (!parsed.success || parsed.data.source_name !== 'pos') return { status: 'skipped', reason: 'not a sale at the register' };
  const order = parsed.data;
  if (order.customer) return { status: 'skipped', reason: 'register sale with a customer' };
  const program = await loadProgram(ctx.connection, delivery.shop);
  if (!program) return { status: 'skipped', reason: 'no program in this shop' };
  if (order.test && !program.earning.testOrders) return { status: 'skipped', reason: 'test sale at the register' };
  const paidAt = new Date(order.processed_at ?? order.created_at ?? delivery.triggeredAt ?? now);
  const kept = await keepGuestSale(ctx.connection, {
    shop: delivery.shop,
    orderId: order.id,
    orderName: order.name ?? null,
    subtotal: order.current_subtotal_price_set.shop_money.amount,
    currency: order.current_subtotal_price_set.shop_money.currency_code,
    paidAt: Number.isNaN(paidAt.getTime()) ? now : paidAt,
    payload: delivery.payload as Record<string, unknown>,
  });
  return { status: 'processed', detail: `guest sale ${order.name ?? order.id} at the register ${kept ? 'kept to attach' : 'already kept'}` };
};

/** orders/cancelled of a guest sale at the register: it can no longer be attached (earning ignores guest orders' cancellations). */
export const forgetCancelledGuestSale: TopicHandler = async (delivery, ctx) => {
  const parsed = guestSale.safeParse(delivery.payload);
  if (!parsed.success || parsed.data.source_name !== 'pos' || parsed.data.customer)
    return { status: 'skipped', reason: 'not a guest sale at the register' };
  const forgotten = await forgetGuestSale(ctx.connection, delivery.shop, parsed.data.id);
  return {
    status: 'processed',
    detail: `guest sale ${parsed.data.name ?? parsed.data.id} cancelled${forgotten ? ': it can no longer be attached' : ''}`,
  };
};

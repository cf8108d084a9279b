import type { AppContext } from '../platform/context.js';
import { customerEntriesOfTypes, newestEntry } from '../ledger/index.js';
import { loadProgram } from '../program/index.js';
import { dayChanged, ledgerDaysUpTo, pointValueOf, refreshDays, utcDay, type DayAggregate, type DayRange } from '../accounting/index.js';
import { customerInsight, type CustomerInsight } from './insight.js';
import { analyticsReport, summarizeOrders, type Analytics, type Interval } from './metrics.js';
import { customerPaidOrders, firstOrderDay, insertPaidOrder, orderDaysOf, paidOrdersOfDays, writeOrderDays } from './store.js';

/** Paid orders summed per day (the day they were paid). */
export const orderDaysAggregate: DayAggregate = {
  name: 'order-days',
  firstDay: (ctx, shop) => firstOrderDay(ctx.connection, shop),
  recompute: async (ctx, shop, from, to, now) =>
    writeOrderDays(ctx.connection, shop, from, to, summarizeOrders(await paidOrdersOfDays(ctx.connection, shop, from, to)), now),
};

export interface PaidOrderInput {
  shop: string;
  orderId: string;
  /** Null for a guest checkout. */
  customerId: string | null;
  /** The order's eligible amount in shop money, minor units. */
  amount: number;
  currency: string;
  paidAt: Date;
  /** Cash back the order earned (minor units), part of the program's cost. */
  cashBack?: number;
  /** Known by the caller when the order was just credited (saves reading the buyer's ledger). */
  member?: boolean;
}

/**
 * Records a paid order for analytics, whoever bought it. Idempotent by order id (the first call
 * wins). The buyer is a member when they have a ledger account by now, so call it after the
 * order's points are applied: an order that earned points is a member's order.
 */
export async function recordPaidOrder(ctx: AppContext, order: PaidOrderInput): Promise<{ recorded: boolean; member: boolean }> {
  const member = order.member ?? (order.customerId !== null && (await newestEntry(ctx.connection, order.shop, order.customerId)) !== null);
  const day = utcDay(order.paidAt);
  const recorded = await insertPaidOrder(ctx.connection, {
    _id: `${order.shop}|${order.orderId}`,
    shop: order.shop,
    orderId: order.orderId,
    customerId: order.customerId,
    member,
    amount: order.amount,
    currency: order.currency,
    cashBack: order.cashBack ?? 0,
    paidAt: order.paidAt,
    day,
  });
  const now = ctx.clock();
  if (recorded && day < utcDay(now)) await dayChanged(ctx, orderDaysAggregate, order.shop, day, order.orderId, now);
  return { recorded, member };
}

export async function analyticsFor(ctx: AppContext, shop: string, range: DayRange, now: Date, interval?: Interval): Promise<Analytics | null> {
  const program = await loadProgram(ctx.connection, shop);
  if (!program) return null;
  await refreshDays(ctx, orderDaysAggregate, shop, now);
  const [ledgerDays, orderDays] = await Promise.all([
    ledgerDaysUpTo(ctx, shop, range.to, now),
    orderDaysOf(ctx.connection, shop, range.from, range.to),
  ]);
  return analyticsReport({
    from: range.from,
    to: range.to,
    currency: program.currency,
    pointValue: pointValueOf(program).perThousand,
    ledgerDays,
    orderDays,
    interval,
  });
}

export async function insightFor(ctx: AppContext, shop: string, customerId: string, now: Date): Promise<CustomerInsight | null> {
  const program = await loadProgram(ctx.connection, shop);
  if (!program) return null;
  const [orders, adjustments] = await Promise.all([
    customerPaidOrders(ctx.connection, shop, customerId),
    customerEntriesOfTypes(ctx.connection, shop, customerId, ['adjust']),
  ]);
  return customerInsight(
    customerId,
    orders,
    adjustments.map((entry) => ({ points: entry.available, reason: entry.reason, staffId: entry.staffId ?? null, createdAt: entry.createdAt })),
    pointValueOf(program).perThousand,
    now,
  );
}

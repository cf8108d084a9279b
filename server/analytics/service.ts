import type { AppContext } from '../platform/context.js';
import { customerEntriesOfTypes, firstLedgerDay, newestEntry } from '../ledger/index.js';
import { loadProgram, pointValueOf } from '../program/index.js';
import {
  aggregateAsOf,
  dayChanged,
  ledgerDaysAggregate,
  ledgerDaysUpTo,
  refreshDays,
  utcDay,
  type DayAggregate,
  type DayRange,
} from '../accounting/index.js';
import { customerInsight, isGoodwill, type CustomerInsight } from './insight.js';
import { analyticsReport, summarizeOrders, type Analytics, type Interval } from './metrics.js';
import {
  customerPaidOrders,
  customerRefunded,
  firstOrderDay,
  insertPaidOrder,
  orderDaysOf,
  paidOrdersOfDays,
  refundsAndRewardsOfDays,
  writeOrderDays,
} from './store.js';

/**
 * Paid orders summed per day (the day they were paid), with the day's refunds and the money the
 * rewards gave that day. Rewards can be given before a shop's first order (points from an import
 * or an adjustment), so the days start at the first order or the first ledger entry.
 */
export const orderDaysAggregate: DayAggregate = {
  name: 'order-days',
  firstDay: async (ctx, shop) => {
    const days = (await Promise.all([firstOrderDay(ctx.connection, shop), firstLedgerDay(ctx.connection, shop)])).filter(
      (day): day is string => day !== null,
    );
    return days.sort()[0] ?? null;
  },
  recompute: async (ctx, shop, from, to, now) => {
    const [orders, { refunds, given }] = await Promise.all([
      paidOrdersOfDays(ctx.connection, shop, from, to),
      refundsAndRewardsOfDays(ctx.connection, shop, from, to),
    ]);
    await writeOrderDays(ctx.connection, shop, from, to, summarizeOrders(orders, refunds, given), now);
  },
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

/** Analytics of `range`, with the time its day sums were brought up to date (`asOf`). */
export async function analyticsFor(
  ctx: AppContext,
  shop: string,
  range: DayRange,
  now: Date,
  interval?: Interval,
  options: { fresh?: boolean } = {},
): Promise<(Analytics & { asOf: Date }) | null> {
  const program = await loadProgram(ctx.connection, shop);
  if (!program) return null;
  await refreshDays(ctx, orderDaysAggregate, shop, now, options);
  const [ledgerDays, orderDays] = await Promise.all([
    ledgerDaysUpTo(ctx, shop, range.to, now, options),
    orderDaysOf(ctx.connection, shop, range.from, range.to),
  ]);
  const asOf = await figuresAsOf(ctx, shop, now);
  const report = analyticsReport({
    from: range.from,
    to: range.to,
    currency: program.currency,
    pointValue: pointValueOf(program).perThousand,
    ledgerDays,
    orderDays,
    interval,
  });
  return { ...report, asOf };
}

/** The older of the two day sums' refresh times: every figure built from them includes what happened before it. */
async function figuresAsOf(ctx: AppContext, shop: string, now: Date): Promise<Date> {
  const times = await Promise.all([aggregateAsOf(ctx, orderDaysAggregate, shop), aggregateAsOf(ctx, ledgerDaysAggregate, shop)]);
  return times.reduce<Date>((oldest, time) => (time && time < oldest ? time : oldest), now);
}

export async function insightFor(ctx: AppContext, shop: string, customerId: string, now: Date): Promise<CustomerInsight | null> {
  const program = await loadProgram(ctx.connection, shop);
  if (!program) return null;
  const [orders, refunded, adjustments] = await Promise.all([
    customerPaidOrders(ctx.connection, shop, customerId),
    customerRefunded(ctx.connection, shop, customerId),
    customerEntriesOfTypes(ctx.connection, shop, customerId, ['adjust']),
  ]);
  return customerInsight(
    customerId,
    orders,
    adjustments
      .filter(isGoodwill)
      .map((entry) => ({ points: entry.available, reason: entry.reason, staffId: entry.staffId ?? null, createdAt: entry.createdAt })),
    pointValueOf(program).perThousand,
    now,
    refunded,
  );
}

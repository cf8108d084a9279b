import { Schema, type Connection, type Model } from 'mongoose';
import { isDuplicateKey, modelOn } from '../platform/models.js';
import { replaceById } from '../accounting/index.js';
import { creditedOrdersBetween, creditedOrdersOf, firstCreditedAt, refundsBetween, refundsOfCustomer } from '../earning/index.js';
import { rewardsGivenBetween } from '../redemption/index.js';
import type { GivenFact, OrderDay, PaidOrderFact, RefundFact } from './metrics.js';

/** Every paid order the app saw, members' or not: written once, by order id. */
export interface PaidOrder extends PaidOrderFact {
  /** `${shop}|${orderId}` */
  _id: string;
  shop: string;
  orderId: string;
  currency: string;
  paidAt: Date;
}

const paidOrderSchema = new Schema<PaidOrder>(
  {
    _id: { type: String, required: true },
    shop: { type: String, required: true },
    orderId: { type: String, required: true },
    customerId: { type: String, default: null },
    member: { type: Boolean, required: true },
    amount: { type: Number, required: true },
    currency: { type: String, required: true },
    cashBack: { type: Number, required: true },
    paidAt: { type: Date, required: true },
    day: { type: String, required: true },
  },
  { collection: 'paid_orders', versionKey: false },
);
paidOrderSchema.index({ shop: 1, day: 1 });
paidOrderSchema.index({ shop: 1, customerId: 1, paidAt: -1 });

export function paidOrderModel(connection: Connection): Model<PaidOrder> {
  return modelOn(connection, 'PaidOrder', paidOrderSchema);
}

/** One UTC day of paid orders, summed; rewritten whole by each recompute. */
interface StoredOrderDay extends OrderDay {
  _id: string;
  shop: string;
  computedAt: Date;
}

const orderDaySchema = new Schema<StoredOrderDay>(
  {
    _id: { type: String, required: true },
    shop: { type: String, required: true },
    day: { type: String, required: true },
    memberOrders: { type: Number, required: true },
    memberRevenue: { type: Number, required: true },
    nonMemberOrders: { type: Number, required: true },
    nonMemberRevenue: { type: Number, required: true },
    memberRefunded: { type: Number, default: 0 },
    nonMemberRefunded: { type: Number, default: 0 },
    guestOrders: { type: Number, required: true },
    cashBack: { type: Number, required: true },
    rewardsGiven: { type: Number, default: 0 },
    memberBuyers: { type: [String], default: [] },
    nonMemberBuyers: { type: [String], default: [] },
    computedAt: { type: Date, required: true },
  },
  { collection: 'order_days', versionKey: false },
);
orderDaySchema.index({ shop: 1, day: 1 }, { unique: true });

export function orderDayModel(connection: Connection): Model<StoredOrderDay> {
  return modelOn(connection, 'OrderDay', orderDaySchema);
}

/** Inserts the order once; false when it was already recorded. */
export async function insertPaidOrder(connection: Connection, order: PaidOrder): Promise<boolean> {
  try {
    await paidOrderModel(connection).create(order);
    return true;
  } catch (error) {
    if (isDuplicateKey(error)) return false;
    throw error;
  }
}

/** The UTC instants [start, end) of the days `from`..`to`. */
const dayBounds = (from: string, to: string): [Date, Date] => {
  const end = new Date(`${to}T00:00:00.000Z`);
  end.setUTCDate(end.getUTCDate() + 1);
  return [new Date(`${from}T00:00:00.000Z`), end];
};

/**
 * The days' paid orders: customers' orders from earning's order records (every credited order has
 * one, so analytics keeps no copy and an order costs no extra write), guests' from `paid_orders`.
 * An order recorded in both (recordPaidOrder called for a customer) counts once.
 */
export async function paidOrdersOfDays(connection: Connection, shop: string, from: string, to: string): Promise<PaidOrderFact[]> {
  const [start, end] = dayBounds(from, to);
  const [recorded, credited] = await Promise.all([
    paidOrderModel(connection)
      .find({ shop, day: { $gte: from, $lte: to } }, { _id: 0, orderId: 1, customerId: 1, member: 1, amount: 1, cashBack: 1, day: 1 })
      .lean<Array<PaidOrderFact & { orderId: string }>>(),
    creditedOrdersBetween(connection, shop, start, end),
  ]);
  const seen = new Set(credited.map((order) => order.orderId));
  return [
    ...credited.map((order) => ({
      customerId: order.customerId,
      member: order.member,
      amount: order.amount,
      cashBack: order.cashBack,
      day: order.paidAt.toISOString().slice(0, 10),
    })),
    ...recorded.filter((order) => !seen.has(order.orderId)).map(({ orderId: _orderId, ...fact }) => fact),
  ];
}

/** The days' refunds (from earning's refund records) and the money rewards gave (from redemption's records). */
export async function refundsAndRewardsOfDays(
  connection: Connection,
  shop: string,
  from: string,
  to: string,
): Promise<{ refunds: RefundFact[]; given: GivenFact[] }> {
  const [start, end] = dayBounds(from, to);
  const [refunds, given] = await Promise.all([refundsBetween(connection, shop, start, end), rewardsGivenBetween(connection, shop, start, end)]);
  return {
    refunds: refunds.map((refund) => ({ member: refund.member, amount: refund.amount, day: refund.refundedAt.toISOString().slice(0, 10) })),
    given: given.map((gift) => ({ amount: gift.amount, day: gift.givenAt.toISOString().slice(0, 10) })),
  };
}

/** What the customer's refunds gave back, in eligible money (their lifetime value is net of it). */
export async function customerRefunded(connection: Connection, shop: string, customerId: string): Promise<number> {
  return (await refundsOfCustomer(connection, shop, customerId)).reduce((sum, refund) => sum + refund.amount, 0);
}

export async function firstOrderDay(connection: Connection, shop: string): Promise<string | null> {
  const [recorded, credited] = await Promise.all([
    paidOrderModel(connection).findOne({ shop }, { _id: 0, day: 1 }).sort({ day: 1 }).lean<{ day: string }>(),
    firstCreditedAt(connection, shop),
  ]);
  const days = [recorded?.day, credited?.toISOString().slice(0, 10)].filter((day): day is string => day !== undefined).sort();
  return days[0] ?? null;
}

export async function customerPaidOrders(
  connection: Connection,
  shop: string,
  customerId: string,
): Promise<Array<{ orderId: string; amount: number; paidAt: Date }>> {
  const [recorded, credited] = await Promise.all([
    paidOrderModel(connection).find({ shop, customerId }).lean<PaidOrder[]>(),
    creditedOrdersOf(connection, shop, customerId),
  ]);
  const seen = new Set(credited.map((order) => order.orderId));
  return [...credited, ...recorded.filter((order) => !seen.has(order.orderId))].sort((a, b) => a.paidAt.getTime() - b.paidAt.getTime());
}

export async function writeOrderDays(connection: Connection, shop: string, from: string, to: string, days: OrderDay[], now: Date): Promise<void> {
  const model = orderDayModel(connection);
  for (const day of days) await replaceById(model, { ...day, _id: `${shop}|${day.day}`, shop, computedAt: now });
  await model.deleteMany({ shop, day: { $gte: from, $lte: to, $nin: days.map((day) => day.day) } });
}

export async function orderDaysOf(connection: Connection, shop: string, from: string, to: string): Promise<OrderDay[]> {
  return orderDayModel(connection)
    .find({ shop, day: { $gte: from, $lte: to } }, { _id: 0, shop: 0, computedAt: 0 })
    .lean<OrderDay[]>();
}

import { Schema, type Connection, type Model } from 'mongoose';
import { effectSchema, type Effect } from '../platform/atomic.js';
import { isDuplicateKey, modelOn } from '../platform/models.js';
import type { RefundFacts } from './order-payload.js';

/**
 * The per-order record: what the order was worth to the program when it was first credited.
 * Points awarded and reversed are the order's ledger entries (by orderId); this record only
 * holds what the ledger does not: the eligible amount, the pending window, cash back.
 */
export interface OrderPoints {
  /** `${shop}|${orderId}`, so an order is found by _id. */
  _id: string;
  shop: string;
  orderId: string;
  /** Shopify's name of the order ("#1001"), shown to shoppers and staff instead of its id. */
  orderName?: string;
  customerId: string;
  eligible: number;
  /** What the order was paid in shop money, less shipping and tips: refunds by amount are a share of it. */
  paidTotal: number;
  taxesIncluded: boolean;
  earned: number;
  cashBack: number;
  /** Store credit for cash back: claimed ('issuing') before Shopify is called, 'issued' after. */
  cashBackState?: 'issuing' | 'issued';
  currency: string;
  /** What the customer saw, in their currency: kept for display, never the basis of points. */
  presentment?: { amount: number; currency: string };
  notes: string[];
  /** Variant ids of the order's lines (a membership variant among them buys a membership); absent on older records. */
  lineVariantIds?: string[];
  pendingUntil: Date | null;
  creditedAt: Date;
}

/** A refund or cancellation that arrived before the order was credited. */
export interface HeldReversal {
  shop: string;
  orderId: string;
  key: string;
  /** The refund's id, or null for a cancellation. */
  refundId: string | null;
  refund: RefundFacts | null;
  receivedAt: Date;
}

const orderPointsSchema = new Schema<OrderPoints>(
  {
    _id: { type: String, required: true },
    shop: { type: String, required: true },
    orderId: { type: String, required: true },
    orderName: String,
    customerId: { type: String, required: true },
    eligible: { type: Number, required: true },
    paidTotal: { type: Number, default: 0 },
    taxesIncluded: { type: Boolean, default: false },
    earned: { type: Number, required: true },
    cashBack: { type: Number, required: true },
    cashBackState: String,
    currency: { type: String, required: true },
    presentment: { _id: false, amount: Number, currency: String },
    notes: { type: [String], default: [] },
    lineVariantIds: { type: [String], default: undefined },
    pendingUntil: { type: Date, default: null },
    creditedAt: { type: Date, required: true },
  },
  { collection: 'order_points', versionKey: false },
);
orderPointsSchema.index({ shop: 1, orderId: 1 }, { unique: true });
orderPointsSchema.index({ shop: 1, customerId: 1, creditedAt: -1 });
orderPointsSchema.index({ shop: 1, pendingUntil: 1 });

const heldSchema = new Schema<HeldReversal>(
  {
    shop: { type: String, required: true },
    orderId: { type: String, required: true },
    key: { type: String, required: true },
    refundId: { type: String, default: null },
    refund: { type: Schema.Types.Mixed, default: null },
    receivedAt: { type: Date, required: true },
  },
  { collection: 'held_reversals', versionKey: false },
);
heldSchema.index({ shop: 1, key: 1 }, { unique: true });
heldSchema.index({ shop: 1, orderId: 1 });

export function orderPointsModel(connection: Connection): Model<OrderPoints> {
  return modelOn(connection, 'OrderPoints', orderPointsSchema);
}

export function heldReversalModel(connection: Connection): Model<HeldReversal> {
  return modelOn(connection, 'HeldReversal', heldSchema);
}

/**
 * A refund or cancellation that arrived before the order was credited leaves this in the order's
 * record slot (same _id), so the credit learns from its own insert that reversals wait for it and
 * the common credit reads nothing for them. Never read as a record (findOrderPoints passes it over).
 */
interface HeldMarker {
  _id: string;
  shop: string;
  orderId: string;
  held: true;
}

const isMarker = (stored: OrderPoints | HeldMarker): stored is HeldMarker => 'held' in stored && stored.held === true;

export interface RecordedOrder {
  record: OrderPoints;
  /** Reversals may be held for the order: it was recorded before (a retry), or a marker stood in its slot. */
  mayHaveHeldReversals: boolean;
}

/**
 * Records an order's worth once: the first insert wins and every later caller reads it. An insert
 * that lands on the first try proves no reversal was held for the order (one that arrives later
 * finds the record itself); a marker in the slot is deleted (judged by deletedCount, so one caller
 * takes it) and the insert tried again.
 */
export async function recordOrderOnce(connection: Connection, record: OrderPoints): Promise<RecordedOrder> {
  const orders = orderPointsModel(connection);
  let sawMarker = false;
  for (let attempt = 0; attempt < 20; attempt++) {
    try {
      await orders.create(record);
      return { record, mayHaveHeldReversals: sawMarker };
    } catch (error) {
      if (!isDuplicateKey(error)) throw error;
    }
    const stored = await orders.findById(record._id).lean<OrderPoints | HeldMarker>();
    if (stored && !isMarker(stored)) return { record: stored, mayHaveHeldReversals: true };
    sawMarker = true;
    if (stored) await orders.deleteOne({ _id: record._id, held: true });
  }
  throw new Error(`order ${record.orderId} could not be recorded (its slot kept changing)`);
}

/** Marks the order's record slot: reversals wait for it (a record already there keeps it). */
export async function markReversalsHeld(connection: Connection, shop: string, orderId: string): Promise<void> {
  const marker: HeldMarker = { _id: orderPointsId(shop, orderId), shop, orderId, held: true };
  try {
    // Through the driver: the marker is not a record, and mongoose would validate it as one.
    const slots = connection.getClient().db(connection.name).collection<HeldMarker>(orderPointsModel(connection).collection.collectionName);
    await slots.insertOne(marker);
  } catch (error) {
    if (!isDuplicateKey(error)) throw error;
  }
}

export function orderPointsId(shop: string, orderId: string): string {
  return `${shop}|${orderId}`;
}

export async function findOrderPoints(connection: Connection, shop: string, orderId: string): Promise<OrderPoints | null> {
  const stored = await orderPointsModel(connection).findById(orderPointsId(shop, orderId)).lean<OrderPoints | HeldMarker>();
  return stored && !isMarker(stored) ? stored : null;
}

/** Holds a reversal for an order not credited yet (insert-only, so concurrent ones all land). */
export async function holdReversal(connection: Connection, held: HeldReversal): Promise<void> {
  try {
    await heldReversalModel(connection).create(held);
  } catch (error) {
    if (!isDuplicateKey(error)) throw error;
  }
}

export async function heldReversalsOf(connection: Connection, shop: string, orderId: string): Promise<HeldReversal[]> {
  return heldReversalModel(connection).find({ shop, orderId }).sort({ receivedAt: 1 }).lean();
}

/** Orders whose pending window has closed by `now` (the release job). */
export async function ordersDueForRelease(connection: Connection, shop: string, now: Date): Promise<OrderPoints[]> {
  return orderPointsModel(connection)
    .find({ shop, pendingUntil: { $ne: null, $lte: now } })
    .lean();
}

/** Eligible amounts of the orders credited since `since` (the economics panel's recent orders). */
export async function eligibleSince(connection: Connection, shop: string, since: Date): Promise<number[]> {
  return (
    await orderPointsModel(connection)
      .find({ shop, creditedAt: { $gte: since } }, { eligible: 1 })
      .lean()
  ).map((order) => order.eligible);
}

/**
 * The eligible money a refund gave back, once per refund: revenue is counted net of it. Written
 * with a unique insert (by refund id), so redeliveries and racing workers record it once.
 */
export interface OrderRefund {
  /** `${shop}|${refundId}` */
  _id: string;
  shop: string;
  orderId: string;
  refundId: string;
  customerId: string;
  /** Whether the refunded order earned points (a member's order, as analytics counts it). */
  member: boolean;
  /** Eligible amount refunded, shop money, minor units (never more than the order's eligible amount). */
  amount: number;
  refundedAt: Date;
}

const orderRefundSchema = new Schema<OrderRefund>(
  {
    _id: { type: String, required: true },
    shop: { type: String, required: true },
    orderId: { type: String, required: true },
    refundId: { type: String, required: true },
    customerId: { type: String, required: true },
    member: { type: Boolean, required: true },
    amount: { type: Number, required: true },
    refundedAt: { type: Date, required: true },
  },
  { collection: 'order_refunds', versionKey: false },
);
orderRefundSchema.index({ shop: 1, refundedAt: 1 });
orderRefundSchema.index({ shop: 1, customerId: 1 });

export function orderRefundModel(connection: Connection): Model<OrderRefund> {
  return modelOn(connection, 'OrderRefund', orderRefundSchema);
}

/** Records a refund's eligible money once; a second call for the same refund changes nothing. */
export async function recordRefundOnce(connection: Connection, refund: Omit<OrderRefund, '_id'>): Promise<void> {
  try {
    await orderRefundModel(connection).create({ ...refund, _id: `${refund.shop}|${refund.refundId}` });
  } catch (error) {
    if (!isDuplicateKey(error)) throw error;
  }
}

/** Refunds recorded in [from, to) (UTC instants). */
export async function refundsBetween(connection: Connection, shop: string, from: Date, to: Date): Promise<OrderRefund[]> {
  return orderRefundModel(connection)
    .find({ shop, refundedAt: { $gte: from, $lt: to } })
    .lean();
}

export async function refundsOfCustomer(connection: Connection, shop: string, customerId: string): Promise<OrderRefund[]> {
  return orderRefundModel(connection).find({ shop, customerId }).lean();
}

/** Records the order's cash back as issued (or not), for display; the effect claim is what makes it once. */
export async function setCashBackState(connection: Connection, id: string, state: OrderPoints['cashBackState']): Promise<void> {
  await orderPointsModel(connection).updateOne({ _id: id }, { $set: { cashBackState: state } });
}

/** Cash back paid as Shopify store credit, one claim per order (platform/atomic.ts). */
export function cashBackEffectModel(connection: Connection): Model<Effect> {
  return modelOn(connection, 'CashBackEffect', effectSchema().set('collection', 'cash_back_effects'));
}

/** A credited order as analytics counts it: its buyer, whether the order earned (a member's order), its money. */
export interface CreditedOrder {
  orderId: string;
  customerId: string;
  member: boolean;
  amount: number;
  cashBack: number;
  paidAt: Date;
}

const asCreditedOrder = (record: OrderPoints): CreditedOrder => ({
  orderId: record.orderId,
  customerId: record.customerId,
  member: record.earned > 0,
  amount: record.eligible,
  cashBack: record.cashBack,
  paidAt: record.creditedAt,
});

/** Orders credited in [from, to) (UTC instants): every customer's paid order has a record, so analytics needs no copy. */
export async function creditedOrdersBetween(connection: Connection, shop: string, from: Date, to: Date): Promise<CreditedOrder[]> {
  return (
    await orderPointsModel(connection)
      .find({ shop, creditedAt: { $gte: from, $lt: to } })
      .lean()
  ).map(asCreditedOrder);
}

export async function creditedOrdersOf(connection: Connection, shop: string, customerId: string): Promise<CreditedOrder[]> {
  return (await orderPointsModel(connection).find({ shop, customerId }).sort({ creditedAt: 1 }).lean()).map(asCreditedOrder);
}

export async function firstCreditedAt(connection: Connection, shop: string): Promise<Date | null> {
  return (
    (
      await orderPointsModel(connection)
        .findOne({ shop, held: { $ne: true } }, { creditedAt: 1 })
        .sort({ creditedAt: 1 })
        .lean()
    )?.creditedAt ?? null
  );
}

/** Order records credited at or after `from`, oldest first (subscribers that count orders in batches read by this). */
export async function orderRecordsSince(connection: Connection, shop: string, from: Date, limit: number): Promise<OrderPoints[]> {
  return orderPointsModel(connection)
    .find({ shop, creditedAt: { $gte: from } })
    .sort({ creditedAt: 1, _id: 1 })
    .limit(limit)
    .lean();
}

/** How many orders were credited since `since` and their eligible money (the home page's stats). */
export async function creditedSince(
  connection: Connection,
  shop: string,
  since: Date,
  maxTimeMS: number,
): Promise<{ orders: number; revenue: number }> {
  const [totals] = await orderPointsModel(connection)
    .aggregate<{ orders: number; revenue: number }>([
      { $match: { shop, creditedAt: { $gte: since } } },
      { $group: { _id: null, orders: { $sum: 1 }, revenue: { $sum: '$eligible' } } },
    ])
    .option({ maxTimeMS });
  return { orders: totals?.orders ?? 0, revenue: totals?.revenue ?? 0 };
}

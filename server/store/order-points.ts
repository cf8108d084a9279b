import { Schema, type Connection, type Model } from 'mongoose';
import { modelOn } from './model.js';

/**
 * The per-order record of points awarded and reversed. `earned` is fixed once, when the order is
 * first credited, so retries never recompute it under a changed program; refunds that arrive
 * before the payment wait in `heldRefunds`.
 */
export interface OrderPoints {
  shop: string;
  orderId: string;
  customerId: string;
  status: 'held' | 'credited';
  eligible?: number;
  earned?: number;
  cashBack?: number;
  /** Store credit for cash back: claimed ('issuing') before Shopify is called, 'issued' after. */
  cashBackState?: 'issuing' | 'issued';
  currency?: string;
  notes?: string[];
  pendingUntil?: Date | null;
  released?: boolean;
  reversed: number;
  /** Keys of reversals already counted in `reversed`. */
  reversalKeys: string[];
  heldRefunds: Array<{ refundId: string; refunded: number }>;
  cancelled: boolean;
  creditedAt?: Date;
  updatedAt: Date;
}

const orderPointsSchema = new Schema<OrderPoints>(
  {
    shop: { type: String, required: true },
    orderId: { type: String, required: true },
    customerId: { type: String, required: true },
    status: { type: String, required: true },
    eligible: Number,
    earned: Number,
    cashBack: Number,
    cashBackState: String,
    currency: String,
    notes: { type: [String], default: undefined },
    pendingUntil: { type: Date, default: null },
    released: Boolean,
    reversed: { type: Number, required: true, default: 0 },
    reversalKeys: { type: [String], default: [] },
    heldRefunds: { type: [{ _id: false, refundId: String, refunded: Number }], default: [] },
    cancelled: { type: Boolean, default: false },
    creditedAt: Date,
    updatedAt: { type: Date, required: true },
  },
  { collection: 'order_points', versionKey: false },
);
orderPointsSchema.index({ shop: 1, orderId: 1 }, { unique: true });
orderPointsSchema.index({ shop: 1, customerId: 1, creditedAt: -1 });
orderPointsSchema.index({ shop: 1, status: 1, released: 1, pendingUntil: 1 });

export function orderPointsModel(connection: Connection): Model<OrderPoints> {
  return modelOn(connection, 'OrderPoints', orderPointsSchema);
}

/** Counts a reversal in the order's record once, whatever the retries. */
export async function recordReversal(connection: Connection, shop: string, orderId: string, key: string, points: number, now: Date): Promise<void> {
  await orderPointsModel(connection).updateOne(
    { shop, orderId, reversalKeys: { $ne: key } },
    { $inc: { reversed: points }, $push: { reversalKeys: key }, $set: { updatedAt: now } },
  );
}

import { Schema, type Connection, type Model } from 'mongoose';
import type { RewardValue } from './quote.js';
import { modelOn } from '../platform/models.js';

/**
 * pending: points debited, Shopify not yet confirmed; issued: the code or credit exists;
 * used: an order paid with the code; refunded: Shopify failed and the points came back;
 * expired: the code lapsed unused (points returned when the program says so); rejected: the
 * balance did not cover it, nothing was debited.
 */
export type RedemptionStatus = 'pending' | 'issued' | 'used' | 'refunded' | 'expired' | 'rejected';

export interface Redemption {
  /** `${shop}|${redemptionId}`: the redemption id is the discount code itself, or `CREDIT-…` for store credit. */
  _id: string;
  shop: string;
  customerId: string;
  redemptionId: string;
  /** The discount code (absent for store credit). */
  code?: string;
  rewardId: string;
  rewardName: string;
  value: RewardValue;
  pointsSpent: number;
  status: RedemptionStatus;
  source: 'storefront' | 'checkout' | 'admin';
  staffId?: string;
  discountId?: string;
  attempts: number;
  failure?: string;
  orderId?: string;
  expiresAt: Date;
  createdAt: Date;
  settledAt?: Date;
}

const redemptionSchema = new Schema<Redemption>(
  {
    _id: { type: String, required: true },
    shop: { type: String, required: true },
    customerId: { type: String, required: true },
    redemptionId: { type: String, required: true },
    code: String,
    rewardId: { type: String, required: true },
    rewardName: { type: String, required: true },
    value: { type: Schema.Types.Mixed, required: true },
    pointsSpent: { type: Number, required: true },
    status: { type: String, required: true },
    source: { type: String, required: true },
    staffId: String,
    discountId: String,
    attempts: { type: Number, required: true },
    failure: String,
    orderId: String,
    expiresAt: { type: Date, required: true },
    createdAt: { type: Date, required: true },
    settledAt: Date,
  },
  { collection: 'redemptions', versionKey: false },
);
redemptionSchema.index({ shop: 1, customerId: 1, createdAt: -1 });
redemptionSchema.index({ shop: 1, status: 1, expiresAt: 1 });
redemptionSchema.index({ shop: 1, orderId: 1 });

export function redemptionModel(connection: Connection): Model<Redemption> {
  return modelOn(connection, 'Redemption', redemptionSchema);
}

export const redemptionDocId = (shop: string, redemptionId: string): string => `${shop}|${redemptionId.toUpperCase()}`;

export async function findRedemption(connection: Connection, shop: string, redemptionId: string): Promise<Redemption | null> {
  return redemptionModel(connection).findById(redemptionDocId(shop, redemptionId)).lean();
}

export async function customerRedemptions(connection: Connection, shop: string, customerId: string, limit = 50): Promise<Redemption[]> {
  return redemptionModel(connection).find({ shop, customerId }).sort({ createdAt: -1 }).limit(limit).lean();
}

/** Moves a redemption from one status to the next; false when it was not in `from`. */
export async function settleRedemption(connection: Connection, doc: Redemption, from: RedemptionStatus, to: Partial<Redemption> & { status: RedemptionStatus }): Promise<boolean> {
  const result = await redemptionModel(connection).updateOne({ _id: doc._id, status: from }, { $set: to });
  return result.modifiedCount === 1;
}

import { Schema, Types, type Connection, type Model } from 'mongoose';
import { effectSchema, insertOnce, type Effect } from '../platform/atomic.js';
import { modelOn } from '../platform/models.js';
import { referralSegmentModel } from './segment.js';

/** A customer's referral code, issued once (unique per customer and per code). */
export interface ReferralCode {
  _id: Types.ObjectId;
  shop: string;
  customerId: string;
  code: string;
  createdAt: Date;
}
const codeSchema = new Schema<ReferralCode>(
  {
    shop: { type: String, required: true },
    customerId: { type: String, required: true },
    code: { type: String, required: true },
    createdAt: { type: Date, required: true },
  },
  { collection: 'referral_codes', versionKey: false },
);
codeSchema.index({ shop: 1, customerId: 1 }, { unique: true });
codeSchema.index({ shop: 1, code: 1 }, { unique: true });
export const referralCodeModel = (connection: Connection): Model<ReferralCode> => modelOn(connection, 'ReferralCode', codeSchema);

/** The friend's Shopify discount for a code: recorded before the call, completed after (platform/atomic.ts). */
export const referralDiscountModel = (connection: Connection): Model<Effect> =>
  modelOn(connection, 'ReferralDiscount', effectSchema().set('collection', 'referral_discounts'));

/** A friend's paid order that named a referral code: one per friend, the first one wins. */
export interface Conversion {
  _id: Types.ObjectId;
  shop: string;
  friendId: string;
  referrerId: string;
  code: string;
  via: 'attribute' | 'discount';
  orderId: string;
  paidAt: Date;
  /** Paid plus the program's pending window: the referrer is credited from then on. */
  creditAfter: Date;
}
const conversionSchema = new Schema<Conversion>(
  {
    shop: { type: String, required: true },
    friendId: { type: String, required: true },
    referrerId: { type: String, required: true },
    code: { type: String, required: true },
    via: { type: String, required: true },
    orderId: { type: String, required: true },
    paidAt: { type: Date, required: true },
    creditAfter: { type: Date, required: true },
  },
  { collection: 'referral_conversions', versionKey: false },
);
conversionSchema.index({ shop: 1, friendId: 1 }, { unique: true });
conversionSchema.index({ shop: 1, orderId: 1 });
conversionSchema.index({ shop: 1, creditAfter: 1 });
conversionSchema.index({ shop: 1, paidAt: -1 });
export const conversionModel = (connection: Connection): Model<Conversion> => modelOn(connection, 'ReferralConversion', conversionSchema);

/** The decision on a conversion, once: credited, or refused with its reason. */
export interface Outcome {
  shop: string;
  friendId: string;
  verdict: 'credited' | 'refused';
  reason: string | null;
  decidedAt: Date;
}
const outcomeSchema = new Schema<Outcome>(
  {
    shop: { type: String, required: true },
    friendId: { type: String, required: true },
    verdict: { type: String, required: true },
    reason: { type: String, default: null },
    decidedAt: { type: Date, required: true },
  },
  { collection: 'referral_outcomes', versionKey: false },
);
outcomeSchema.index({ shop: 1, friendId: 1 }, { unique: true });
export const outcomeModel = (connection: Connection): Model<Outcome> => modelOn(connection, 'ReferralOutcome', outcomeSchema);

/** One of a referrer's monthly credits: slot n of the month is a unique insert, so the cap holds under any concurrency. */
export interface CapSlot {
  shop: string;
  referrerId: string;
  month: string;
  slot: number;
  friendId: string;
}
const slotSchema = new Schema<CapSlot>(
  {
    shop: { type: String, required: true },
    referrerId: { type: String, required: true },
    month: { type: String, required: true },
    slot: { type: Number, required: true },
    friendId: { type: String, required: true },
  },
  { collection: 'referral_cap_slots', versionKey: false },
);
slotSchema.index({ shop: 1, referrerId: 1, month: 1, slot: 1 }, { unique: true });
slotSchema.index({ shop: 1, friendId: 1 });
export const capSlotModel = (connection: Connection): Model<CapSlot> => modelOn(connection, 'ReferralCapSlot', slotSchema);

/** Takes a free slot of the referrer's month for this friend (or the one it already holds); false when the cap is reached. */
export async function takeCapSlot(connection: Connection, slot: Omit<CapSlot, 'slot'>, cap: number): Promise<boolean> {
  const slots = capSlotModel(connection);
  if (await slots.exists({ shop: slot.shop, friendId: slot.friendId, referrerId: slot.referrerId, month: slot.month })) return true;
  for (let index = 0; index < cap; index++) {
    if (await insertOnce(slots, { ...slot, slot: index })) return true;
    if (await slots.exists({ shop: slot.shop, friendId: slot.friendId, referrerId: slot.referrerId, month: slot.month })) return true;
  }
  return false;
}

export const referralModels = [referralCodeModel, referralDiscountModel, conversionModel, outcomeModel, capSlotModel, referralSegmentModel];

import { Schema, type Connection, type Model } from 'mongoose';
import { effectSchema, insertOnce, type Effect } from '../platform/atomic.js';
import { moneyGiven, type RewardValue } from './quote.js';
import { isDuplicateKey, modelOn } from '../platform/models.js';

/**
 * pending: points debited, Shopify not yet confirmed; issued: the code or credit exists;
 * used: an order paid with the code; refunded: Shopify failed and the points came back;
 * expired: the code lapsed unused (points returned when the program says so); rejected: the
 * balance did not cover it, nothing was debited; cancelled: given back before any order used it
 * (a reward removed from a POS sale), its points returned and the code deactivated.
 */
export type RedemptionStatus = 'pending' | 'issued' | 'used' | 'refunded' | 'expired' | 'rejected' | 'cancelled';

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
  source: 'storefront' | 'checkout' | 'admin' | 'pos';
  staffId?: string;
  discountId?: string;
  attempts: number;
  failure?: string;
  orderId?: string;
  /** The money an order's use of the code took off (minor units), when the order said. */
  givenAmount?: number;
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
    givenAmount: Number,
    expiresAt: { type: Date, required: true },
    createdAt: { type: Date, required: true },
    settledAt: Date,
  },
  { collection: 'redemptions', versionKey: false },
);
redemptionSchema.index({ shop: 1, customerId: 1, createdAt: -1 });
redemptionSchema.index({ shop: 1, status: 1, expiresAt: 1 });
redemptionSchema.index({ shop: 1, orderId: 1 });
redemptionSchema.index({ shop: 1, settledAt: 1 });

export function redemptionModel(connection: Connection): Model<Redemption> {
  return modelOn(connection, 'Redemption', redemptionSchema);
}

/** Money given by rewards settled in [from, to) (UTC instants), one line per redemption that gave any. */
export async function rewardsGivenBetween(
  connection: Connection,
  shop: string,
  from: Date,
  to: Date,
): Promise<Array<{ customerId: string; amount: number; givenAt: Date }>> {
  const settled = await redemptionModel(connection)
    .find({ shop, settledAt: { $gte: from, $lt: to }, status: { $in: ['used', 'issued'] } })
    .lean();
  return settled
    .map((redemption) => ({ customerId: redemption.customerId, amount: moneyGiven(redemption), givenAt: redemption.settledAt! }))
    .filter((given) => given.amount > 0);
}

export const redemptionDocId = (shop: string, redemptionId: string): string => `${shop}|${redemptionId.toUpperCase()}`;

export async function findRedemption(connection: Connection, shop: string, redemptionId: string): Promise<Redemption | null> {
  return redemptionModel(connection).findById(redemptionDocId(shop, redemptionId)).lean();
}

/** The redemptions an order used (reward codes and settled checkout holds alike). */
export async function redemptionsUsedOn(connection: Connection, shop: string, orderId: string): Promise<Redemption[]> {
  return redemptionModel(connection).find({ shop, orderId, status: 'used' }).lean();
}

export async function customerRedemptions(connection: Connection, shop: string, customerId: string, limit = 50): Promise<Redemption[]> {
  return redemptionModel(connection).find({ shop, customerId }).sort({ createdAt: -1 }).limit(limit).lean();
}

/**
 * Records a redemption's status for display and queries. Only the caller that owns the move writes
 * it (the request that created the redemption, or the winner of its outcome below), so a plain
 * update is enough.
 */
export async function settleRedemption(
  connection: Connection,
  doc: Redemption,
  to: Partial<Redemption> & { status: RedemptionStatus },
): Promise<void> {
  await redemptionModel(connection).updateOne({ _id: doc._id }, { $set: to });
}

/**
 * What became of an issued code, decided once: used by an order, expired unused, or cancelled
 * (given back before payment). The first insert under the redemption's _id wins (a guarded status
 * update would let several win on FerretDB).
 */
export interface RedemptionOutcome {
  _id: string;
  shop: string;
  outcome: 'used' | 'expired' | 'cancelled';
  orderId: string | null;
  decidedAt: Date;
}

const redemptionOutcomeSchema = new Schema<RedemptionOutcome>(
  {
    _id: { type: String, required: true },
    shop: { type: String, required: true },
    outcome: { type: String, required: true },
    orderId: { type: String, default: null },
    decidedAt: { type: Date, required: true },
  },
  { collection: 'redemption_outcomes', versionKey: false },
);
redemptionOutcomeSchema.index({ shop: 1 });

export function redemptionOutcomeModel(connection: Connection): Model<RedemptionOutcome> {
  return modelOn(connection, 'RedemptionOutcome', redemptionOutcomeSchema);
}

/** Decides the code's outcome if it is still open; returns the outcome that stands (this one or an earlier). */
export async function decideOutcome(
  connection: Connection,
  doc: Redemption,
  outcome: RedemptionOutcome['outcome'],
  orderId: string | null,
  now: Date,
): Promise<RedemptionOutcome> {
  const candidate: RedemptionOutcome = { _id: doc._id, shop: doc.shop, outcome, orderId, decidedAt: now };
  if (await insertOnce(redemptionOutcomeModel(connection), candidate)) return candidate;
  const standing = await redemptionOutcomeModel(connection).findById(doc._id).lean();
  if (!standing) throw new Error(`the outcome of ${doc._id} could not be read`);
  return standing;
}

/**
 * Points reserved for a checkout (`POST /proxy/holds`). The reservation itself is the ledger entry
 * `hold:<holdId>`; this document keeps what the metafield and the expiry job need. `open` is a
 * hint for those queries only: whether a hold was settled or released is its outcome document.
 */
export interface PointsHold {
  /** `${shop}|${holdId}`. */
  _id: string;
  shop: string;
  customerId: string;
  holdId: string;
  points: number;
  /** Minor units of `currency`. */
  amount: number;
  currency: string;
  rewardId: string;
  expiresAt: Date;
  createdAt: Date;
  open: boolean;
  closedAt?: Date;
}

const holdSchema = new Schema<PointsHold>(
  {
    _id: { type: String, required: true },
    shop: { type: String, required: true },
    customerId: { type: String, required: true },
    holdId: { type: String, required: true },
    points: { type: Number, required: true },
    amount: { type: Number, required: true },
    currency: { type: String, required: true },
    rewardId: { type: String, required: true },
    expiresAt: { type: Date, required: true },
    createdAt: { type: Date, required: true },
    open: { type: Boolean, required: true },
    closedAt: Date,
  },
  { collection: 'points_holds', versionKey: false },
);
holdSchema.index({ shop: 1, open: 1, expiresAt: 1 });
holdSchema.index({ shop: 1, customerId: 1, open: 1 });
holdSchema.index({ shop: 1, closedAt: 1 });

export function holdModel(connection: Connection): Model<PointsHold> {
  return modelOn(connection, 'PointsHold', holdSchema);
}

const holdDocId = (shop: string, holdId: string) => `${shop}|${holdId}`;

/** Stores a hold once; a second call with the same id returns the first one's document. */
export async function insertHold(connection: Connection, hold: Omit<PointsHold, '_id'>): Promise<PointsHold> {
  const doc: PointsHold = { _id: holdDocId(hold.shop, hold.holdId), ...hold };
  try {
    await holdModel(connection).create(doc);
    return doc;
  } catch (error) {
    if (!isDuplicateKey(error)) throw error;
  }
  const earlier = await findHold(connection, hold.shop, hold.holdId);
  if (!earlier) throw new Error(`hold ${hold.holdId} collided but cannot be read`);
  return earlier;
}

export async function findHold(connection: Connection, shop: string, holdId: string): Promise<PointsHold | null> {
  return holdModel(connection).findById(holdDocId(shop, holdId)).lean();
}

export async function openHoldsOf(connection: Connection, shop: string, customerId: string): Promise<PointsHold[]> {
  return holdModel(connection).find({ shop, customerId, open: true }).lean();
}

export async function expiredOpenHolds(connection: Connection, shop: string, now: Date): Promise<PointsHold[]> {
  return holdModel(connection)
    .find({ shop, open: true, expiresAt: { $lte: now } })
    .lean();
}

/** Customers with a hold still open or closed since `since`: the ones whose metafield the job republishes. */
export async function customersWithRecentHolds(connection: Connection, shop: string, since: Date): Promise<string[]> {
  const holds = await holdModel(connection)
    .find({ shop, $or: [{ open: true }, { closedAt: { $gte: since } }] }, { customerId: 1 })
    .lean();
  return [...new Set(holds.map((hold) => hold.customerId))];
}

/** Marks a decided hold closed; a hint for queries (repeating it changes nothing that matters). */
export async function closeHold(connection: Connection, hold: PointsHold, now: Date): Promise<void> {
  await holdModel(connection).updateOne({ _id: hold._id, open: true }, { $set: { open: false, closedAt: now } });
}

/**
 * What became of a hold: settled by an order, or released (expired or cancelled). Inserted once
 * under `${shop}|${holdId}`, so whichever of settlement and release inserts first is the outcome
 * and the other finds it: an insert under a unique key is atomic on every engine we run.
 */
export interface HoldOutcome {
  _id: string;
  shop: string;
  holdId: string;
  customerId: string;
  outcome: 'settled' | 'released';
  orderId?: string;
  reason: string;
  decidedAt: Date;
}

const outcomeSchema = new Schema<HoldOutcome>(
  {
    _id: { type: String, required: true },
    shop: { type: String, required: true },
    holdId: { type: String, required: true },
    customerId: { type: String, required: true },
    outcome: { type: String, required: true },
    orderId: String,
    reason: { type: String, required: true },
    decidedAt: { type: Date, required: true },
  },
  { collection: 'hold_outcomes', versionKey: false },
);
outcomeSchema.index({ shop: 1, orderId: 1 });

export function holdOutcomeModel(connection: Connection): Model<HoldOutcome> {
  return modelOn(connection, 'HoldOutcome', outcomeSchema);
}

/** Records the outcome unless one exists; returns the outcome that stands and whether it is this one. */
export async function decideHold(connection: Connection, outcome: Omit<HoldOutcome, '_id'>): Promise<{ decided: boolean; outcome: HoldOutcome }> {
  const doc: HoldOutcome = { _id: holdDocId(outcome.shop, outcome.holdId), ...outcome };
  try {
    await holdOutcomeModel(connection).create(doc);
    return { decided: true, outcome: doc };
  } catch (error) {
    if (!isDuplicateKey(error)) throw error;
  }
  const standing = await findHoldOutcome(connection, outcome.shop, outcome.holdId);
  if (!standing) throw new Error(`the outcome of hold ${outcome.holdId} collided but cannot be read`);
  return { decided: false, outcome: standing };
}

export async function findHoldOutcome(connection: Connection, shop: string, holdId: string): Promise<HoldOutcome | null> {
  return holdOutcomeModel(connection).findById(holdDocId(shop, holdId)).lean();
}

export async function holdsSettledBy(connection: Connection, shop: string, orderId: string): Promise<HoldOutcome[]> {
  return holdOutcomeModel(connection).find({ shop, orderId, outcome: 'settled' }).lean();
}

/**
 * A settled hold, recorded as a redemption used on its order: the customer's redemption history
 * lists it beside code rewards, and a refund of the order treats it as they are treated.
 */
export async function recordHoldRedemption(connection: Connection, hold: PointsHold, rewardName: string, orderId: string, now: Date): Promise<void> {
  const doc: Redemption = {
    _id: redemptionDocId(hold.shop, hold.holdId),
    shop: hold.shop,
    customerId: hold.customerId,
    redemptionId: hold.holdId,
    rewardId: hold.rewardId,
    rewardName,
    value: { kind: 'amount_off', amount: hold.amount },
    pointsSpent: hold.points,
    status: 'used',
    source: 'storefront',
    attempts: 0,
    orderId,
    expiresAt: hold.expiresAt,
    createdAt: hold.createdAt,
    settledAt: now,
  };
  await redemptionModel(connection)
    .create(doc)
    .catch((error: unknown) => {
      if (!isDuplicateKey(error)) throw error;
    });
}

/** Effects on Shopify the redemption capability performs once per shop (the checkout discount). */
export function redemptionEffectModel(connection: Connection): Model<Effect> {
  return modelOn(connection, 'RedemptionEffect', effectSchema().set('collection', 'redemption_effects'));
}

/** The customer's issued (not yet used) codes, newest first. */
export async function issuedRedemptionsOf(connection: Connection, shop: string, customerId: string, limit: number): Promise<Redemption[]> {
  return redemptionModel(connection).find({ shop, customerId, status: 'issued' }).sort({ createdAt: -1 }).limit(limit).lean<Redemption[]>();
}

import { Schema, type Connection, type Model } from 'mongoose';
import { isDuplicateKey, modelOn } from '../platform/models.js';
import type { DayMovements } from './daily-report.js';

/** One UTC day of a shop's ledger, summed; rewritten whole by every recompute of that day. */
export interface LedgerDay extends DayMovements {
  /** `${shop}|${day}` */
  _id: string;
  shop: string;
  computedAt: Date;
}

const ledgerDaySchema = new Schema<LedgerDay>(
  {
    _id: { type: String, required: true },
    shop: { type: String, required: true },
    day: { type: String, required: true },
    earned: { type: Number, required: true },
    redeemed: { type: Number, required: true },
    reversed: { type: Number, required: true },
    expired: { type: Number, required: true },
    adjusted: { type: Number, required: true },
    pending: { type: Number, required: true },
    entries: { type: Number, required: true },
    newMembers: { type: Number, required: true },
    activeCustomers: { type: [String], default: [] },
    computedAt: { type: Date, required: true },
  },
  { collection: 'ledger_days', versionKey: false },
);
ledgerDaySchema.index({ shop: 1, day: 1 }, { unique: true });

export function ledgerDayModel(connection: Connection): Model<LedgerDay> {
  return modelOn(connection, 'LedgerDay', ledgerDaySchema);
}

/**
 * Every day up to `sealedThrough` of an aggregate is final: recomputed after it could still change.
 * `refreshedAt` is when the unsealed days were last recomputed.
 */
export interface AggregateWatermark {
  _id: string;
  shop: string;
  aggregate: string;
  sealedThrough: string;
  refreshedAt?: Date;
}

const watermarkSchema = new Schema<AggregateWatermark>(
  {
    _id: { type: String, required: true },
    shop: { type: String, required: true },
    aggregate: { type: String, required: true },
    sealedThrough: { type: String, required: true },
    refreshedAt: Date,
  },
  { collection: 'aggregate_watermarks', versionKey: false },
);
watermarkSchema.index({ shop: 1, aggregate: 1 }, { unique: true });

export function aggregateWatermarkModel(connection: Connection): Model<AggregateWatermark> {
  return modelOn(connection, 'AggregateWatermark', watermarkSchema);
}

/** A sealed day that received a late fact (one marker per fact, so none is lost to a concurrent run). */
interface ChangedDay {
  _id: string;
  shop: string;
  aggregate: string;
  day: string;
  createdAt: Date;
}

const changedDaySchema = new Schema<ChangedDay>(
  {
    _id: { type: String, required: true },
    shop: { type: String, required: true },
    aggregate: { type: String, required: true },
    day: { type: String, required: true },
    createdAt: { type: Date, required: true },
  },
  { collection: 'aggregate_changed_days', versionKey: false },
);
changedDaySchema.index({ shop: 1, aggregate: 1, day: 1 });

export function changedDayModel(connection: Connection): Model<ChangedDay> {
  return modelOn(connection, 'AggregateChangedDay', changedDaySchema);
}

/**
 * Writes a document whole under its _id. Two writers of the same recompute write the same thing,
 * so the race between them is harmless; a duplicate key from two upserts means the other landed first.
 */
export async function replaceById<T extends { _id: string }>(model: Model<T>, doc: T): Promise<void> {
  try {
    await model.replaceOne({ _id: doc._id }, doc, { upsert: true });
  } catch (error) {
    if (!isDuplicateKey(error)) throw error;
    await model.replaceOne({ _id: doc._id }, doc);
  }
}

export async function watermarkOf(connection: Connection, shop: string, aggregate: string): Promise<AggregateWatermark | null> {
  return aggregateWatermarkModel(connection).findById(`${shop}|${aggregate}`).lean<AggregateWatermark>();
}

/** Writes the watermark whole; a stale writer that lowers it just costs a recompute. */
export async function writeWatermark(
  connection: Connection,
  shop: string,
  aggregate: string,
  sealedThrough: string,
  refreshedAt: Date,
): Promise<void> {
  await replaceById(aggregateWatermarkModel(connection), { _id: `${shop}|${aggregate}`, shop, aggregate, sealedThrough, refreshedAt });
}

export async function markDayChanged(connection: Connection, shop: string, aggregate: string, day: string, ref: string, now: Date): Promise<void> {
  try {
    await changedDayModel(connection).create({ _id: `${shop}|${aggregate}|${day}|${ref}`, shop, aggregate, day, createdAt: now });
  } catch (error) {
    if (!isDuplicateKey(error)) throw error;
  }
}

export async function changedDays(connection: Connection, shop: string, aggregate: string): Promise<ChangedDay[]> {
  return changedDayModel(connection).find({ shop, aggregate }).lean();
}

export async function clearChangedDays(connection: Connection, ids: string[]): Promise<void> {
  if (ids.length > 0) await changedDayModel(connection).deleteMany({ _id: { $in: ids } });
}

/** Replaces the stored days of `from`..`to` with `days` (days absent from it hold nothing). */
export async function writeLedgerDays(
  connection: Connection,
  shop: string,
  from: string,
  to: string,
  days: DayMovements[],
  now: Date,
): Promise<void> {
  const model = ledgerDayModel(connection);
  for (const day of days) await replaceById(model, { ...day, _id: `${shop}|${day.day}`, shop, computedAt: now });
  await model.deleteMany({ shop, day: { $gte: from, $lte: to, $nin: days.map((day) => day.day) } });
}

export async function ledgerDaysThrough(connection: Connection, shop: string, to: string): Promise<DayMovements[]> {
  return ledgerDayModel(connection)
    .find({ shop, day: { $lte: to } }, { _id: 0, shop: 0, computedAt: 0 })
    .lean<DayMovements[]>();
}

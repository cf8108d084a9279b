import { Schema, type Connection, type Model } from 'mongoose';
import { isDuplicateKey, modelOn } from '../platform/models.js';

/**
 * The points a shop's customers hold, as last computed: summing the whole ledger is too slow for a
 * request (11 s at 100k entries on the embedded engine), so requests read this one document.
 */
export interface HeldPointsSnapshot {
  /** The shop's domain. */
  _id: string;
  shop: string;
  points: number;
  customers: number;
  computedAt: Date;
}

const snapshotSchema = new Schema<HeldPointsSnapshot>(
  {
    _id: { type: String, required: true },
    shop: { type: String, required: true },
    points: { type: Number, required: true },
    customers: { type: Number, required: true },
    computedAt: { type: Date, required: true },
  },
  { collection: 'held_points_snapshots', versionKey: false },
);

export function heldPointsSnapshotModel(connection: Connection): Model<HeldPointsSnapshot> {
  return modelOn(connection, 'HeldPointsSnapshot', snapshotSchema);
}

export async function readHeldPoints(connection: Connection, shop: string): Promise<HeldPointsSnapshot | null> {
  return heldPointsSnapshotModel(connection).findById(shop).lean();
}

/** Stores a newer computation; an older one (a slow refresh finishing late) never replaces it. */
export async function storeHeldPoints(connection: Connection, snapshot: Omit<HeldPointsSnapshot, '_id'>): Promise<void> {
  const snapshots = heldPointsSnapshotModel(connection);
  try {
    await snapshots.updateOne({ _id: snapshot.shop, computedAt: { $lt: snapshot.computedAt } }, { $set: snapshot }, { upsert: true });
  } catch (error) {
    // The upsert found a newer snapshot and tried to insert a second one under the same _id.
    if (!isDuplicateKey(error)) throw error;
  }
}

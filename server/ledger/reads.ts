import { Schema, type Connection, type Model } from 'mongoose';
import { modelOn } from '../platform/models.js';
import { ledgerEntryModel, type EntryType, type LedgerEntry } from './store.js';

/** What reporting needs of an entry: who, which step of their ledger, what kind, and what it moved. */
export type LedgerMovement = Pick<LedgerEntry, 'customerId' | 'seq' | 'type' | 'available' | 'pending' | 'day'>;

/**
 * The (shop, day) index that day-by-day reporting reads by, declared on the ledger's collection.
 * It lives here until the entry schema in store.ts declares it itself.
 */
const dayIndexSchema = new Schema<Pick<LedgerEntry, 'shop' | 'day'>>(
  { shop: String, day: String },
  { collection: 'ledger_entries', versionKey: false },
);
dayIndexSchema.index({ shop: 1, day: 1 });

export function ledgerDayIndexModel(connection: Connection): Model<Pick<LedgerEntry, 'shop' | 'day'>> {
  return modelOn(connection, 'LedgerDayIndex', dayIndexSchema);
}

/** The shop's entries written on the UTC days `from`..`to` (inclusive), as movements. */
export async function movementsOfDays(connection: Connection, shop: string, from: string, to: string): Promise<LedgerMovement[]> {
  return ledgerEntryModel(connection)
    .find({ shop, day: { $gte: from, $lte: to } }, { _id: 0, customerId: 1, seq: 1, type: 1, available: 1, pending: 1, day: 1 })
    .lean<LedgerMovement[]>();
}

/** The UTC day of the shop's first ledger entry, or null when it has none. */
export async function firstLedgerDay(connection: Connection, shop: string): Promise<string | null> {
  const first = await ledgerEntryModel(connection).findOne({ shop }, { _id: 0, day: 1 }).sort({ day: 1 }).lean<Pick<LedgerEntry, 'day'>>();
  return first?.day ?? null;
}

/** One customer's entries of the given types, newest first. */
export async function customerEntriesOfTypes(
  connection: Connection,
  shop: string,
  customerId: string,
  types: EntryType[],
  limit = 200,
): Promise<LedgerEntry[]> {
  return ledgerEntryModel(connection)
    .find({ shop, customerId, type: { $in: types } })
    .sort({ seq: -1 })
    .limit(limit)
    .lean<LedgerEntry[]>();
}

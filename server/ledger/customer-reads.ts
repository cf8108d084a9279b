import type { Connection } from 'mongoose';
import { ledgerEntryModel, type EntryType, type LedgerEntry } from './store.js';

export interface LedgerPageQuery {
  limit: number;
  /** Only entries with a lower seq: the cursor a previous page returned. */
  before?: number;
  type?: EntryType;
  /** The server gives up after this long (MongoDB; FerretDB ignores it). */
  maxTimeMS: number;
}

export interface LedgerPage {
  /** Newest first. */
  entries: LedgerEntry[];
  /** The cursor of the next (older) page, or null when this is the last. */
  nextBefore: number | null;
}

/** One page of a customer's ledger, newest first, read along the (shop, customerId, seq) index. */
export async function customerLedgerPage(connection: Connection, shop: string, customerId: string, query: LedgerPageQuery): Promise<LedgerPage> {
  const found = await ledgerEntryModel(connection)
    .find({ shop, customerId, ...(query.type ? { type: query.type } : {}), ...(query.before ? { seq: { $lt: query.before } } : {}) })
    .sort({ seq: -1 })
    .limit(query.limit + 1)
    .maxTimeMS(query.maxTimeMS)
    .lean<LedgerEntry[]>();
  const entries = found.slice(0, query.limit);
  return { entries, nextBefore: found.length > query.limit ? (entries.at(-1)?.seq ?? null) : null };
}

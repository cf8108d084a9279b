import { Schema, type Connection, type Model } from 'mongoose';
import { isDuplicateKey, modelOn } from '../platform/models.js';
import { nextEntry, type BalanceGuard, type EntryType } from './balance.js';

export type { BalanceGuard, EntryType } from './balance.js';

/**
 * One line of a customer's append-only ledger. `seq` numbers the customer's entries 1, 2, 3 …
 * and each entry carries the balances after it, so the newest entry is the account.
 */
export interface LedgerEntry {
  /** `${shop}|${customerId}|${seq}`: the ledger is read by _id, the one lookup every engine indexes. */
  _id: string;
  shop: string;
  customerId: string;
  seq: number;
  key: string;
  type: EntryType;
  /** Change to the available balance (what was applied; a clamp may take less than asked). */
  available: number;
  /** Change to the pending balance. */
  pending: number;
  balance: number;
  pendingBalance: number;
  lifetimeEarned: number;
  /** Paid orders credited so far (punch card). */
  paidOrders: number;
  /** The UTC day of this entry and the points earned on it so far (daily cap). */
  day: string;
  earnedOnDay: number;
  /** Points a stop-at-zero reversal could not take because they were spent. */
  shortfall: number;
  orderId?: string;
  /** The order's name as the shop shows it ("#1001"); absent on entries written before names were kept. */
  orderName?: string;
  /** For an order edit: the order's eligible amount after it. */
  eligible?: number;
  reason: string;
  source: string;
  staffId?: string;
  createdAt: Date;
}

const entrySchema = new Schema<LedgerEntry>(
  {
    _id: { type: String, required: true },
    shop: { type: String, required: true },
    customerId: { type: String, required: true },
    seq: { type: Number, required: true },
    key: { type: String, required: true },
    type: { type: String, required: true },
    available: { type: Number, required: true },
    pending: { type: Number, required: true },
    balance: { type: Number, required: true },
    pendingBalance: { type: Number, required: true },
    lifetimeEarned: { type: Number, required: true },
    paidOrders: { type: Number, required: true },
    day: { type: String, required: true },
    earnedOnDay: { type: Number, required: true },
    shortfall: { type: Number, required: true },
    orderId: String,
    orderName: String,
    eligible: Number,
    reason: { type: String, required: true },
    source: { type: String, required: true },
    staffId: String,
    createdAt: { type: Date, required: true },
  },
  { collection: 'ledger_entries', versionKey: false },
);
// Exactly once: a business key takes effect once per shop.
entrySchema.index({ shop: 1, key: 1 }, { unique: true });
// One writer per step of a customer's ledger: two entries racing for the same seq cannot both land.
entrySchema.index({ shop: 1, customerId: 1, seq: -1 }, { unique: true });
entrySchema.index({ shop: 1, customerId: 1, createdAt: -1 });
entrySchema.index({ shop: 1, orderId: 1 });

export function ledgerEntryModel(connection: Connection): Model<LedgerEntry> {
  return modelOn(connection, 'LedgerEntry', entrySchema);
}

const entryId = (shop: string, customerId: string, seq: number) => `${shop}|${customerId}|${seq}`;

/** The customer's newest entry: one query on the (shop, customerId, seq) index. */
export async function newestEntry(connection: Connection, shop: string, customerId: string): Promise<LedgerEntry | null> {
  return ledgerEntryModel(connection).findOne({ shop, customerId }).sort({ seq: -1 }).lean();
}

/** The entry a business key produced, if it took effect. */
export async function entryForKey(connection: Connection, shop: string, key: string): Promise<LedgerEntry | null> {
  return ledgerEntryModel(connection).findOne({ shop, key }).lean();
}

export interface EntryDraft {
  shop: string;
  customerId: string;
  key: string;
  type: EntryType;
  available: number;
  pending: number;
  reason: string;
  source: string;
  guard: BalanceGuard;
  orderId?: string;
  orderName?: string;
  eligible?: number;
  staffId?: string;
}

export interface ApplyResult {
  entry: LedgerEntry | null;
  /** False when the key had already taken effect (a duplicate or a retry). */
  appliedNow: boolean;
  rejected: boolean;
}

export interface Balance {
  available: number;
  pending: number;
  lifetimeEarned: number;
}

const MAX_ATTEMPTS = 200;

export async function balanceOf(connection: Connection, shop: string, customerId: string): Promise<Balance> {
  const last = await newestEntry(connection, shop, customerId);
  return { available: last?.balance ?? 0, pending: last?.pendingBalance ?? 0, lifetimeEarned: last?.lifetimeEarned ?? 0 };
}

/**
 * Applies a ledger entry so that its key takes effect exactly once, with one atomic write and
 * no transaction: read the customer's newest entry, compute the next one (seq + 1, balances
 * after it, the guard against the exact current balance) and insert it. The unique index on the
 * key turns duplicates and retries into "already applied"; the unique index on the sequence
 * makes a writer that raced another one read again and retry. A crash leaves either nothing or
 * the whole entry, so there is nothing to repair. A caller that has just read the newest entry
 * passes it as `newest` and saves that read on the first attempt.
 */
export async function applyEntry(connection: Connection, draft: EntryDraft, now: Date, newest?: LedgerEntry | null): Promise<ApplyResult> {
  const entries = ledgerEntryModel(connection);
  let last = newest === undefined ? await newestEntry(connection, draft.shop, draft.customerId) : newest;
  for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
    if (attempt > 0) last = await newestEntry(connection, draft.shop, draft.customerId);
    const next = nextEntry(last, draft, now);
    if (next.refused) {
      const existing = await entryForKey(connection, draft.shop, draft.key);
      return existing ? { entry: existing, appliedNow: false, rejected: false } : { entry: null, appliedNow: false, rejected: true };
    }
    const entry: LedgerEntry = {
      _id: entryId(draft.shop, draft.customerId, next.totals.seq),
      shop: draft.shop,
      customerId: draft.customerId,
      ...next.totals,
      key: draft.key,
      type: draft.type,
      available: next.available,
      pending: draft.pending,
      shortfall: next.shortfall,
      orderId: draft.orderId,
      ...(draft.orderName === undefined ? {} : { orderName: draft.orderName }),
      eligible: draft.eligible,
      reason: draft.reason,
      source: draft.source,
      staffId: draft.staffId,
      createdAt: now,
    };
    try {
      await entries.create(entry);
      return { entry, appliedNow: true, rejected: false };
    } catch (error) {
      if (!isDuplicateKey(error)) throw error;
    }
    // Either another entry took this seq, or this key has taken effect already: find out which.
    const existing = await entryForKey(connection, draft.shop, draft.key);
    if (existing) return { entry: existing, appliedNow: false, rejected: false };
    await new Promise((resolve) => setTimeout(resolve, Math.random() * Math.min(50, 2 + attempt)));
  }
  throw new Error(`ledger entry ${draft.key} could not be written after ${MAX_ATTEMPTS} attempts (contention)`);
}

/** The customers of a shop that have a ledger ($group with $count: the accumulators FerretDB 1.24 has). */
export async function customersWithLedger(connection: Connection, shop: string): Promise<string[]> {
  const groups = await ledgerEntryModel(connection).aggregate<{ _id: string }>([
    { $match: { shop } },
    { $group: { _id: '$customerId', entries: { $count: {} } } },
  ]);
  return groups.map((group) => group._id);
}

/** A customer's entries, oldest first, with the fields expiry by batch needs. */
export async function customerMovements(
  connection: Connection,
  shop: string,
  customerId: string,
): Promise<Array<Pick<LedgerEntry, 'key' | 'available' | 'createdAt'>>> {
  return ledgerEntryModel(connection).find({ shop, customerId }, { _id: 0, key: 1, available: 1, createdAt: 1 }).sort({ seq: 1 }).lean();
}

/** Whether the shop has any ledger entry yet (the demo shop is seeded once). */
export async function hasLedger(connection: Connection, shop: string): Promise<boolean> {
  return (await ledgerEntryModel(connection).exists({ shop })) !== null;
}

/** The customer's standing for earning rules, from their newest entry: paid orders so far and points earned today. */
export function earningHistoryOf(newest: LedgerEntry | null, now: Date): { paidOrders: number; earnedToday: number } {
  return { paidOrders: newest?.paidOrders ?? 0, earnedToday: newest?.day === now.toISOString().slice(0, 10) ? newest.earnedOnDay : 0 };
}

/** The points an order's entries have added (positive) and taken back (negative), by balance. */
export async function orderEntries(connection: Connection, shop: string, orderId: string): Promise<LedgerEntry[]> {
  return ledgerEntryModel(connection).find({ shop, orderId }).lean();
}

/**
 * Points the shop's customers hold, in one aggregation: each customer's entries summed (the sum
 * of a ledger is its balance), negative balances counting as none.
 */
export async function pointsHeld(connection: Connection, shop: string): Promise<{ points: number; customers: number }> {
  const balances = await ledgerEntryModel(connection).aggregate<{ balance: number }>([
    { $match: { shop } },
    { $group: { _id: '$customerId', balance: { $sum: '$available' } } },
    { $match: { balance: { $gt: 0 } } },
  ]);
  return { points: balances.reduce((sum, customer) => sum + customer.balance, 0), customers: balances.length };
}

/** Order credits since `since`, for offers that look at when customers last ordered. */
export async function orderCreditsSince(
  connection: Connection,
  shop: string,
  since: Date,
): Promise<Array<{ customerId: string; orderId: string; at: Date }>> {
  const earns = await ledgerEntryModel(connection)
    .find({ shop, type: 'earn', orderId: { $exists: true }, createdAt: { $gte: since } }, { _id: 0, customerId: 1, orderId: 1, createdAt: 1 })
    .lean<Array<{ customerId: string; orderId: string; createdAt: Date }>>();
  return earns.map((entry) => ({ customerId: entry.customerId, orderId: entry.orderId, at: entry.createdAt }));
}

/** The keys among `keys` that have taken effect. */
export async function appliedKeys(connection: Connection, shop: string, keys: string[]): Promise<Set<string>> {
  return new Set(
    (
      await ledgerEntryModel(connection)
        .find({ shop, key: { $in: keys } }, { _id: 0, key: 1 })
        .lean()
    ).map((entry) => entry.key),
  );
}

/**
 * The customer's latest `count` entries below and at `newestSeq`, newest first. One lookup per _id
 * rather than `$in`: FerretDB pushes a single _id down to SQLite but scans for `$in`.
 */
export async function latestEntries(
  connection: Connection,
  shop: string,
  customerId: string,
  newestSeq: number,
  count: number,
): Promise<LedgerEntry[]> {
  const ids = Array.from({ length: Math.min(count, newestSeq) }, (_, index) => entryId(shop, customerId, newestSeq - index));
  const entries = ledgerEntryModel(connection);
  const found = await Promise.all(ids.map((id) => entries.findById(id).lean<LedgerEntry>()));
  return found.filter((entry): entry is LedgerEntry => entry !== null).sort((a, b) => b.seq - a.seq);
}

/** The sum of every entry of the shop, and the sums of the entries of some sources (one aggregation each). */
export async function availableSums(
  connection: Connection,
  shop: string,
  sources: string[],
): Promise<{ total: number; bySource: Map<string, number> }> {
  const entries = ledgerEntryModel(connection);
  const [totals, bySource] = await Promise.all([
    entries.aggregate<{ _id: null; points: number }>([{ $match: { shop } }, { $group: { _id: null, points: { $sum: '$available' } } }]),
    entries.aggregate<{ _id: string; points: number }>([
      { $match: { shop, source: { $in: sources } } },
      { $group: { _id: '$source', points: { $sum: '$available' } } },
    ]),
  ]);
  return { total: totals[0]?.points ?? 0, bySource: new Map(bySource.map((group) => [group._id, group.points])) };
}

/** Entries of some types at or after `from`, in (createdAt, _id) order, `skip` passed over: what outbound turns into events. */
export async function entriesOfTypesSince(
  connection: Connection,
  shop: string,
  types: EntryType[],
  from: Date,
  skip: number,
  limit: number,
): Promise<LedgerEntry[]> {
  return ledgerEntryModel(connection)
    .find({ shop, day: { $gte: from.toISOString().slice(0, 10) }, createdAt: { $gte: from }, type: { $in: types } })
    .sort({ createdAt: 1, _id: 1 })
    .skip(skip)
    .limit(limit)
    .lean<LedgerEntry[]>();
}

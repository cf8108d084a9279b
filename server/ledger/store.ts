import { Schema, type Connection, type Model } from 'mongoose';
import { isDuplicateKey, modelOn } from '../platform/models.js';

export type EntryType = 'earn' | 'bonus' | 'reverse' | 'release' | 'order_edit' | 'redeem' | 'redeem_refund' | 'adjust' | 'expire';

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

/** Hints that make the newest entry and a key's entry cheap to find; each is only ever a hint. */
interface LedgerHint {
  _id: string;
  shop: string;
  customerId: string;
  seq: number;
}

const hintSchema = new Schema<LedgerHint>(
  { _id: { type: String, required: true }, shop: { type: String, required: true }, customerId: { type: String, required: true }, seq: { type: Number, required: true } },
  { versionKey: false },
);

export function ledgerHeadModel(connection: Connection): Model<LedgerHint> {
  return modelOn(connection, 'LedgerHead', hintSchema.clone().set('collection', 'ledger_heads'));
}

export function ledgerKeyModel(connection: Connection): Model<LedgerHint> {
  return modelOn(connection, 'LedgerKey', hintSchema.clone().set('collection', 'ledger_keys'));
}

const entryId = (shop: string, customerId: string, seq: number) => `${shop}|${customerId}|${seq}`;

/**
 * The customer's newest entry: from the head hint, step forward by _id while a next entry
 * exists. The hint may lag (it is written after the entry, without a transaction) but never leads.
 */
export async function newestEntry(connection: Connection, shop: string, customerId: string): Promise<LedgerEntry | null> {
  const entries = ledgerEntryModel(connection);
  const headId = `${shop}|${customerId}`;
  const hinted = (await ledgerHeadModel(connection).findById(headId, { seq: 1 }).lean())?.seq ?? 0;
  let newest = hinted > 0 ? await entries.findById(entryId(shop, customerId, hinted)).lean() : null;
  let seq = hinted;
  for (let next = await entries.findById(entryId(shop, customerId, seq + 1)).lean(); next; next = await entries.findById(entryId(shop, customerId, seq + 1)).lean()) {
    newest = next;
    seq++;
  }
  if (seq > hinted) {
    await ledgerHeadModel(connection)
      .updateOne({ _id: headId }, { $max: { seq }, $setOnInsert: { shop, customerId } }, { upsert: true })
      .catch((error: unknown) => {
        if (!isDuplicateKey(error)) throw error;
      });
  }
  return newest;
}

async function rememberKey(connection: Connection, entry: LedgerEntry): Promise<void> {
  await ledgerKeyModel(connection)
    .create({ _id: `${entry.shop}|${entry.key}`, shop: entry.shop, customerId: entry.customerId, seq: entry.seq })
    .catch((error: unknown) => {
      if (!isDuplicateKey(error)) throw error;
    });
}

/** The entry a business key produced, if it took effect. */
export async function entryForKey(connection: Connection, shop: string, key: string): Promise<LedgerEntry | null> {
  const hint = await ledgerKeyModel(connection).findById(`${shop}|${key}`).lean();
  return hint ? ledgerEntryModel(connection).findById(entryId(shop, hint.customerId, hint.seq)).lean() : null;
}

/**
 * How an entry meets the balance: `none` applies as asked (a balance may go negative);
 * `require` applies only if the available balance covers it, else nothing is written (a
 * redemption); `clamp` takes at most what is available and records the rest as a shortfall.
 */
export type BalanceGuard = 'none' | 'require' | 'clamp';

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

const EARNING_TYPES: ReadonlySet<EntryType> = new Set(['earn', 'bonus']);
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
 * the whole entry, so there is nothing to repair.
 */
export async function applyEntry(connection: Connection, draft: EntryDraft, now: Date): Promise<ApplyResult> {
  const entries = ledgerEntryModel(connection);
  const day = now.toISOString().slice(0, 10);
  for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
    const existing = await entryForKey(connection, draft.shop, draft.key);
    if (existing) return { entry: existing, appliedNow: false, rejected: false };
    const last = await newestEntry(connection, draft.shop, draft.customerId);
    const balance = last?.balance ?? 0;
    let available = draft.available;
    let shortfall = 0;
    if (draft.guard === 'require' && balance + available < 0) return { entry: null, appliedNow: false, rejected: true };
    if (draft.guard === 'clamp' && available < 0 && balance + available < 0) {
      const taken = Math.min(-available, Math.max(0, balance));
      shortfall = -available - taken;
      available = -taken;
    }
    const earned = EARNING_TYPES.has(draft.type) ? Math.max(0, draft.available) + Math.max(0, draft.pending) : 0;
    const seq = (last?.seq ?? 0) + 1;
    const entry: LedgerEntry = {
      _id: entryId(draft.shop, draft.customerId, seq),
      shop: draft.shop,
      customerId: draft.customerId,
      seq,
      key: draft.key,
      type: draft.type,
      available,
      pending: draft.pending,
      balance: balance + available,
      pendingBalance: (last?.pendingBalance ?? 0) + draft.pending,
      lifetimeEarned: (last?.lifetimeEarned ?? 0) + earned,
      paidOrders: (last?.paidOrders ?? 0) + (draft.type === 'earn' ? 1 : 0),
      day,
      earnedOnDay: (last?.day === day ? last.earnedOnDay : 0) + earned,
      shortfall,
      orderId: draft.orderId,
      eligible: draft.eligible,
      reason: draft.reason,
      source: draft.source,
      staffId: draft.staffId,
      createdAt: now,
    };
    try {
      await entries.create(entry);
      await rememberKey(connection, entry);
      return { entry, appliedNow: true, rejected: false };
    } catch (error) {
      if (!isDuplicateKey(error)) throw error;
    }
    // Either another entry took this seq, or this key was written by a writer that stopped
    // before remembering it (the unique key index caught it): find out which.
    const atSeq = await entries.findById(entry._id).lean();
    if (!atSeq) {
      const byKey = await entries.findOne({ shop: draft.shop, key: draft.key }).lean();
      if (byKey) {
        await rememberKey(connection, byKey);
        return { entry: byKey, appliedNow: false, rejected: false };
      }
    } else if (atSeq.key === draft.key) {
      await rememberKey(connection, atSeq);
      return { entry: atSeq, appliedNow: false, rejected: false };
    }
    await new Promise((resolve) => setTimeout(resolve, Math.random() * Math.min(50, 2 + attempt)));
  }
  throw new Error(`ledger entry ${draft.key} could not be written after ${MAX_ATTEMPTS} attempts (contention)`);
}

/** Whether the shop has any ledger entry yet (the demo shop is seeded once). */
export async function hasLedger(connection: Connection, shop: string): Promise<boolean> {
  return (await ledgerEntryModel(connection).exists({ shop })) !== null;
}

/** The customer's standing for earning rules: paid orders so far and points earned today. */
export async function earningHistory(connection: Connection, shop: string, customerId: string, now: Date): Promise<{ paidOrders: number; earnedToday: number }> {
  const last = await newestEntry(connection, shop, customerId);
  return { paidOrders: last?.paidOrders ?? 0, earnedToday: last?.day === now.toISOString().slice(0, 10) ? last.earnedOnDay : 0 };
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

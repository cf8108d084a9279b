import { Schema, type Connection, type Model } from 'mongoose';
import { isDuplicateKey, modelOn } from './model.js';

export type EntryType = 'earn' | 'bonus' | 'reverse' | 'release' | 'order_edit' | 'redeem' | 'redeem_refund' | 'adjust' | 'expire';

/**
 * One line of a customer's append-only ledger. `seq` numbers the customer's entries 1, 2, 3 …
 * and each entry carries the balances after it, so the newest entry is the account.
 */
export interface LedgerEntry {
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
  const last = await ledgerEntryModel(connection).findOne({ shop, customerId }, { balance: 1, pendingBalance: 1, lifetimeEarned: 1 }).sort({ seq: -1 }).lean();
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
  for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
    const existing = await entries.findOne({ shop: draft.shop, key: draft.key }).lean();
    if (existing) return { entry: existing, appliedNow: false, rejected: false };
    const last = await entries.findOne({ shop: draft.shop, customerId: draft.customerId }).sort({ seq: -1 }).lean();
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
    try {
      const created = await entries.create({
        shop: draft.shop,
        customerId: draft.customerId,
        seq: (last?.seq ?? 0) + 1,
        key: draft.key,
        type: draft.type,
        available,
        pending: draft.pending,
        balance: balance + available,
        pendingBalance: (last?.pendingBalance ?? 0) + draft.pending,
        lifetimeEarned: (last?.lifetimeEarned ?? 0) + earned,
        shortfall,
        orderId: draft.orderId,
        eligible: draft.eligible,
        reason: draft.reason,
        source: draft.source,
        staffId: draft.staffId,
        createdAt: now,
      });
      return { entry: created.toObject(), appliedNow: true, rejected: false };
    } catch (error) {
      if (!isDuplicateKey(error)) throw error;
      // Another entry took this seq (or this key): wait a moment, read again.
      await new Promise((resolve) => setTimeout(resolve, Math.random() * Math.min(50, 2 + attempt)));
    }
  }
  throw new Error(`ledger entry ${draft.key} could not be written after ${MAX_ATTEMPTS} attempts (contention)`);
}

/** The points an order's entries have added (positive) and taken back (negative), by balance. */
export async function orderEntries(connection: Connection, shop: string, orderId: string): Promise<LedgerEntry[]> {
  return ledgerEntryModel(connection).find({ shop, orderId }).lean();
}

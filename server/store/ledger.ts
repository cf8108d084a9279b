import { Schema, type Connection, type Model } from 'mongoose';
import { isDuplicateKey, modelOn } from './model.js';

export type EntryType = 'earn' | 'bonus' | 'reverse' | 'release' | 'order_edit' | 'redeem' | 'redeem_refund' | 'adjust' | 'expire';

/** An append-only ledger line. `available`/`pending` are what it asks; `applied*` what it did. */
export interface LedgerEntry {
  shop: string;
  customerId: string;
  key: string;
  type: EntryType;
  available: number;
  pending: number;
  status: 'recorded' | 'applied' | 'rejected';
  guard: BalanceGuard;
  appliedAvailable?: number;
  appliedPending?: number;
  /** Points a stop-at-zero reversal could not take because they were spent. */
  shortfall?: number;
  orderId?: string;
  reason: string;
  source: string;
  staffId?: string;
  createdAt: Date;
}

/** The account: balances as the sum of applied entries, and the keys already applied to it. */
export interface Account {
  shop: string;
  customerId: string;
  available: number;
  pending: number;
  lifetimeEarned: number;
  applied: Array<{ k: string; a: number; p: number }>;
  lastActivityAt: Date;
}

const entrySchema = new Schema<LedgerEntry>(
  {
    shop: { type: String, required: true },
    customerId: { type: String, required: true },
    key: { type: String, required: true },
    type: { type: String, required: true },
    available: { type: Number, required: true },
    pending: { type: Number, required: true },
    status: { type: String, required: true },
    guard: { type: String, required: true },
    appliedAvailable: Number,
    appliedPending: Number,
    shortfall: Number,
    orderId: String,
    reason: { type: String, required: true },
    source: { type: String, required: true },
    staffId: String,
    createdAt: { type: Date, required: true },
  },
  { collection: 'ledger_entries', versionKey: false },
);
entrySchema.index({ shop: 1, key: 1 }, { unique: true });
entrySchema.index({ shop: 1, customerId: 1, createdAt: -1 });
entrySchema.index({ shop: 1, status: 1, createdAt: 1 });

const accountSchema = new Schema<Account>(
  {
    shop: { type: String, required: true },
    customerId: { type: String, required: true },
    available: { type: Number, required: true, default: 0 },
    pending: { type: Number, required: true, default: 0 },
    lifetimeEarned: { type: Number, required: true, default: 0 },
    applied: { type: [{ _id: false, k: String, a: Number, p: Number }], default: [] },
    lastActivityAt: { type: Date, required: true },
  },
  { collection: 'accounts', versionKey: false },
);
accountSchema.index({ shop: 1, customerId: 1 }, { unique: true });
accountSchema.index({ shop: 1, lastActivityAt: 1 });

export function ledgerEntryModel(connection: Connection): Model<LedgerEntry> {
  return modelOn(connection, 'LedgerEntry', entrySchema);
}

export function accountModel(connection: Connection): Model<Account> {
  return modelOn(connection, 'Account', accountSchema);
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
  staffId?: string;
}

/**
 * How an entry meets the balance: `none` applies as asked (a balance may go negative);
 * `require` applies only if the available balance covers it, else the entry is rejected (a
 * redemption); `clamp` takes at most what is available and records the rest as a shortfall.
 */
export type BalanceGuard = 'none' | 'require' | 'clamp';

export interface ApplyResult {
  entry: LedgerEntry;
  /** False when the key had already taken effect (a duplicate or a retry). */
  appliedNow: boolean;
  rejected: boolean;
}

const EARNING_TYPES: ReadonlySet<EntryType> = new Set(['earn', 'bonus']);

/**
 * Applies a ledger entry so that its key takes effect exactly once, with no transaction:
 * 1. insert the entry (unique on shop+key; a duplicate means "recorded before": go on);
 * 2. update the account in one atomic operation guarded by `applied.k != key`, pushing the key
 *    and the amounts applied with the $inc;
 * 3. mark the entry applied, with the amounts read back from the account.
 * A crash between any two steps is repaired by running the same call again (retries, the
 * inbox lease, the recovery job): step 1 finds the entry, step 2 finds the key, step 3 copies.
 */
export async function applyEntry(connection: Connection, draft: EntryDraft, now: Date): Promise<ApplyResult> {
  const entries = ledgerEntryModel(connection);
  const accounts = accountModel(connection);
  try {
    await entries.create({ ...draft, status: 'recorded', createdAt: now });
  } catch (error) {
    if (!isDuplicateKey(error)) throw error;
  }
  const stored = await entries.findOne({ shop: draft.shop, key: draft.key }).lean();
  if (!stored) throw new Error(`ledger entry ${draft.key} vanished`);
  if (stored.status !== 'recorded') return { entry: stored, appliedNow: false, rejected: stored.status === 'rejected' };

  const guard = stored.guard;
  const earned = EARNING_TYPES.has(stored.type) ? Math.max(0, stored.available) + Math.max(0, stored.pending) : 0;
  let appliedNow = false;
  for (let attempt = 0; attempt < 20 && !appliedNow; attempt++) {
    if (await accounts.exists({ shop: stored.shop, customerId: stored.customerId, 'applied.k': stored.key })) break;
    const account = await accounts.findOne({ shop: stored.shop, customerId: stored.customerId }, { available: 1 }).lean();
    let available = stored.available;
    const filter: Record<string, unknown> = { shop: stored.shop, customerId: stored.customerId, 'applied.k': { $ne: stored.key } };
    let upsert = true;
    if (guard === 'require' && available < 0) {
      filter.available = { $gte: -available };
      upsert = false;
    } else if (guard === 'clamp' && available < 0) {
      const current = account?.available ?? 0;
      available = -Math.min(-available, Math.max(0, current));
      if (account) {
        filter.available = current;
        upsert = false;
      }
    }
    const update = {
      $inc: { available, pending: stored.pending, lifetimeEarned: earned },
      $push: { applied: { k: stored.key, a: available, p: stored.pending } },
      $set: { lastActivityAt: now },
    };
    try {
      const result = await accounts.updateOne(filter, update, { upsert });
      appliedNow = result.modifiedCount + result.upsertedCount > 0;
    } catch (error) {
      if (!isDuplicateKey(error)) throw error;
    }
    if (!appliedNow && guard === 'require') {
      const holder = await accounts.exists({ shop: stored.shop, customerId: stored.customerId, 'applied.k': stored.key });
      if (!holder) {
        await entries.updateOne({ shop: stored.shop, key: stored.key, status: 'recorded' }, { $set: { status: 'rejected' } });
        const rejected = await entries.findOne({ shop: stored.shop, key: stored.key }).lean();
        return { entry: rejected ?? stored, appliedNow: false, rejected: true };
      }
    }
  }
  const account = await accounts.findOne({ shop: stored.shop, customerId: stored.customerId, 'applied.k': stored.key }, { applied: 1 }).lean();
  const record = account?.applied.find((applied) => applied.k === stored.key);
  if (!record) throw new Error(`ledger entry ${stored.key} could not be applied (contention)`);
  const shortfall = stored.available < 0 ? record.a - stored.available : 0;
  await entries.updateOne(
    { shop: stored.shop, key: stored.key },
    { $set: { status: 'applied', appliedAvailable: record.a, appliedPending: record.p, ...(shortfall > 0 ? { shortfall } : {}) } },
  );
  const entry = await entries.findOne({ shop: stored.shop, key: stored.key }).lean();
  return { entry: entry ?? stored, appliedNow, rejected: false };
}

export interface Balance {
  available: number;
  pending: number;
  lifetimeEarned: number;
}

export async function balanceOf(connection: Connection, shop: string, customerId: string): Promise<Balance> {
  const account = await accountModel(connection).findOne({ shop, customerId }, { available: 1, pending: 1, lifetimeEarned: 1 }).lean();
  return { available: account?.available ?? 0, pending: account?.pending ?? 0, lifetimeEarned: account?.lifetimeEarned ?? 0 };
}

/** Re-runs entries left `recorded` by a crash (older than `olderThanMs`), so each takes effect. */
export async function recoverRecordedEntries(connection: Connection, shop: string, now: Date, olderThanMs = 60_000): Promise<number> {
  const stuck = await ledgerEntryModel(connection)
    .find({ shop, status: 'recorded', createdAt: { $lt: new Date(now.getTime() - olderThanMs) } })
    .limit(500)
    .lean();
  for (const entry of stuck) await applyEntry(connection, entry, now);
  return stuck.length;
}

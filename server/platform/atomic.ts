import { Schema, Types, type Model, type QueryFilter } from 'mongoose';
import { isDuplicateKey } from './models.js';

/*
 * Every "once" in the app rests on two operations that are atomic on every engine we run:
 * an insert under a unique index, and deleteOne judged by its deletedCount. Nothing here relies on a
 * guarded update or on $inc.
 *
 * FerretDB 1.24 runs deleteOne as a read that evaluates the filter, then a delete by _id. A filter
 * on other fields is therefore judged against a snapshot, and a document deleted and inserted again
 * under the same _id in between would be deleted by a stale caller. So leases and effect claims are
 * keyed by a unique (shop, key) index and every stored instance gets an _id of its own: a stale
 * delete names an instance that no longer exists and deletes nothing.
 */

/** Inserts `doc`; true if this call inserted it, false if its unique key was already taken. */
export async function insertOnce<T>(model: Model<T>, doc: T): Promise<boolean> {
  try {
    await model.create(doc);
    return true;
  } catch (error) {
    if (isDuplicateKey(error)) return false;
    throw error;
  }
}

/**
 * Deletes one document matching `filter`; true for the one caller whose delete removed it.
 * Name the document by an _id that is never reused (see the note at the top of this file).
 */
export async function deleteOnce<T>(model: Model<T>, filter: QueryFilter<T>): Promise<boolean> {
  const result = await model.deleteOne(filter);
  return result.deletedCount === 1;
}

export interface Lease {
  _id: Types.ObjectId;
  shop: string;
  key: string;
  owner: string;
  expiresAt: Date;
}

export function leaseSchema(): Schema<Lease> {
  const schema = new Schema<Lease>(
    {
      shop: { type: String, required: true },
      key: { type: String, required: true },
      owner: { type: String, required: true },
      expiresAt: { type: Date, required: true },
    },
    { versionKey: false },
  );
  schema.index({ shop: 1, key: 1 }, { unique: true });
  return schema;
}

export interface LeaseRequest {
  shop: string;
  key: string;
  /** Names the process (or worker) that will hold the lease; unique per holder. */
  owner: string;
  now: Date;
  ttlMs: number;
}

async function insertLease(model: Model<Lease>, request: LeaseRequest): Promise<Lease | null> {
  const lease: Lease = {
    _id: new Types.ObjectId(),
    shop: request.shop,
    key: request.key,
    owner: request.owner,
    expiresAt: new Date(request.now.getTime() + request.ttlMs),
  };
  return (await insertOnce(model, lease)) ? lease : null;
}

/**
 * Takes the lease (shop, key) for `ttlMs` from `now`, or returns null when someone holds it
 * (the caller included: a holder extends with renewLease). An expired lease is taken over by
 * deleting that exact instance, then inserting a new one; of many takers, one insert wins.
 */
export async function acquireLease(model: Model<Lease>, request: LeaseRequest): Promise<Lease | null> {
  const inserted = await insertLease(model, request);
  if (inserted) return inserted;
  const current = await model.findOne({ shop: request.shop, key: request.key }).lean<Lease>();
  if (!current) return insertLease(model, request);
  if (current.expiresAt.getTime() > request.now.getTime()) return null;
  const removed = await deleteOnce(model, { _id: current._id, owner: current.owner, expiresAt: current.expiresAt });
  return removed ? insertLease(model, request) : null;
}

/** Gives the lease up; only its holder can (a lease taken over since is not touched). */
export async function releaseLease(model: Model<Lease>, lease: Pick<Lease, '_id' | 'owner'>): Promise<boolean> {
  return deleteOnce(model, { _id: lease._id, owner: lease.owner });
}

/**
 * Extends a held lease to `now + ttlMs`: delete this instance, insert a fresh one. Null means the
 * holder lost it (taken over after expiry, or grabbed in the moment between the two writes) and
 * must stop the work it guards.
 */
export async function renewLease(model: Model<Lease>, lease: Lease, now: Date, ttlMs: number): Promise<Lease | null> {
  if (!(await releaseLease(model, lease))) return null;
  return insertLease(model, { shop: lease.shop, key: lease.key, owner: lease.owner, now, ttlMs });
}

export type EffectRecord = Record<string, string | number | boolean | null>;

/**
 * A side effect outside the database (store credit, a discount code) recorded under its business
 * key before the call: `pending` while a holder performs it, `done` once the holder has recorded
 * the outcome.
 */
export interface Effect {
  _id: Types.ObjectId;
  shop: string;
  /** The business key, e.g. the cash back of one order. */
  key: string;
  state: 'pending' | 'done';
  /** 1 for the first holder, one more for each reconciler that took the claim over. */
  attempt: number;
  claimedAt: Date;
  /** What to do, kept so a reconciler can check or redo it without the original request. */
  intent: EffectRecord;
  doneAt: Date | null;
  outcome: EffectRecord | null;
}

export function effectSchema(): Schema<Effect> {
  const schema = new Schema<Effect>(
    {
      shop: { type: String, required: true },
      key: { type: String, required: true },
      state: { type: String, enum: ['pending', 'done'], required: true },
      attempt: { type: Number, required: true },
      claimedAt: { type: Date, required: true },
      intent: { type: Schema.Types.Mixed, required: true },
      doneAt: { type: Date, default: null },
      outcome: { type: Schema.Types.Mixed, default: null },
    },
    { versionKey: false, minimize: false },
  );
  schema.index({ shop: 1, key: 1 }, { unique: true });
  schema.index({ shop: 1, state: 1, claimedAt: 1 });
  return schema;
}

async function insertEffect(
  model: Model<Effect>,
  shop: string,
  key: string,
  intent: EffectRecord,
  attempt: number,
  now: Date,
): Promise<Effect | null> {
  const effect: Effect = { _id: new Types.ObjectId(), shop, key, state: 'pending', attempt, claimedAt: now, intent, doneAt: null, outcome: null };
  return (await insertOnce(model, effect)) ? effect : null;
}

/**
 * Records the intent to perform an effect. The one caller that gets the claim performs it and then
 * calls completeEffect; every other caller gets null (see findEffect for where it stands).
 */
export async function claimEffect(
  model: Model<Effect>,
  claim: { shop: string; key: string; intent: EffectRecord; now: Date },
): Promise<Effect | null> {
  return insertEffect(model, claim.shop, claim.key, claim.intent, 1, claim.now);
}

/**
 * Records that the claim's effect happened. False if the claim was taken over first; a takeover that
 * lands during the update can still answer true on FerretDB (it judges updates on a snapshot), which
 * is harmless because the reconciler asks Shopify before acting.
 */
export async function completeEffect(model: Model<Effect>, claim: Pick<Effect, '_id'>, now: Date, outcome: EffectRecord): Promise<boolean> {
  // A plain update: only the holder writes its instance; a reconciler replaces the instance instead.
  const result = await model.updateOne({ _id: claim._id, state: 'pending' }, { $set: { state: 'done', doneAt: now, outcome } });
  return result.matchedCount === 1;
}

/**
 * Withdraws a pending claim whose effect certainly did not happen (Shopify refused the call), so a
 * later attempt can claim it again.
 */
export async function abandonEffect(model: Model<Effect>, claim: Pick<Effect, '_id'>): Promise<boolean> {
  return deleteOnce(model, { _id: claim._id, state: 'pending' });
}

export async function findEffect(model: Model<Effect>, shop: string, key: string): Promise<Effect | null> {
  return model.findOne({ shop, key }).lean<Effect>();
}

/** Claims of `shop` still pending that were made before `claimedBefore`, oldest first: work for reconciliation. */
export async function listStaleEffects(model: Model<Effect>, shop: string, claimedBefore: Date, limit = 100): Promise<Effect[]> {
  return model
    .find({ shop, state: 'pending', claimedAt: { $lt: claimedBefore } })
    .sort({ claimedAt: 1 })
    .limit(limit)
    .lean<Effect[]>();
}

/**
 * Takes over a stale pending claim for one reconciler: that exact instance is deleted, then the claim
 * is inserted again as the next attempt. The new holder must ask Shopify whether the effect already
 * happened (its holder may have crashed after the call) before doing it, then complete it.
 */
export async function takeOverEffect(model: Model<Effect>, stale: Effect, now: Date): Promise<Effect | null> {
  const removed = await deleteOnce(model, { _id: stale._id, state: 'pending', claimedAt: stale.claimedAt });
  return removed ? insertEffect(model, stale.shop, stale.key, stale.intent, stale.attempt + 1, now) : null;
}

import { Schema, type Connection, type Model } from 'mongoose';
import { isDuplicateKey, modelOn } from '../platform/models.js';
import type { QualifyingEvent } from './rules.js';

export type QualifyingKind = 'order' | 'reversal' | 'adjustment';

/** A qualifying event as stored: inserted once under its business key, never changed. */
export interface StoredQualifyingEvent extends QualifyingEvent {
  /** `${shop}|${key}`: the unique _id makes each event count once. */
  _id: string;
  shop: string;
  customerId: string;
  kind: QualifyingKind;
  recordedAt: Date;
}

/** A tier change: ledger-like, numbered per customer, each written once. */
export interface TierChange {
  /** `${shop}|${customerId}|${seq}`: two writers racing for the same step cannot both land. */
  _id: string;
  shop: string;
  customerId: string;
  seq: number;
  key: string;
  fromTierId: string | null;
  fromName: string | null;
  toTierId: string | null;
  toName: string | null;
  direction: 'up' | 'down' | 'same';
  reason: string;
  at: Date;
}

/**
 * The customer's standing as last evaluated, read by _id. A hint like the ledger's head: it may
 * lag behind the newest change (it is written after it, without a transaction), never lead.
 */
export interface TierState {
  _id: string;
  shop: string;
  customerId: string;
  seq: number;
  tierId: string | null;
  tierName: string | null;
  value: number;
  next: { id: string; name: string; remaining: number } | null;
  retention: { id: string; name: string; remaining: number; by: Date } | null;
  membershipUntil: Date | null;
  /** The standing holds until then unless something new happens; null for ever. */
  validUntil: Date | null;
  programVersion: number;
  evaluatedAt: Date;
  /** The tier last written to the Shopify customer (tag and metafield), and the tag it used. */
  syncedTierId?: string | null;
  syncedTag?: string | null;
  needsSync: boolean;
}

const eventSchema = new Schema<StoredQualifyingEvent>(
  {
    _id: { type: String, required: true },
    shop: { type: String, required: true },
    customerId: { type: String, required: true },
    key: { type: String, required: true },
    kind: { type: String, required: true },
    at: { type: Date, required: true },
    points: { type: Number, required: true },
    spend: { type: Number, required: true },
    orders: { type: Number, required: true },
    orderId: String,
    memberDays: { type: Number, required: true },
    endsMembership: { type: Boolean, required: true },
    recordedAt: { type: Date, required: true },
  },
  { collection: 'tier_qualifying', versionKey: false },
);
eventSchema.index({ shop: 1, customerId: 1, at: 1 });

const changeSchema = new Schema<TierChange>(
  {
    _id: { type: String, required: true },
    shop: { type: String, required: true },
    customerId: { type: String, required: true },
    seq: { type: Number, required: true },
    key: { type: String, required: true },
    fromTierId: { type: String, default: null },
    fromName: { type: String, default: null },
    toTierId: { type: String, default: null },
    toName: { type: String, default: null },
    direction: { type: String, required: true },
    reason: { type: String, required: true },
    at: { type: Date, required: true },
  },
  { collection: 'tier_changes', versionKey: false },
);
changeSchema.index({ shop: 1, key: 1 }, { unique: true });
changeSchema.index({ shop: 1, customerId: 1, seq: -1 });

const stateSchema = new Schema<TierState>(
  {
    _id: { type: String, required: true },
    shop: { type: String, required: true },
    customerId: { type: String, required: true },
    seq: { type: Number, required: true },
    tierId: { type: String, default: null },
    tierName: { type: String, default: null },
    value: { type: Number, required: true },
    next: { type: Schema.Types.Mixed, default: null },
    retention: { type: Schema.Types.Mixed, default: null },
    membershipUntil: { type: Date, default: null },
    validUntil: { type: Date, default: null },
    programVersion: { type: Number, required: true },
    evaluatedAt: { type: Date, required: true },
    syncedTierId: { type: String },
    syncedTag: { type: String },
    needsSync: { type: Boolean, required: true },
  },
  { collection: 'tier_states', versionKey: false, minimize: false },
);
stateSchema.index({ shop: 1, validUntil: 1 });
stateSchema.index({ shop: 1, needsSync: 1 });

export function tierEventModel(connection: Connection): Model<StoredQualifyingEvent> {
  return modelOn(connection, 'TierQualifying', eventSchema);
}

export function tierChangeModel(connection: Connection): Model<TierChange> {
  return modelOn(connection, 'TierChange', changeSchema);
}

export function tierStateModel(connection: Connection): Model<TierState> {
  return modelOn(connection, 'TierState', stateSchema);
}

export const stateId = (shop: string, customerId: string) => `${shop}|${customerId}`;
const changeId = (shop: string, customerId: string, seq: number) => `${shop}|${customerId}|${seq}`;

/** The key of a customer's Nth tier change, unique per shop. */
export const tierChangeKey = (customerId: string, seq: number) => `tier:${customerId}:${seq}`;

/** Records a qualifying event once; false when its key was already recorded. */
export async function recordEventOnce(connection: Connection, event: Omit<StoredQualifyingEvent, '_id'>): Promise<boolean> {
  try {
    await tierEventModel(connection).create({ ...event, _id: `${event.shop}|${event.key}` });
    return true;
  } catch (error) {
    if (isDuplicateKey(error)) return false;
    throw error;
  }
}

/** Inserts events not recorded yet, in one command; returns how many were new. */
export async function recordEventsOnce(connection: Connection, events: Array<Omit<StoredQualifyingEvent, '_id'>>): Promise<number> {
  if (events.length === 0) return 0;
  try {
    const result = await tierEventModel(connection).insertMany(
      events.map((event) => ({ ...event, _id: `${event.shop}|${event.key}` })),
      { ordered: false, rawResult: true },
    );
    return result.insertedCount;
  } catch (error) {
    const writeErrors = (error as { writeErrors?: unknown[] }).writeErrors;
    if (!Array.isArray(writeErrors) || !writeErrors.every(isDuplicateKey)) throw error;
    return events.length - writeErrors.length;
  }
}

export async function eventsOf(connection: Connection, shop: string, customerId: string): Promise<StoredQualifyingEvent[]> {
  return tierEventModel(connection).find({ shop, customerId }).sort({ at: 1 }).lean();
}

export async function eventsOfShop(connection: Connection, shop: string): Promise<StoredQualifyingEvent[]> {
  return tierEventModel(connection).find({ shop }).lean();
}

export async function readState(connection: Connection, shop: string, customerId: string): Promise<TierState | null> {
  return tierStateModel(connection).findById(stateId(shop, customerId)).lean();
}

/** The newest change, stepping forward by _id from the state's hint. */
export async function newestChange(connection: Connection, shop: string, customerId: string, hintSeq: number): Promise<TierChange | null> {
  const changes = tierChangeModel(connection);
  let newest = hintSeq > 0 ? await changes.findById(changeId(shop, customerId, hintSeq)).lean() : null;
  for (let seq = hintSeq + 1; ; seq++) {
    const next = await changes.findById(changeId(shop, customerId, seq)).lean();
    if (!next) return newest;
    newest = next;
  }
}

/** Inserts the change at `seq`; false when another writer took that step first. */
export async function insertChange(connection: Connection, change: Omit<TierChange, '_id' | 'key'>): Promise<boolean> {
  try {
    await tierChangeModel(connection).create({
      ...change,
      _id: changeId(change.shop, change.customerId, change.seq),
      key: tierChangeKey(change.customerId, change.seq),
    });
    return true;
  } catch (error) {
    if (isDuplicateKey(error)) return false;
    throw error;
  }
}

export async function changesOf(connection: Connection, shop: string, customerId: string, limit = 50): Promise<TierChange[]> {
  return tierChangeModel(connection).find({ shop, customerId }).sort({ seq: -1 }).limit(limit).lean();
}

export type StateFields = Omit<TierState, '_id' | 'syncedTierId' | 'syncedTag' | 'needsSync'>;

const needsSync = (synced: string | null | undefined, tierId: string | null) => (synced === undefined ? tierId !== null : synced !== tierId);

/** Writes the evaluated standing of a customer whose stored state (and its synced tier) was just read. */
export async function writeKnownState(connection: Connection, state: StateFields, synced: string | null | undefined): Promise<void> {
  try {
    await tierStateModel(connection).updateOne(
      { _id: stateId(state.shop, state.customerId) },
      { $set: { ...state, needsSync: needsSync(synced, state.tierId) } },
      { upsert: true },
    );
  } catch (error) {
    // Two first writes raced on the upsert: the one that reads first writes again.
    if (!isDuplicateKey(error)) throw error;
    await writeState(connection, state);
  }
}

/** The stored standings of some customers, by customer id. */
export async function statesOf(connection: Connection, shop: string, customerIds: string[]): Promise<Map<string, TierState>> {
  const states = await tierStateModel(connection)
    .find({ _id: { $in: customerIds.map((customerId) => stateId(shop, customerId)) } })
    .lean();
  return new Map(states.map((state) => [state.customerId, state]));
}

/** The qualifying events of some customers, oldest first, by customer id. */
export async function eventsOfCustomers(connection: Connection, shop: string, customerIds: string[]): Promise<Map<string, StoredQualifyingEvent[]>> {
  const byCustomer = new Map<string, StoredQualifyingEvent[]>();
  for (const event of await tierEventModel(connection)
    .find({ shop, customerId: { $in: customerIds } })
    .sort({ at: 1 })
    .lean())
    byCustomer.set(event.customerId, [...(byCustomer.get(event.customerId) ?? []), event]);
  return byCustomer;
}

/** The changes at the given steps, by `customerId|seq` (a step missing from the map has none). */
export async function changesAtSteps(
  connection: Connection,
  shop: string,
  steps: Array<{ customerId: string; seq: number }>,
): Promise<Map<string, TierChange>> {
  const changes = await tierChangeModel(connection)
    .find({ _id: { $in: steps.map((step) => changeId(shop, step.customerId, step.seq)) } })
    .lean();
  return new Map(changes.map((change) => [`${change.customerId}|${change.seq}`, change]));
}

/** Writes the evaluated standing; a tier that differs from what Shopify has is marked for syncing. */
export async function writeState(connection: Connection, state: StateFields): Promise<void> {
  const states = tierStateModel(connection);
  const id = stateId(state.shop, state.customerId);
  for (let attempt = 0; attempt < 2; attempt++) {
    const synced = (await states.findById(id, { syncedTierId: 1 }).lean())?.syncedTierId;
    try {
      await states.updateOne({ _id: id }, { $set: { ...state, needsSync: needsSync(synced, state.tierId) } }, { upsert: true });
      return;
    } catch (error) {
      // Two first writes raced on the upsert: the second one updates.
      if (!isDuplicateKey(error)) throw error;
    }
  }
}

/** States the job must look at: stale standings, another program version, or a tier Shopify does not have yet. */
export async function statesToRevisit(connection: Connection, shop: string, programVersion: number, now: Date): Promise<TierState[]> {
  return tierStateModel(connection)
    .find({ shop, $or: [{ validUntil: { $lte: now } }, { programVersion: { $ne: programVersion } }, { needsSync: true }] })
    .lean();
}

/** Marks the state synced to `tierId` unless it has moved on meanwhile (then the next run syncs again). */
export async function markSynced(connection: Connection, shop: string, customerId: string, tierId: string | null, tag: string | null): Promise<void> {
  await tierStateModel(connection).updateOne(
    { _id: stateId(shop, customerId), tierId },
    { $set: { syncedTierId: tierId, syncedTag: tag, needsSync: false } },
  );
}

/** Customers whose last evaluated standing holds one of `tierIds`, or a membership running at `memberAt` (null: none asked). */
export async function customersHolding(connection: Connection, shop: string, tierIds: string[], memberAt: Date | null): Promise<string[]> {
  const holding = [{ tierId: { $in: tierIds } }, ...(memberAt ? [{ membershipUntil: { $gt: memberAt } }] : [])];
  const states = await tierStateModel(connection).find({ shop, $or: holding }, { _id: 0, customerId: 1 }).lean();
  return states.map((state) => state.customerId);
}

/** A finished backfill of a shop's qualifying history under one program version (`_id = shop|version`). */
export interface TierBackfill {
  _id: string;
  shop: string;
  programVersion: number;
  events: number;
  customers: number;
  finishedAt: Date;
}

const backfillSchema = new Schema<TierBackfill>(
  {
    _id: { type: String, required: true },
    shop: { type: String, required: true },
    programVersion: { type: Number, required: true },
    events: { type: Number, required: true },
    customers: { type: Number, required: true },
    finishedAt: { type: Date, required: true },
  },
  { collection: 'tier_backfills', versionKey: false },
);
backfillSchema.index({ shop: 1, programVersion: 1 });

export function tierBackfillModel(connection: Connection): Model<TierBackfill> {
  return modelOn(connection, 'TierBackfill', backfillSchema);
}

const backfillId = (shop: string, programVersion: number) => `${shop}|${programVersion}`;

export async function backfillDone(connection: Connection, shop: string, programVersion: number): Promise<boolean> {
  return (await tierBackfillModel(connection).findById(backfillId(shop, programVersion), { _id: 1 }).lean()) !== null;
}

/** Records the backfill as finished; a second run of the same version finds it and stops (a duplicate is no error). */
export async function recordBackfill(connection: Connection, backfill: Omit<TierBackfill, '_id'>): Promise<void> {
  try {
    await tierBackfillModel(connection).create({ ...backfill, _id: backfillId(backfill.shop, backfill.programVersion) });
  } catch (error) {
    if (!isDuplicateKey(error)) throw error;
  }
}

/** How far the tiers have counted a shop's credited orders (the order records' `creditedAt`). */
interface TierCursor {
  _id: string;
  shop: string;
  at: Date;
}

const cursorSchema = new Schema<TierCursor>(
  { _id: { type: String, required: true }, shop: { type: String, required: true }, at: { type: Date, required: true } },
  { collection: 'tier_cursors', versionKey: false },
);

export function tierCursorModel(connection: Connection): Model<TierCursor> {
  return modelOn(connection, 'TierCursor', cursorSchema);
}

export async function readTierCursor(connection: Connection, shop: string): Promise<Date | null> {
  return (await tierCursorModel(connection).findById(shop).lean<TierCursor>())?.at ?? null;
}

/** Batches of several processes may overlap: a cursor moved back a little only makes the next batch read again what it has counted. */
export async function moveTierCursor(connection: Connection, shop: string, at: Date): Promise<void> {
  await tierCursorModel(connection).updateOne({ _id: shop }, { $set: { shop, at } }, { upsert: true });
}

/** The keys among `keys` already recorded as qualifying events. */
export async function recordedEventKeys(connection: Connection, shop: string, keys: string[]): Promise<Set<string>> {
  if (keys.length === 0) return new Set();
  const found = await tierEventModel(connection)
    .find({ shop, _id: { $in: keys.map((key) => `${shop}|${key}`) } }, { key: 1 })
    .lean();
  return new Set(found.map((event) => event.key));
}

/** Tier changes (up or down) at or after `from`, in (at, _id) order, `skip` passed over. */
export async function tierChangesSince(connection: Connection, shop: string, from: Date, skip: number, limit: number): Promise<TierChange[]> {
  return tierChangeModel(connection)
    .find({ shop, at: { $gte: from }, direction: { $ne: 'same' } })
    .sort({ at: 1, _id: 1 })
    .skip(skip)
    .limit(limit)
    .lean<TierChange[]>();
}

import { Schema, type Connection, type Model, type Types } from 'mongoose';
import { deleteOnce, leaseSchema, type Lease } from '../platform/atomic.js';
import { isDuplicateKey, modelOn } from '../platform/models.js';

export type InboxStatus = 'pending' | 'processing' | 'processed' | 'skipped' | 'failed';

/**
 * One webhook delivery, stored in the inbox before Shopify is answered. The body is the payload as
 * checked by the route, without the personal fields no handler reads (numbers exactly as Shopify
 * wrote them); `availableAt` is when a worker may claim it next: at once,
 * after a retry's backoff, or when a crashed worker's lease runs out.
 */
export interface InboxEntry {
  shop: string;
  eventId: string;
  webhookId: string;
  topic: string;
  apiVersion: string;
  triggeredAt: Date | null;
  receivedAt: Date;
  /** Manual retries from the activity page: each starts a new round of attempts. */
  retries?: number;
  /** The customer the payload names, so customers/redact can scrub the stored body. */
  customerId?: string;
  body: string;
  status: InboxStatus;
  attempts: number;
  availableAt: Date;
  leaseOwner?: string;
  outcome?: string;
  lastError?: string;
  finishedAt?: Date;
}

const inboxSchema = new Schema<InboxEntry>(
  {
    shop: { type: String, required: true },
    eventId: { type: String, required: true },
    webhookId: { type: String, required: true },
    topic: { type: String, required: true },
    apiVersion: { type: String, required: true },
    triggeredAt: { type: Date, default: null },
    receivedAt: { type: Date, required: true },
    customerId: String,
    body: { type: String, required: true },
    status: { type: String, required: true },
    attempts: { type: Number, required: true },
    retries: Number,
    availableAt: { type: Date, required: true },
    leaseOwner: String,
    outcome: String,
    lastError: String,
    finishedAt: Date,
  },
  { collection: 'webhook_inbox', versionKey: false },
);
inboxSchema.index({ shop: 1, eventId: 1 }, { unique: true });
inboxSchema.index({ shop: 1, status: 1, receivedAt: -1 });
// The worker's claim is the one query across shops: it looks for due work in any shop.
inboxSchema.index({ status: 1, availableAt: 1 });

export function inboxModel(connection: Connection): Model<InboxEntry> {
  return modelOn(connection, 'InboxEntry', inboxSchema);
}

/**
 * Entries in one of `statuses` whose `availableAt` has come, oldest first, at most `limit`. One
 * query per status: an equality FerretDB pushes down to PostgreSQL's index, where `$in` scans the inbox.
 */
export async function dueEntries(
  connection: Connection,
  statuses: readonly InboxStatus[],
  now: Date,
  limit: number,
): Promise<Array<InboxEntry & { _id: Types.ObjectId }>> {
  const inbox = inboxModel(connection);
  const found = await Promise.all(
    statuses.map((status) =>
      inbox
        .find({ status, availableAt: { $lte: now } })
        .sort({ availableAt: 1 })
        .limit(limit)
        .lean<Array<InboxEntry & { _id: Types.ObjectId }>>(),
    ),
  );
  return found
    .flat()
    .sort((a, b) => a.availableAt.getTime() - b.availableAt.getTime())
    .slice(0, limit);
}

/**
 * Finished deliveries (processed, skipped, failed) move from the inbox to this log, so the inbox
 * the workers query holds only work still to do and stays small however many webhooks arrive.
 */
export function webhookLogModel(connection: Connection): Model<InboxEntry> {
  return modelOn(connection, 'WebhookLog', inboxSchema.clone().set('collection', 'webhook_log'));
}

/** A delivery wherever it is now: still in the inbox, or finished in the log. */
export async function findDelivery(connection: Connection, shop: string, eventId: string): Promise<InboxEntry | null> {
  return (await webhookLogModel(connection).findOne({ shop, eventId }).lean()) ?? (await inboxModel(connection).findOne({ shop, eventId }).lean());
}

/**
 * How long a delivery stays in the inbox after it finished, so that a replay of its event id is
 * recognised by the inbox's unique (shop, event id): Shopify retries a failed delivery 8 times over
 * 4 hours and sends compliance requests within 48 hours; a week also covers redeliveries asked for
 * by hand. After that `moveFinished` takes it to the log.
 */
export const REPLAY_HORIZON_MS = 7 * 86_400_000;
const FINISHED: InboxStatus[] = ['processed', 'skipped', 'failed'];

/** Moves deliveries finished before the replay horizon from the inbox to the log, a batch at a time. */
export async function moveFinished(connection: Connection, now: Date, batch = 500): Promise<number> {
  const inbox = inboxModel(connection);
  const done = await inbox
    .find({ status: { $in: FINISHED }, finishedAt: { $lt: new Date(now.getTime() - REPLAY_HORIZON_MS) } })
    .limit(batch)
    .lean();
  if (done.length === 0) return 0;
  // Into the log first, then out of the inbox: a crash in between leaves a delivery in both, never in neither.
  await webhookLogModel(connection)
    .insertMany(done, { ordered: false })
    .catch((error: unknown) => {
      if (!isDuplicateKey(error) && !(typeof error === 'object' && error !== null && 'writeErrors' in error)) throw error;
    });
  await inbox.deleteMany({ _id: { $in: done.map((entry) => entry._id) } });
  return done.length;
}

/** Workers' claims on inbox entries, one per (entry, attempt) (platform/atomic.ts leases). */
export function inboxClaimModel(connection: Connection): Model<Lease> {
  return modelOn(connection, 'InboxClaim', leaseSchema().set('collection', 'inbox_claims'));
}

/** Claims of finished work, kept a day for the record; lease documents are never reused. */
export async function forgetClaimsBefore(connection: Connection, shop: string, cutoff: Date): Promise<number> {
  return (await inboxClaimModel(connection).deleteMany({ shop, expiresAt: { $lt: cutoff } })).deletedCount;
}

/**
 * A worker's heartbeat: the one process-level document of the app (it belongs to no shop). A live
 * worker moves `expiresAt` forward every few seconds; once it has passed, the worker's process is
 * taken for dead and its deliveries are claimed elsewhere. Only the worker itself writes it.
 */
export interface WorkerHeartbeat {
  _id: string;
  expiresAt: Date;
}

const heartbeatSchema = new Schema<WorkerHeartbeat>(
  { _id: { type: String, required: true }, expiresAt: { type: Date, required: true } },
  { collection: 'inbox_workers', versionKey: false },
);
heartbeatSchema.index({ expiresAt: 1 });

export function workerHeartbeatModel(connection: Connection): Model<WorkerHeartbeat> {
  return modelOn(connection, 'InboxWorkerHeartbeat', heartbeatSchema);
}

/** Records that worker `owner` is alive until `until` (an earlier time stops it at once). */
export async function beat(connection: Connection, owner: string, until: Date): Promise<void> {
  await workerHeartbeatModel(connection).updateOne({ _id: owner }, { $set: { expiresAt: until } }, { upsert: true });
}

/**
 * Deliveries still held by a worker whose heartbeat stopped before `now` (its process was killed),
 * at most `limit`; a dead worker that holds nothing more is forgotten. `self` is the asking worker,
 * never its own orphan (its beats may lag behind a database outage).
 */
export async function orphanedEntries(
  connection: Connection,
  self: string,
  now: Date,
  limit: number,
): Promise<Array<InboxEntry & { _id: Types.ObjectId }>> {
  const heartbeats = workerHeartbeatModel(connection);
  for (const dead of await heartbeats
    .find({ expiresAt: { $lt: now }, _id: { $ne: self } })
    .limit(4)
    .lean()) {
    const held = await inboxModel(connection)
      .find({ status: 'processing', leaseOwner: dead._id })
      .limit(limit)
      .lean<Array<InboxEntry & { _id: Types.ObjectId }>>();
    if (held.length > 0) return held;
    await deleteOnce(heartbeats, { _id: dead._id, expiresAt: dead.expiresAt });
  }
  return [];
}

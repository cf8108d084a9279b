import { Schema, type Connection, type Model } from 'mongoose';
import { leaseSchema, type Lease } from '../platform/atomic.js';
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
 * Whether a delivery of this event is stored. The inbox is read before the log: the worker writes a
 * finished delivery to the log before it deletes it from the inbox, so one of the two reads finds it.
 */
export async function isStored(connection: Connection, shop: string, eventId: string): Promise<boolean> {
  return Boolean((await inboxModel(connection).exists({ shop, eventId })) ?? (await webhookLogModel(connection).exists({ shop, eventId })));
}

/**
 * An event id the app received, kept after its delivery left the inbox so that a replay is
 * recognised: one small document per event, `_id` = `${shop}|${eventId}`, inserted under the unique
 * `_id` (atomic on every engine we run). Old ones are removed by `forgetSeenEventsBefore`.
 */
export interface SeenEvent {
  _id: string;
  shop: string;
  eventId: string;
  seenAt: Date;
}

/**
 * How long event ids are kept: Shopify retries a failed delivery 8 times over 4 hours and sends
 * compliance requests within 48 hours; a week also covers redeliveries asked for by hand.
 */
export const SEEN_EVENT_RETENTION_MS = 7 * 86_400_000;

const seenEventSchema = new Schema<SeenEvent>(
  {
    _id: { type: String, required: true },
    shop: { type: String, required: true },
    eventId: { type: String, required: true },
    seenAt: { type: Date, required: true },
  },
  { collection: 'webhook_seen_events', versionKey: false },
);
// The clean-up job's query is across shops, by age.
seenEventSchema.index({ seenAt: 1 });
seenEventSchema.index({ shop: 1 });

export function seenEventModel(connection: Connection): Model<SeenEvent> {
  return modelOn(connection, 'SeenEvent', seenEventSchema);
}

export function seenEventKey(shop: string, eventId: string): string {
  return `${shop}|${eventId}`;
}

/** Records the event as received; false when it already was (a duplicate or a replay). */
export async function markEventSeen(connection: Connection, shop: string, eventId: string, now: Date): Promise<boolean> {
  try {
    await seenEventModel(connection).create({ _id: seenEventKey(shop, eventId), shop, eventId, seenAt: now });
    return true;
  } catch (error) {
    if (isDuplicateKey(error)) return false;
    throw error;
  }
}

/** Forgets the shop's event ids received before `cutoff` (a daily job; `SEEN_EVENT_RETENTION_MS` says how far back to keep). */
export async function forgetSeenEventsBefore(connection: Connection, shop: string, cutoff: Date): Promise<number> {
  return (await seenEventModel(connection).deleteMany({ shop, seenAt: { $lt: cutoff } })).deletedCount;
}

/** Workers' claims on inbox entries, one per (entry, attempt) (platform/atomic.ts leases). */
export function inboxClaimModel(connection: Connection): Model<Lease> {
  return modelOn(connection, 'InboxClaim', leaseSchema().set('collection', 'inbox_claims'));
}

/** Claims of finished work, kept a day for the record; lease documents are never reused. */
export async function forgetClaimsBefore(connection: Connection, shop: string, cutoff: Date): Promise<number> {
  return (await inboxClaimModel(connection).deleteMany({ shop, expiresAt: { $lt: cutoff } })).deletedCount;
}

import { Schema, type Connection, type Model } from 'mongoose';
import { modelOn } from '../platform/models.js';

export type InboxStatus = 'pending' | 'processing' | 'processed' | 'skipped' | 'failed';

/**
 * One webhook delivery, stored in the inbox before Shopify is answered. The raw body is kept as received
 * (the HMAC was computed over it); `availableAt` is when a worker may claim it next: at once,
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

import { inboxClaimModel, inboxModel, webhookLogModel, workerHeartbeatModel } from './store.js';
import { collectionsOf } from '../platform/models.js';
export { ackGate, type AckGate } from './ack-gate.js';
export { inboxJobs } from './jobs.js';
export { WEBHOOK_BODY_LIMIT, validWebhookHmac, webhooksRouter } from './routes.js';
export {
  deleteShopDeliveries,
  EXPIRED_BODY,
  expireLoggedDeliveries,
  findDelivery,
  findFailedDelivery,
  INBOX_COLLECTION,
  moveFinished,
  recentDeliveries,
  redactCustomerDeliveries,
  REPLAY_HORIZON_MS,
  retryFailedDelivery,
  type DeliverySummary,
  type InboxEntry,
  type InboxStatus,
} from './store.js';
export { CHECKED_TOPICS, COMPLIANCE_TOPICS } from './webhook-payloads.js';
export { DEFAULT_MAX_ATTEMPTS, retryDelayMs, startInboxWorker, type InboxWorker, type InboxWorkerOptions } from './worker.js';

/** inbox's collections, each declaring its indexes, registered on a connection (server/indexes.ts creates them). */
export const inboxCollections = collectionsOf(inboxModel, inboxClaimModel, webhookLogModel, workerHeartbeatModel);

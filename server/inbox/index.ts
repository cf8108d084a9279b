import { inboxClaimModel, inboxModel, webhookLogModel, workerHeartbeatModel } from './store.js';
export { ackGate, type AckGate } from './ack-gate.js';
export { inboxJobs } from './jobs.js';
export { WEBHOOK_BODY_LIMIT, validWebhookHmac, webhooksRouter } from './routes.js';
export { findDelivery, inboxModel, moveFinished, REPLAY_HORIZON_MS, webhookLogModel, type InboxEntry, type InboxStatus } from './store.js';
export { CHECKED_TOPICS, COMPLIANCE_TOPICS } from './webhook-payloads.js';
export { DEFAULT_MAX_ATTEMPTS, retryDelayMs, startInboxWorker, type InboxWorker, type InboxWorkerOptions } from './worker.js';

/** inbox's collections, each declaring its indexes (server/indexes.ts creates them). */
export const inboxCollections = [inboxModel, inboxClaimModel, webhookLogModel, workerHeartbeatModel];

export { ackGate, type AckGate } from './ack-gate.js';
export { inboxJobs } from './jobs.js';
export { WEBHOOK_BODY_LIMIT, validWebhookHmac, webhooksRouter } from './routes.js';
export {
  findDelivery,
  inboxClaimModel,
  inboxModel,
  moveFinished,
  REPLAY_HORIZON_MS,
  webhookLogModel,
  type InboxEntry,
  type InboxStatus,
} from './store.js';
export { CHECKED_TOPICS, COMPLIANCE_TOPICS } from './webhook-payloads.js';
export { DEFAULT_MAX_ATTEMPTS, retryDelayMs, startInboxWorker, type InboxWorker, type InboxWorkerOptions } from './worker.js';

export { ackGate, type AckGate } from './ack-gate.js';
export { activityRouter } from './activity-routes.js';
export { WEBHOOK_BODY_LIMIT, validWebhookHmac, webhooksRouter } from './routes.js';
export { findDelivery, inboxModel, webhookLogModel, type InboxEntry, type InboxStatus } from './store.js';
export { PermanentFailure, type HandlerOutcome, type TopicHandler, type WebhookDelivery } from './topics.js';
export { DEFAULT_MAX_ATTEMPTS, retryDelayMs, startInboxWorker, type InboxWorker, type InboxWorkerOptions } from './worker.js';

import type { TopicHandler } from '../topics.js';
import { complianceTopicHandlers } from './compliance.js';
import { lifecycleTopicHandlers } from './lifecycle.js';
import { orderTopicHandlers } from './orders.js';

/** Every webhook topic the app acts on; a topic without a handler is recorded as skipped. */
export const topicHandlers: Record<string, TopicHandler> = {
  ...lifecycleTopicHandlers,
  ...complianceTopicHandlers,
  ...orderTopicHandlers,
};

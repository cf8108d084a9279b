import type { TopicHandler } from './inbox/index.js';
import { complianceTopicHandlers } from './compliance/index.js';
import { customerTopicHandlers } from './customers/index.js';
import { orderTopicHandlers } from './earning/index.js';
import { shopTopicHandlers } from './shops/index.js';

/** Every webhook topic the app acts on; a topic without a handler is recorded as skipped. */
export const topicHandlers: Record<string, TopicHandler> = {
  ...shopTopicHandlers,
  ...customerTopicHandlers,
  ...complianceTopicHandlers,
  ...orderTopicHandlers,
};

import type { TopicHandler } from '../inbox/index.js';
import { customerTopicHandlers as profileTopicHandlers } from './handlers.js';
import { tagTopicHandlers } from './tags.js';

export { parseTags } from './handlers.js';
export { customersRouter } from './routes.js';
export { customerTagsFor } from './tags.js';
export { customerModel, customerProfileOf, PERSONAL_FIELDS, searchCustomers, type CustomerMatch, type CustomerProfile } from './store.js';

export const customerTopicHandlers: Record<string, TopicHandler> = { ...profileTopicHandlers, ...tagTopicHandlers };

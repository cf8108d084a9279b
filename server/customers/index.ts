import { customerModel } from './store.js';
import type { TopicHandler } from '../platform/topic-handlers.js';
import { customerTopicHandlers as profileTopicHandlers } from './handlers.js';
import { tagTopicHandlers } from './tags.js';

export { parseTags } from './handlers.js';
export { customerTagsFor } from './tags.js';
export {
  customerProfileOf,
  findProfile,
  hasProfile,
  PERSONAL_FIELDS,
  profileIds,
  profilesWithEmails,
  searchCustomers,
  verifiedProfiles,
  type CustomerMatch,
  type CustomerProfile,
} from './store.js';

export const customerTopicHandlers: Record<string, TopicHandler> = { ...profileTopicHandlers, ...tagTopicHandlers };

/** customers's collections, each declaring its indexes (server/indexes.ts creates them). */
export const customersCollections = [customerModel];

import { posModels } from './store.js';
import { collectionsOf } from '../platform/models.js';
export { forgetCancelledGuestSale, recordGuestSale } from './handlers.js';
export { posAdminRouter, posRequests, posRouter, STAFF_MEMBER_HEADER } from './routes.js';

/** pos's collections, each declaring its indexes, registered on a connection (server/indexes.ts creates them). */
export const posCollections = collectionsOf(...posModels);

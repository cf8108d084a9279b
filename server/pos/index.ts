import { posModels } from './store.js';
export { forgetCancelledGuestSale, recordGuestSale } from './handlers.js';
export { posAdminRouter, posRequests, posRouter, STAFF_MEMBER_HEADER } from './routes.js';

/** pos's collections, each declaring its indexes (server/indexes.ts creates them). */
export const posCollections = posModels;

import { heldPointsSnapshotModel } from './stats-store.js';
export { activityRouter, DELIVERY_STATUSES } from './activity-routes.js';
export { customerRequests, customersRouter } from './customers-routes.js';
export { programRouter } from './program-routes.js';
export { statsRouter } from './stats-routes.js';

/** admin's collections, each declaring its indexes (server/indexes.ts creates them). */
export const adminCollections = [heldPointsSnapshotModel];

export { activityRouter } from './activity-routes.js';
export { customerRequests, customersRouter } from './customers-routes.js';
export { programRouter } from './program-routes.js';
export { statsRouter } from './stats-routes.js';
export { heldPointsSnapshotModel } from './stats-store.js';

export { activityRouter, DELIVERY_STATUSES } from './activity-routes.js';
export { customerRequests, customersRouter } from './customers-routes.js';
export { programRouter } from './program-routes.js';

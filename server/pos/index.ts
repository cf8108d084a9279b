export { forgetCancelledGuestSale, recordGuestSale } from './handlers.js';
export { posAdminRouter, posRouter, STAFF_MEMBER_HEADER } from './routes.js';
export { posModels } from './store.js';

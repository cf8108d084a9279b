export { customerTopicHandlers, parseTags } from './handlers.js';
export { customersRouter } from './routes.js';
export { customerModel, PERSONAL_FIELDS, type CustomerProfile } from './store.js';

export { ADMIN_DIST, adminUiRouter } from './routes.js';
export { faviconRouter } from './favicon.js';

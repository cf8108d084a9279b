export { ADMIN_DIST, AUTH_CALLBACK_PATH, adminUiRouter } from './routes.js';
export { faviconRouter } from './favicon.js';

export { ADMIN_DIST, adminUiRouter } from './routes.js';

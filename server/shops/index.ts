export { adminClientFor } from './admin-client.js';
export { apiRouter } from './admin-api.js';
export { shopTopicHandlers } from './handlers.js';
export { shopInstaller, type InstalledShop, type InstallHook } from './install.js';
export { installedShops, markUninstalled, offlineAccessToken, shopModel, type Shop } from './store.js';

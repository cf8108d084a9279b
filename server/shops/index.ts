export { adminClientFor } from './admin-client.js';
export { apiRouter, bearerToken } from './admin-api.js';
export { rememberStaff, staffMemberModel, staffNames, type StaffMember } from './staff.js';
export { shopTopicHandlers } from './handlers.js';
export { shopInstaller, type InstalledShop, type InstallHook } from './install.js';
export { hasOfflineToken, installedShops, isInstalled, markUninstalled, offlineAccessToken, shopIdOf, shopModel, type Shop } from './store.js';
export { tokenCipher, tokenCipherFor, tokenKeyId, TokenDecryptionError, type TokenCipher } from './token-cipher.js';

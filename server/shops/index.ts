import { staffMemberModel } from './staff.js';
import { shopModel } from './store.js';
export { adminClientFor } from './admin-client.js';
export { apiRouter, bearerToken } from './admin-api.js';
export { rememberStaff, staffNames, type StaffMember } from './staff.js';
export { shopTopicHandlers } from './handlers.js';
export { shopInstaller, type InstalledShop, type InstallHook } from './install.js';
export { hasOfflineToken, installedShops, isInstalled, markUninstalled, offlineAccessToken, shopIdOf, type Shop } from './store.js';
export { tokenCipher, tokenCipherFor, tokenKeyId, TokenDecryptionError, type TokenCipher } from './token-cipher.js';

/** shops's collections, each declaring its indexes (server/indexes.ts creates them). */
export const shopsCollections = [shopModel, staffMemberModel];

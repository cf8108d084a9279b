import { groupModels } from './store.js';
export { linkedAccounts, sharedAvailable, sharedBalance, type Account, type ShopperGroup } from './accounts.js';
export { groupJobs } from './jobs.js';
export { GroupRefused, membershipOf, type Membership } from './membership.js';
export { completeGroupMoves, gatherPoints, type GatherRequest, type MoveFaults } from './moves.js';
export { groupReport, type GroupReport, type ShopShare } from './report.js';
export { groupProxyRouter, groupRequests, groupsRouter } from './routes.js';
export { confirmLink, issueLinkCode, LINK_ATTEMPTS_PER_HOUR, LINK_CODE_TTL_MS, unlinkAccount } from './links.js';

/** groups's collections, each declaring its indexes (server/indexes.ts creates them). */
export const groupsCollections = groupModels;

import { groupModels } from './store.js';
export { linkedAccounts, sharedAvailable, type Account } from './accounts.js';
export { groupJobs } from './jobs.js';
export { GroupRefused, membershipOf, type Membership } from './membership.js';
export { completeGroupMoves, gatherPoints, type GatherRequest, type MoveFaults } from './moves.js';
export { groupReport, type GroupReport, type ShopShare } from './report.js';
export { groupRequests, groupsRouter } from './routes.js';
export { groupInviteModel, groupMemberModel, groupMoveModel, programGroupModel } from './store.js';

/** groups's collections, each declaring its indexes (server/indexes.ts creates them). */
export const groupsCollections = groupModels;

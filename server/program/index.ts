import { programModel } from './store.js';
export { programEconomics, type Economics, type RecentOrders } from './economics.js';
export { fixedRewardValue, pointValueOf, valueOf, type PointValue } from './point-value.js';
export * from './program.js';
export { ensureDefaultProgram, loadProgram, saveProgram, type SaveResult } from './store.js';

/** program's collections, each declaring its indexes (server/indexes.ts creates them). */
export const programCollections = [programModel];

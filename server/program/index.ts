export { programEconomics, type Economics, type RecentOrders } from './economics.js';
export * from './program.js';
export { programRouter } from './routes.js';
export { statsRouter } from './stats-routes.js';
export { heldPointsSnapshotModel } from './stats-store.js';
export { ensureDefaultProgram, loadProgram, programModel, saveProgram, type SaveResult } from './store.js';

export { programEconomics, type Economics, type RecentOrders } from './economics.js';
export { fixedRewardValue, pointValueOf, valueOf, type PointValue } from './point-value.js';
export * from './program.js';
export { programRouter } from './routes.js';
export { ensureDefaultProgram, loadProgram, programModel, saveProgram, type SaveResult } from './store.js';

export { programEconomics, type Economics, type RecentOrders } from './economics.js';
export * from './program.js';
export { ensureDefaultProgram, loadProgram, programModel, saveProgram, type SaveResult } from './store.js';

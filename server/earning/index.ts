export { orderTopicHandlers } from './handlers.js';
export * from './rules.js';
export { findOrderPoints, heldReversalModel, orderPointsModel, type OrderPoints } from './store.js';

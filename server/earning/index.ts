export { CASH_BACK_STALE_MS, earningJobs, reconcileCashBack } from './cash-back.js';
export { orderTopicHandlers } from './handlers.js';
export { noteAttribute, orderFacts, parseOrder } from './order-payload.js';
export * from './reversal.js';
export * from './rules.js';
export {
  cashBackEffectModel,
  eligibleSince,
  findOrderPoints,
  heldReversalModel,
  ordersDueForRelease,
  orderPointsModel,
  type OrderPoints,
} from './store.js';

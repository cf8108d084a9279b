export { CASH_BACK_STALE_MS, reconcileCashBack } from './cash-back.js';
export * from './expiry.js';
export { earningJobs, expireInactivePoints, releasePendingPoints } from './points-jobs.js';
export { expiryReminderModel, remindersSince, type ExpiryReminder } from './reminders.js';
export type { HoldSettlement, OrderCredited, OrderReversed } from './events.js';
export { orderTopicHandlers } from './handlers.js';
export { notEarningReason, noteAttribute, orderFacts, parseOrder } from './order-payload.js';
export * from './reversal.js';
export * from './rules.js';
export {
  cashBackEffectModel,
  creditedOrdersBetween,
  creditedOrdersOf,
  eligibleSince,
  firstCreditedAt,
  findOrderPoints,
  heldReversalModel,
  ordersDueForRelease,
  orderPointsModel,
  orderRecordsSince,
  creditedSince,
  recordOrderOnce,
  type CreditedOrder,
  type OrderPoints,
} from './store.js';

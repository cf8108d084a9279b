import { expiryReminderModel } from './reminders.js';
import { cashBackEffectModel, heldReversalModel, orderPointsModel } from './store.js';
export { CASH_BACK_STALE_MS, reconcileCashBack } from './cash-back.js';
export * from './expiry.js';
export { earningJobs, expireInactivePoints, releasePendingPoints } from './points-jobs.js';
export { remindersSince, type ExpiryReminder } from './reminders.js';
export type { HoldSettlement, OrderCredited, OrderReversed } from './events.js';
export { orderTopicHandlers } from './handlers.js';
export { notEarningReason, noteAttribute, orderFacts, parseOrder } from './order-payload.js';
export * from './reversal.js';
export * from './rules.js';
export {
  creditedOrdersBetween,
  creditedOrdersOf,
  eligibleSince,
  firstCreditedAt,
  findOrderPoints,
  ordersDueForRelease,
  orderRecordsSince,
  creditedSince,
  recordOrderOnce,
  type CreditedOrder,
  type OrderPoints,
} from './store.js';

/** earning's collections, each declaring its indexes (server/indexes.ts creates them). */
export const earningCollections = [orderPointsModel, heldReversalModel, cashBackEffectModel, expiryReminderModel];

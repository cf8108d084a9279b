import { expiryReminderModel } from './reminders.js';
import { cashBackEffectModel, heldReversalModel, orderPointsModel, orderRefundModel } from './store.js';
export { CASH_BACK_STALE_MS, reconcileCashBack } from './cash-back.js';
export * from './expiry.js';
export { earningJobs, expireInactivePoints, releasePendingPoints } from './points-jobs.js';
export { remindersSince, type ExpiryReminder } from './reminders.js';
export type { HoldSettlement, OrderCredited, OrderReversed, UsedCode } from './events.js';
export { creditPaidOrderPayload, orderTopicHandlers } from './handlers.js';
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
  refundsBetween,
  refundsOfCustomer,
  type CreditedOrder,
  type OrderPoints,
  type OrderRefund,
} from './store.js';

/** earning's collections, each declaring its indexes (server/indexes.ts creates them). */
export const earningCollections = [orderPointsModel, heldReversalModel, orderRefundModel, cashBackEffectModel, expiryReminderModel];

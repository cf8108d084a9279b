export { CASH_BACK_STALE_MS, earningJobs, reconcileCashBack } from './cash-back.js';
export { creditPaidOrderPayload, orderTopicHandlers } from './handlers.js';
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
  orderRefundModel,
  refundsBetween,
  refundsOfCustomer,
  type CreditedOrder,
  type OrderPoints,
  type OrderRefund,
} from './store.js';

import { holdModel, holdOutcomeModel, redemptionEffectModel, redemptionModel, redemptionOutcomeModel } from './store.js';
export * from './quote.js';
export { redeemAndRespond, redemptionBody } from './routes.js';
export * from './service.js';
export {
  customerRedemptions,
  findRedemption,
  issuedRedemptionsOf,
  redemptionsUsedOn,
  rewardsGivenBetween,
  type Redemption,
  type RedemptionStatus,
} from './store.js';
export { cancelRedemption, RedemptionNotCancelled, type CancelRefusalCode, type CancelRequest } from './cancel.js';
export { HOLD_ATTRIBUTE, HOLD_TTL_MS, holdIdFromNoteAttributes, type HoldTerms } from './holds.js';
export {
  cancelHold,
  checkoutTerms,
  createHold,
  customerLiveHolds,
  HoldRefused,
  holdView,
  pointsSpentOnOrder,
  publishCustomerHolds,
  releaseExpiredHolds,
  returnHeldPointsForOrder,
  settleHoldForOrder,
  type HoldRefusal,
} from './hold-service.js';
export { findHoldOutcome, type PointsHold } from './store.js';
export { CHECKOUT_FUNCTION_HANDLE, ensureCheckoutDiscount } from './checkout-discount.js';
export { redemptionJobs } from './jobs.js';
export { markOrderCodesUsed, returnPointsWhenOrderEnds, settleOrderHold } from './order-effects.js';

/** redemption's collections, each declaring its indexes (server/indexes.ts creates them). */
export const redemptionCollections = [redemptionModel, holdModel, holdOutcomeModel, redemptionOutcomeModel, redemptionEffectModel];

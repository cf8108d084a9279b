export * from './quote.js';
export { redeemAndRespond, redemptionBody } from './routes.js';
export * from './service.js';
export {
  customerRedemptions,
  findRedemption,
  redemptionModel,
  redemptionOutcomeModel,
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
export { findHoldOutcome, holdModel, holdOutcomeModel, type PointsHold } from './store.js';
export { CHECKOUT_FUNCTION_HANDLE, ensureCheckoutDiscount } from './checkout-discount.js';
export { redemptionEffectModel } from './store.js';

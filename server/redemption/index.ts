export * from './quote.js';
export { fieldErrors, redeemAndRespond, redemptionBody } from './routes.js';
export * from './service.js';
export { customerRedemptions, findRedemption, redemptionModel, type Redemption, type RedemptionStatus } from './store.js';

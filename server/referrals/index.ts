import { referralModels } from './store.js';
export { referralJobs } from './jobs.js';
export { referralAdminRouter, referralProxyRouter } from './routes.js';
export { REFERRAL_ATTRIBUTE, referralCodeOf, samePerson, type ReferralState } from './rules.js';
export {
  listReferrals,
  referralLinkFor,
  referralOrderPaid,
  referralOrderReversed,
  settleDueReferrals,
  settleReferral,
  type PaidOrder,
} from './service.js';
export { referralDiscountInput } from './shopify.js';
export { referralForOrder, referralForReversal } from './subscribers.js';

/** referrals's collections, each declaring its indexes (server/indexes.ts creates them). */
export const referralsCollections = referralModels;

import { offerModel, offerSettingsModel, offerUseModel } from './offers.js';
import { sliderAnswerModel, sliderSettingsModel } from './slider-surveys.js';
import { engagementModels as storedModels } from './store.js';

export { actionsView, creditBirthdays, creditReview, creditSignUp, rewardAction, type ActionOutcome, type ShopperAction } from './actions.js';
export { awardBadgeByHand, awardsView, evaluateAwards, recordPaidOrder, recordReferralMilestone } from './badges.js';
export { causesCsv, causeTotals, donatePoints } from './donations.js';
export { signUpOnCustomerCreate } from './handlers.js';
export { engagementJobs } from './jobs.js';
export { awardsForOrder } from './subscribers.js';
export { EngagementRefused, REFUSAL_STATUS, type RefusalCode } from './refusals.js';
export { engagementAdminRouter, engagementProxyRouter, engagementRequests, reviewSigningSecret, reviewsRouter, signReview } from './routes.js';
export * from './rules.js';
export { engagementSettingsOf, type EngagementSettings } from './settings.js';
export { answerSliderSurvey, sliderResults, sliderSurveysOf, type SliderResults, type SliderSurvey } from './slider-surveys.js';
export { issueOffers, lapsedMembers, offersIssuedSince, openOffers, useOffers, type Offer, type OfferSettings } from './offers.js';
export { milestonesOf } from './store.js';
export { answerNps, npsReport } from './surveys.js';
export { completeTransfers, transferPoints, type TransferFaults, type TransferOutcome, type TransferRequest } from './transfers.js';

const engagementModels = [...storedModels, sliderSettingsModel, sliderAnswerModel, offerSettingsModel, offerModel, offerUseModel];

/** engagement's collections, each declaring its indexes (server/indexes.ts creates them). */
export const engagementCollections = engagementModels;

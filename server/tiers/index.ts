export { revisitTiers, tierJobs } from './jobs.js';
export { previewDistribution, previewTiers, type TierPreview } from './preview.js';
export { tiersRouter } from './routes.js';
export * from './rules.js';
export {
  earningMultiplierFor,
  evaluateCustomer,
  recordQualifyingAdjustment,
  recordQualifyingOrder,
  recordQualifyingReversal,
  tierEntryKey,
  type QualifyingAdjustment,
  type QualifyingOrder,
  type QualifyingReversal,
} from './service.js';
export { syncTierToShopify, tierSyncCalls, tierTag } from './shopify-sync.js';
export { changesOf, readState, tierChangeModel, tierEventModel, tierStateModel, type TierChange, type TierState } from './store.js';
export { shopperTierView, type ShopperTierView } from './view.js';

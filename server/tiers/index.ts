import { tierBackfillModel, tierChangeModel, tierCursorModel, tierEventModel, tierStateModel } from './store.js';
export { backfillQualifyingHistory } from './backfill.js';
export { historyFromRecords, type CreditedOrderRecord, type HistoryEvent, type OrderLedgerEntry } from './history.js';
export { revisitTiers, tierJobs } from './jobs.js';
export { creditTierBirthdayBonuses, perksOf, tierBirthdayKey } from './perks.js';
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
export { syncTierToShopify, tierSyncCalls, tierTag, type TierTagsAddData, type TierTagsRemoveData } from './shopify-sync.js';
export { changesOf, readState, tierChangesSince, type TierChange, type TierState } from './store.js';
export { rewardCostsFor, shopperTierView, type ShopperTierView } from './view.js';
export { countOrdersForTiers, tierMultiplierHeld, tiersCountOrders, tiersCountReversal } from './subscribers.js';

/** tiers's collections, each declaring its indexes (server/indexes.ts creates them). */
export const tiersCollections = [tierEventModel, tierChangeModel, tierStateModel, tierBackfillModel, tierCursorModel];

import type { Connection } from 'mongoose';
import { aggregateWatermarkModel, changedDayModel, ledgerDayModel } from './accounting/index.js';
import { orderDayModel, paidOrderModel } from './analytics/index.js';
import { jobRunModel } from './scheduler/index.js';
import { customerModel } from './customers/index.js';
import { dataExportChunkModel, dataExportModel } from './compliance/index.js';
import { inboxClaimModel, inboxModel, webhookLogModel } from './inbox/index.js';
import { ledgerDayIndexModel, ledgerEntryModel } from './ledger/index.js';
import { cashBackEffectModel, heldReversalModel, orderPointsModel, orderRefundModel } from './earning/index.js';
import { programModel } from './program/index.js';
import { holdModel, holdOutcomeModel, redemptionEffectModel, redemptionModel, redemptionOutcomeModel } from './redemption/index.js';
import { expiryReminderModel } from './scheduler/index.js';
import { engagementModels } from './engagement/index.js';
import { groupModels } from './groups/index.js';
import { apiKeyModel } from './headless/index.js';
import { importModels } from './imports/index.js';
import { outboundModels } from './outbound/index.js';
import { posModels } from './pos/index.js';
import { referralModels } from './referrals/index.js';
import { shopModel, staffMemberModel } from './shops/index.js';
import { tierBackfillModel, tierChangeModel, tierEventModel, tierStateModel } from './tiers/index.js';

/**
 * Each store file exports a `xxxModel(connection)` function that registers its schema on the
 * connection once and returns the model; every document and index starts with `shop`.
 * `registerModels` lists them all so `ensureIndexes` sees every collection.
 */
export function registerModels(connection: Connection): void {
  shopModel(connection);
  staffMemberModel(connection);
  inboxModel(connection);
  inboxClaimModel(connection);
  webhookLogModel(connection);
  customerModel(connection);
  dataExportModel(connection);
  dataExportChunkModel(connection);
  jobRunModel(connection);
  programModel(connection);
  expiryReminderModel(connection);
  ledgerEntryModel(connection);
  ledgerDayIndexModel(connection);
  orderPointsModel(connection);
  orderRefundModel(connection);
  heldReversalModel(connection);
  cashBackEffectModel(connection);
  redemptionModel(connection);
  holdModel(connection);
  holdOutcomeModel(connection);
  redemptionOutcomeModel(connection);
  redemptionEffectModel(connection);
  [
    tierEventModel,
    tierChangeModel,
    tierStateModel,
    tierBackfillModel,
    apiKeyModel,
    ...engagementModels,
    ...referralModels,
    ...importModels,
    ...outboundModels,
    ...groupModels,
    ...posModels,
  ].forEach((model) => model(connection));
  [ledgerDayModel, aggregateWatermarkModel, changedDayModel, paidOrderModel, orderDayModel].forEach((model) => model(connection));
}

/** Creates every collection's indexes; safe to run at each start and from several processes. */
export async function ensureIndexes(connection: Connection): Promise<void> {
  registerModels(connection);
  await Promise.all(Object.values(connection.models).map((model) => model.createIndexes()));
}

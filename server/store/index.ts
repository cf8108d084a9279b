import type { Connection } from 'mongoose';
import { jobRunModel } from '../jobs/scheduler.js';
import { customerModel } from './customers.js';
import { dataExportModel } from './data-exports.js';
import { inboxModel, webhookLogModel } from './inbox.js';
import { ledgerEntryModel, ledgerHeadModel, ledgerKeyModel } from './ledger.js';
import { heldReversalModel, orderPointsModel } from './order-points.js';
import { programModel } from './programs.js';
import { redemptionModel } from './redemptions.js';
import { expiryReminderModel } from './reminders.js';
import { shopModel } from './shops.js';

/**
 * Each store file exports a `xxxModel(connection)` function that registers its schema on the
 * connection once and returns the model; every document and index starts with `shop`.
 * `registerModels` lists them all so `ensureIndexes` sees every collection.
 */
export function registerModels(connection: Connection): void {
  shopModel(connection);
  inboxModel(connection);
  webhookLogModel(connection);
  customerModel(connection);
  dataExportModel(connection);
  jobRunModel(connection);
  programModel(connection);
  expiryReminderModel(connection);
  ledgerEntryModel(connection);
  ledgerHeadModel(connection);
  ledgerKeyModel(connection);
  orderPointsModel(connection);
  heldReversalModel(connection);
  redemptionModel(connection);
}

/** Creates every collection's indexes; safe to run at each start and from several processes. */
export async function ensureIndexes(connection: Connection): Promise<void> {
  registerModels(connection);
  await Promise.all(Object.values(connection.models).map((model) => model.createIndexes()));
}

import type { Connection } from 'mongoose';
import { accountingCollections } from './accounting/index.js';
import { analyticsCollections } from './analytics/index.js';
import { complianceCollections } from './compliance/index.js';
import { customersCollections } from './customers/index.js';
import { earningCollections } from './earning/index.js';
import { engagementCollections } from './engagement/index.js';
import { groupsCollections } from './groups/index.js';
import { headlessCollections } from './headless/index.js';
import { importsCollections } from './imports/index.js';
import { inboxCollections } from './inbox/index.js';
import { ledgerCollections } from './ledger/index.js';
import { outboundCollections } from './outbound/index.js';
import { posCollections } from './pos/index.js';
import { jobRunModel } from './platform/jobs.js';
import { programCollections } from './program/index.js';
import { redemptionCollections } from './redemption/index.js';
import { referralsCollections } from './referrals/index.js';
import { shopsCollections } from './shops/index.js';
import { tiersCollections } from './tiers/index.js';

/**
 * Each capability owns its collections: its store files define them (a `xxxModel(connection)`
 * function that registers the schema and its indexes on the connection once; every document and
 * index starts with `shop`), and its index.ts declares them in one list. `registerModels` collects
 * those lists so `ensureIndexes` sees every collection; the job runner's attempts are platform's.
 */
export function registerModels(connection: Connection): void {
  const collections: Array<(connection: Connection) => unknown> = [
    jobRunModel,
    ...shopsCollections,
    ...inboxCollections,
    ...customersCollections,
    ...complianceCollections,
    ...programCollections,
    ...ledgerCollections,
    ...earningCollections,
    ...redemptionCollections,
    ...tiersCollections,
    ...headlessCollections,
    ...engagementCollections,
    ...referralsCollections,
    ...importsCollections,
    ...outboundCollections,
    ...groupsCollections,
    ...posCollections,
    ...accountingCollections,
    ...analyticsCollections,
  ];
  for (const collection of collections) collection(connection);
}

/** Creates every collection's indexes; safe to run at each start and from several processes. */
export async function ensureIndexes(connection: Connection): Promise<void> {
  registerModels(connection);
  await Promise.all(Object.values(connection.models).map((model) => model.createIndexes()));
}

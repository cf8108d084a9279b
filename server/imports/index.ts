import { importModels } from './store.js';
export { parseCsv, type CsvRecord } from './csv.js';
export { FORMAT_NAMES, IMPORT_FORMATS, readImportFile, type ImportFormat, type ImportRow, type RowError } from './formats.js';
export { importJobs } from './jobs.js';
export { chunkUnits, groupByCustomer, planCustomer, type CustomerUnit, type PlannedEntry } from './plan.js';
export { backfillRequests } from './backfill-routes.js';
export { importRequests, importsRouter } from './routes.js';
export { cancelImport, drainImports, ROWS_PER_CHUNK, runShopImports, startShopImports, stopImports, type ImportOptions } from './runner.js';
export { emailSearchQuery, EMAILS_PER_QUERY, shopifyEmailLookup, type CustomersByEmailData, type EmailLookup } from './shopify-customers.js';
export { importedStanding, type ImportChange, type ImportedStanding } from './store.js';
export { backfillOrdersQuery, backfillPoints, backfillSkipReason, readOrdersJsonl, type BackfillOrder } from './backfill.js';
export { drainBackfills, runShopBackfills, startShopBackfills, type BackfillOptions } from './backfill-runner.js';

/** imports's collections, each declaring its indexes (server/indexes.ts creates them). */
export const importsCollections = importModels;

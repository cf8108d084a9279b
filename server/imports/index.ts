export { parseCsv, type CsvRecord } from './csv.js';
export { FORMAT_NAMES, IMPORT_FORMATS, readImportFile, type ImportFormat, type ImportRow, type RowError } from './formats.js';
export { importJobs } from './jobs.js';
export { chunkUnits, groupByCustomer, planCustomer, type CustomerUnit, type PlannedEntry } from './plan.js';
export { importsRouter } from './routes.js';
export { drainImports, ROWS_PER_CHUNK, runShopImports, startShopImports, type ImportOptions } from './runner.js';
export { emailSearchQuery, EMAILS_PER_QUERY, shopifyEmailLookup, type CustomersByEmailData, type EmailLookup } from './shopify-customers.js';
export { importedStanding, importModels, type ImportChange, type ImportedStanding } from './store.js';

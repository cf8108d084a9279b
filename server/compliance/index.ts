import { dataExportChunkModel, dataExportModel } from './store.js';
export { complianceTopicHandlers } from './handlers.js';
export { complianceJobs } from './jobs.js';
export { DEFAULT_EXPORT_OPTIONS, streamExport, writeExport, type ExportOptions, type ExportRequest } from './export.js';
export { DEFAULT_RETENTION, EXPIRED_BODY, expireExports, expireWebhookLog, type RetentionPolicy } from './retention.js';
export { dataExportModel, type DataExport } from './store.js';

/** compliance's collections, each declaring its indexes (server/indexes.ts creates them). */
export const complianceCollections = [dataExportModel, dataExportChunkModel];

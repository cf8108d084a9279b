import { dataExportChunkModel, dataExportModel } from './store.js';
import { collectionsOf } from '../platform/models.js';
export { complianceTopicHandlers } from './handlers.js';
export { complianceJobs } from './jobs.js';
export { DEFAULT_EXPORT_OPTIONS, streamExport, writeExport, type ExportOptions, type ExportRequest } from './export.js';
export { DEFAULT_RETENTION, EXPIRED_BODY, expireExports, expireWebhookLog, type RetentionPolicy } from './retention.js';
export { liveExport, liveExports, type DataExport } from './store.js';

/** compliance's collections, each declaring its indexes, registered on a connection (server/indexes.ts creates them). */
export const complianceCollections = collectionsOf(dataExportModel, dataExportChunkModel);

export { complianceTopicHandlers } from './handlers.js';
export { dataExportModel, type DataExport } from './store.js';

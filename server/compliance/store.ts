import { Schema, type Connection, type Model } from 'mongoose';
import { modelOn } from '../platform/models.js';

/** Everything stored about one customer, assembled for a customers/data_request. */
export interface DataExport {
  shop: string;
  exportId: string;
  customerId: string;
  requestId: string;
  requestedAt: Date;
  content: string;
}

const dataExportSchema = new Schema<DataExport>(
  {
    shop: { type: String, required: true },
    exportId: { type: String, required: true },
    customerId: { type: String, required: true },
    requestId: { type: String, required: true },
    requestedAt: { type: Date, required: true },
    content: { type: String, required: true },
  },
  { collection: 'data_exports', versionKey: false },
);
dataExportSchema.index({ shop: 1, exportId: 1 }, { unique: true });
dataExportSchema.index({ shop: 1, requestedAt: -1 });

export function dataExportModel(connection: Connection): Model<DataExport> {
  return modelOn(connection, 'DataExport', dataExportSchema);
}

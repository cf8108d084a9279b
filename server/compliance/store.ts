import { Schema, type Connection, type Model } from 'mongoose';
import { modelOn } from '../platform/models.js';

/**
 * A finished export of everything stored about one customer (customers/data_request). The content
 * lives in chunks, so no export meets the 16 MB document limit however long the customer's ledger;
 * `attempt` names the chunks that make it up (an attempt that lost a race leaves none behind).
 */
export interface DataExport {
  shop: string;
  exportId: string;
  customerId: string;
  requestId: string;
  requestedAt: Date;
  /** After this the export is deleted by the retention job, and no longer downloadable. */
  expiresAt: Date;
  attempt: string;
  /** The collections exported, in order; each is an array in the download, empty ones too. */
  collections: string[];
  chunks: number;
  documents: number;
}

/** Part of an export: the JSON of consecutive documents of one collection, comma-separated. */
export interface DataExportChunk {
  /** `${shop}|${exportId}|${attempt}|${index}`: read back one by one by _id. */
  _id: string;
  shop: string;
  exportId: string;
  attempt: string;
  index: number;
  /** The model the documents come from, e.g. LedgerEntry. */
  source: string;
  json: string;
  createdAt: Date;
}

const dataExportSchema = new Schema<DataExport>(
  {
    shop: { type: String, required: true },
    exportId: { type: String, required: true },
    customerId: { type: String, required: true },
    requestId: { type: String, required: true },
    requestedAt: { type: Date, required: true },
    expiresAt: { type: Date, required: true },
    attempt: { type: String, required: true },
    collections: { type: [String], required: true },
    chunks: { type: Number, required: true },
    documents: { type: Number, required: true },
  },
  { collection: 'data_exports', versionKey: false },
);
dataExportSchema.index({ shop: 1, exportId: 1 }, { unique: true });
dataExportSchema.index({ shop: 1, requestedAt: -1 });
dataExportSchema.index({ shop: 1, expiresAt: 1 });

const chunkSchema = new Schema<DataExportChunk>(
  {
    _id: { type: String, required: true },
    shop: { type: String, required: true },
    exportId: { type: String, required: true },
    attempt: { type: String, required: true },
    index: { type: Number, required: true },
    source: { type: String, required: true },
    json: { type: String, required: true },
    createdAt: { type: Date, required: true },
  },
  { collection: 'data_export_chunks', versionKey: false },
);
chunkSchema.index({ shop: 1, exportId: 1, attempt: 1 });
chunkSchema.index({ shop: 1, createdAt: 1 });

export function dataExportModel(connection: Connection): Model<DataExport> {
  return modelOn(connection, 'DataExport', dataExportSchema);
}

export function dataExportChunkModel(connection: Connection): Model<DataExportChunk> {
  return modelOn(connection, 'DataExportChunk', chunkSchema);
}

export const exportChunkId = (shop: string, exportId: string, attempt: string, index: number): string => `${shop}|${exportId}|${attempt}|${index}`;

/** The shop's exports not expired at `now`, newest first, at most `limit` (their manifests without chunks). */
export async function liveExports(
  connection: Connection,
  shop: string,
  now: Date,
  limit: number,
): Promise<Array<Pick<DataExport, 'exportId' | 'customerId' | 'requestedAt' | 'expiresAt' | 'documents'>>> {
  return dataExportModel(connection)
    .find({ shop, expiresAt: { $gt: now } }, { exportId: 1, customerId: 1, requestedAt: 1, expiresAt: 1, documents: 1 })
    .sort({ requestedAt: -1 })
    .limit(limit)
    .maxTimeMS(5_000)
    .lean();
}

/** One of the shop's exports, unless it expired by `now`. */
export async function liveExport(connection: Connection, shop: string, exportId: string, now: Date): Promise<DataExport | null> {
  return dataExportModel(connection)
    .findOne({ shop, exportId, expiresAt: { $gt: now } })
    .lean();
}

import { randomUUID } from 'node:crypto';
import type { Connection } from 'mongoose';
import { isDuplicateKey } from '../platform/models.js';
import { dataExportChunkModel, dataExportModel, exportChunkId, type DataExport } from './store.js';

export interface ExportOptions {
  /** Characters of JSON per chunk; a chunk is one document, far below the 16 MB limit at the default. */
  chunkChars: number;
  /** Documents fetched per round trip while reading a collection. */
  batchSize: number;
  /** How long an export stays downloadable. */
  retentionDays: number;
}

export const DEFAULT_EXPORT_OPTIONS: ExportOptions = { chunkChars: 4 * 1024 * 1024, batchSize: 500, retentionDays: 30 };

export interface ExportRequest {
  shop: string;
  customerId: string;
  exportId: string;
  requestId: string;
  /** Models holding documents about the customer, by name. */
  collections: string[];
}

/**
 * Writes an export in chunks, reading each collection once through a cursor (one scan, batches of
 * `batchSize`), so neither the reads nor any document grow with the customer's history. The
 * manifest is inserted last under the export's unique id: a second worker racing on the same
 * request loses that insert and deletes its own chunks, so one complete attempt is ever visible.
 */
export async function writeExport(
  connection: Connection,
  request: ExportRequest,
  now: Date,
  options: ExportOptions = DEFAULT_EXPORT_OPTIONS,
): Promise<DataExport> {
  const exports = dataExportModel(connection);
  const done = await exports.findOne({ shop: request.shop, exportId: request.exportId }).lean();
  if (done) return done;

  const chunks = dataExportChunkModel(connection);
  const attempt = randomUUID();
  let index = 0;
  let documents = 0;
  for (const source of request.collections) {
    let parts: string[] = [];
    let size = 0;
    const flush = async () => {
      if (parts.length === 0) return;
      await chunks.create({
        _id: exportChunkId(request.shop, request.exportId, attempt, index),
        shop: request.shop,
        exportId: request.exportId,
        attempt,
        index,
        source,
        json: parts.join(','),
        createdAt: now,
      });
      index++;
      parts = [];
      size = 0;
    };
    const cursor = connection.models[source]!.find({ shop: request.shop, customerId: request.customerId }, { _id: 0 })
      .lean()
      .batchSize(options.batchSize)
      .cursor();
    for await (const doc of cursor) {
      const json = JSON.stringify(doc);
      if (size > 0 && size + json.length > options.chunkChars) await flush();
      parts.push(json);
      size += json.length + 1;
      documents++;
    }
    await flush();
  }

  const manifest: DataExport = {
    shop: request.shop,
    exportId: request.exportId,
    customerId: request.customerId,
    requestId: request.requestId,
    requestedAt: now,
    expiresAt: new Date(now.getTime() + options.retentionDays * 86_400_000),
    attempt,
    collections: request.collections,
    chunks: index,
    documents,
  };
  try {
    await exports.create(manifest);
    return manifest;
  } catch (error) {
    if (!isDuplicateKey(error)) throw error;
    await chunks.deleteMany({ shop: request.shop, exportId: request.exportId, attempt });
    return (await exports.findOne({ shop: request.shop, exportId: request.exportId }).lean()) ?? manifest;
  }
}

/**
 * The export as one JSON document, `{"shop","customerId","generatedAt","data":{"<Model>":[...]}}`,
 * handed to `write` piece by piece: one chunk in memory at a time, each read by _id. `write`
 * resolves when the receiver can take more (a slow download holds the reads back).
 */
export async function streamExport(connection: Connection, manifest: DataExport, write: (text: string) => Promise<void>): Promise<void> {
  const chunks = dataExportChunkModel(connection);
  const read = async (index: number) => {
    if (index >= manifest.chunks) return null;
    const chunk = await chunks.findById(exportChunkId(manifest.shop, manifest.exportId, manifest.attempt, index)).lean();
    if (!chunk) throw new Error(`export ${manifest.exportId}: chunk ${index} is missing`);
    return chunk;
  };
  await write(
    `{"shop":${JSON.stringify(manifest.shop)},"customerId":${JSON.stringify(manifest.customerId)},"generatedAt":${JSON.stringify(manifest.requestedAt)},"data":{`,
  );
  let index = 0;
  let next = await read(0);
  for (const [position, source] of manifest.collections.entries()) {
    await write(`${position > 0 ? ',' : ''}${JSON.stringify(source)}:[`);
    for (let first = true; next && next.source === source; first = false) {
      await write(`${first ? '' : ','}${next.json}`);
      next = await read(++index);
    }
    await write(']');
  }
  await write('}}');
}

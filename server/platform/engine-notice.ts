import type { Connection } from 'mongoose';
import type { DatabaseInfo } from './database/connection.js';
import type { Logger } from './logger.js';

/**
 * The embedded FerretDB (SQLite) scans a whole collection for every query not by _id (about
 * 2.5 ms per 1,000 documents), so it is a development and demo engine: the start-up log and
 * /healthz say so, and a warning names any collection past the size it serves well.
 */
export const EMBEDDED_ENGINE_NOTICE =
  'embedded FerretDB: a development and demo engine (every query scans its collection); set MONGODB_URI for production';
export const WELL_SERVED_DOCUMENTS = 20_000;

export function engineNotice(dbInfo: DatabaseInfo): string | undefined {
  return dbInfo.engine === 'ferretdb' ? EMBEDDED_ENGINE_NOTICE : undefined;
}

/** Collections of the embedded engine past WELL_SERVED_DOCUMENTS, with their sizes. */
export async function oversizedCollections(connection: Connection): Promise<Array<{ collection: string; documents: number }>> {
  const db = connection.db;
  if (!db) return [];
  const names = (await db.listCollections({}, { nameOnly: true }).toArray()).map((collection) => collection.name);
  const sizes = await Promise.all(
    names.map(async (collection) => ({ collection, documents: await db.collection(collection).estimatedDocumentCount() })),
  );
  return sizes.filter((size) => size.documents > WELL_SERVED_DOCUMENTS).sort((a, b) => b.documents - a.documents);
}

/** Checks the embedded engine's collections now and every `everyMs`, warning once per collection and size band. */
export function watchCollectionSizes(connection: Connection, dbInfo: DatabaseInfo, logger: Logger, everyMs = 10 * 60_000): () => void {
  if (dbInfo.engine !== 'ferretdb') return () => {};
  const warned = new Map<string, number>();
  const check = () =>
    oversizedCollections(connection)
      .then((oversized) => {
        for (const { collection, documents } of oversized) {
          const band = Math.floor(Math.log10(documents));
          if (warned.get(collection) === band) continue;
          warned.set(collection, band);
          logger.warn(
            { collection, documents, wellServed: WELL_SERVED_DOCUMENTS },
            `${collection} holds ${documents} documents: the embedded FerretDB scans it on every query; use MongoDB (MONGODB_URI) at this size`,
          );
        }
      })
      .catch((error: unknown) => logger.debug({ err: error }, 'could not measure collection sizes'));
  void check();
  const timer = setInterval(check, everyMs);
  timer.unref();
  return () => clearInterval(timer);
}

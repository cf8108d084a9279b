import { chmod, mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { MongoClient } from 'mongodb';
import { resolveDatabase, type ResolvedDatabase } from '../../server/platform/database/resolve.js';
import { round } from './load.js';

/** A database server for the run, from the same resolver as `npm start` (fsync on, as there), in a fresh directory. */
export async function startBenchDatabase(): Promise<ResolvedDatabase> {
  const dataDir = await mkdtemp(path.join(tmpdir(), 'tally-bench-'));
  // The embedded PostgreSQL runs as an unprivileged user when this is root: it must reach the directory.
  await chmod(dataDir, 0o755);
  return resolveDatabase({ mongodbUri: process.env.MONGODB_URI, dataDir, env: process.env, log: (message) => console.log(message) });
}

export interface InsertRate {
  concurrency: number;
  documents: number;
  perSecond: number;
}

/**
 * The database's raw single-document insert rate at a given concurrency: the ceiling for any
 * write path that stores one document per event.
 */
export async function measureInsertRate(uri: string, concurrency: number, documents: number): Promise<InsertRate> {
  const client = await MongoClient.connect(uri, { maxPoolSize: Math.max(concurrency, 10) });
  const collection = client.db(`bench_raw_${Date.now()}`).collection('raw');
  await collection.createIndex({ shop: 1, key: 1 }, { unique: true });
  let next = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      for (let index = next++; index < documents; index = next++) {
        await collection.insertOne({ shop: 'bench.myshopify.com', key: `raw:${index}`, payload: { index, at: new Date() } });
      }
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  await client.close();
  return { concurrency, documents, perSecond: round(documents / seconds, 1) };
}

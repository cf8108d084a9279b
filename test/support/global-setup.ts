import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { rm } from 'node:fs/promises';
import type { TestProject } from 'vitest/node';
import type { ResolvedDatabase } from '../../server/platform/database/resolve.js';
import { startOwnDatabase, temporaryDataDir } from './own-database.js';

declare module 'vitest' {
  export interface ProvidedContext {
    mongoUri: string;
    dbEngine: string;
  }
}

let database: ResolvedDatabase | undefined;
let dataDir: string | undefined;

/**
 * One real database server for the run, found by the same resolver as `npm start`, in a fresh
 * data directory; each test file then works in a database of its own (test/support/database.ts).
 */
export async function setup(project: TestProject): Promise<void> {
  // The admin's browser tests run against the built admin, as npm start serves it: a production
  // build, not the development React that vitest's NODE_ENV=test would give Vite. It builds while
  // the database starts.
  const adminBuilt = promisify(execFile)(process.execPath, ['node_modules/vite/bin/vite.js', 'build', '--config', 'web/vite.config.ts'], {
    env: { ...process.env, NODE_ENV: 'production' },
    maxBuffer: 16 * 1024 * 1024,
  });
  dataDir = await temporaryDataDir('test');
  database = await startOwnDatabase(dataDir, (message) => console.log(`[test database] ${message}`));
  const build = await adminBuilt;
  process.stdout.write(build.stdout + build.stderr);
  console.log(`[test database] ${database.source} at ${database.uri}`);
  project.provide('mongoUri', database.uri);
  project.provide('dbEngine', database.engine);
}

export async function teardown(): Promise<void> {
  await database?.stop();
  if (dataDir) await rm(dataDir, { recursive: true, force: true });
}

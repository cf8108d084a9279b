import mongoose, { type Connection } from 'mongoose';

/** Where the database comes from: a local mongod, the embedded FerretDB, or MONGODB_URI. */
export type DbEngine = 'mongod' | 'ferretdb' | 'external';

export interface DatabaseInfo {
  engine: DbEngine;
  version: string;
  /** What the embedded engine stores its data in, e.g. "PostgreSQL 16.14". */
  storage?: string;
}

/** Connections each app process's driver may open; the embedded FerretDB's pool is sized above several of these. */
export const DRIVER_POOL_SIZE = 50;

export async function connectMongoose(
  uri: string,
  dbName?: string,
  onCommand?: (command: { commandName: string; collection: string }) => void,
): Promise<Connection> {
  const connection = mongoose.createConnection(uri, {
    dbName,
    autoIndex: false,
    autoCreate: false,
    serverSelectionTimeoutMS: 5_000,
    maxPoolSize: DRIVER_POOL_SIZE,
    monitorCommands: onCommand !== undefined,
  });
  if (onCommand) {
    connection.getClient().on('commandStarted', (event) => {
      const target = event.command[event.commandName];
      onCommand({ commandName: event.commandName, collection: typeof target === 'string' ? target : '' });
    });
  }
  await connection.asPromise();
  return connection;
}

/**
 * The version the server reports of itself in `buildInfo`. Embedded FerretDB reports the MongoDB
 * version it is compatible with there (its own version is "unknown" when built as a library).
 */
export async function serverVersion(connection: Connection): Promise<string> {
  const db = connection.db;
  if (!db) throw new Error('database connection is not open');
  const info = await db.admin().command({ buildInfo: 1 });
  return String(info['version']);
}

/** Pings the server, giving up after `timeoutMs` so a health check never hangs. */
export async function pingDatabase(connection: Connection, timeoutMs = 1_000): Promise<boolean> {
  const db = connection.db;
  if (!db) return false;
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<boolean>((resolve) => {
    timer = setTimeout(() => resolve(false), timeoutMs);
  });
  try {
    return await Promise.race([
      db
        .admin()
        .ping({ timeoutMS: timeoutMs })
        .then(
          () => true,
          () => false,
        ),
      timeout,
    ]);
  } finally {
    clearTimeout(timer);
  }
}

/** Redacts the password of a connection string for logs. */
export function redactUri(uri: string): string {
  return uri.replace(/\/\/([^@/]+)@/, (_match, credentials: string) => `//${credentials.split(':')[0]}:***@`);
}

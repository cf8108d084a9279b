import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Connection } from 'mongoose';
import { createApp } from './app.js';
import type { Config } from './config.js';
import { connectMongoose, redactUri, serverVersion, type DatabaseInfo } from './db/connection.js';
import { resolveDatabase, type ResolvedDatabase } from './db/resolve.js';
import type { Logger } from './logger.js';
import { ensureIndexes } from './store/index.js';

export interface RunningApp {
  url: string;
  port: number;
  connection: Connection;
  database: ResolvedDatabase;
  dbInfo: DatabaseInfo;
  /** Stops accepting, finishes in-flight requests and work, closes the database. Idempotent. */
  close(): Promise<void>;
}

export interface BootOptions {
  config: Config;
  logger: Logger;
  env?: NodeJS.ProcessEnv;
  /** A database already resolved by the caller (tests share one server between app processes). */
  database?: ResolvedDatabase;
  dbName?: string;
  clock?: () => Date;
}

/** Boot order: database -> indexes -> HTTP. Returns a handle that shuts it all down in reverse. */
export async function bootTally(options: BootOptions): Promise<RunningApp> {
  const { config, logger } = options;
  const ownsDatabase = !options.database;
  const database =
    options.database ??
    (await resolveDatabase({
      mongodbUri: config.mongodbUri,
      dataDir: config.dataDir,
      env: options.env ?? process.env,
      log: (message) => logger.info(message),
    }));

  let connection: Connection | undefined;
  try {
    connection = await connectMongoose(database.uri, options.dbName);
    const dbInfo: DatabaseInfo = { engine: database.engine, version: await serverVersion(connection) };
    await ensureIndexes(connection);

    const app = createApp({ config, connection, dbInfo, logger, clock: options.clock ?? (() => new Date()) });
    const server: Server = await new Promise((resolve, reject) => {
      const listening = app.listen(config.port, () => resolve(listening));
      listening.once('error', reject);
    });
    const port = (server.address() as AddressInfo).port;
    const url = config.appUrl.includes(`:${config.port}`) ? config.appUrl.replace(`:${config.port}`, `:${port}`) : config.appUrl;

    logger.info(
      {
        mode: config.mode,
        db: { engine: dbInfo.engine, version: dbInfo.version, uri: redactUri(database.uri), source: database.source },
        port,
        open: config.mode === 'development' ? [`${url}/devstore`, `${url}/healthz`] : [`${url}/healthz`],
      },
      `Tally listening on ${url} (${config.mode}, ${dbInfo.engine} ${dbInfo.version})`,
    );

    const openConnection = connection;
    let closing: Promise<void> | undefined;
    return {
      url,
      port,
      connection: openConnection,
      database,
      dbInfo,
      close: () =>
        (closing ??= (async () => {
          await new Promise<void>((resolve) => {
            server.close(() => resolve());
            server.closeIdleConnections();
          });
          await openConnection.close();
          if (ownsDatabase) await database.stop();
        })()),
    };
  } catch (error) {
    await connection?.close();
    if (ownsDatabase) await database.stop();
    throw error;
  }
}

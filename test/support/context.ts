import type { Connection } from 'mongoose';
import { wireCapabilities } from '../../server/boot.js';
import { connectMongoose } from '../../server/platform/database/connection.js';
import { loadConfig } from '../../server/platform/config.js';
import type { AppContext } from '../../server/platform/context.js';
import { createLogger } from '../../server/platform/logger.js';
import { freshDbName, sharedDatabase } from './database.js';

/** An AppContext on a fresh database of the run's real server, with a clock the test controls, wired as boot.ts wires the app. */
export async function testContext(label: string, clock: () => Date = () => new Date()): Promise<AppContext & { connection: Connection }> {
  const database = sharedDatabase();
  const connection = await connectMongoose(database.uri, freshDbName(label));
  return {
    config: loadConfig({ PORT: '0', LOG_LEVEL: 'silent' }),
    connection,
    dbInfo: { engine: database.engine, version: 'test' },
    logger: createLogger('silent'),
    clock,
    ...wireCapabilities(),
  };
}

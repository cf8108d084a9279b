import type { Connection } from 'mongoose';
import type { Config } from './config.js';
import type { DatabaseInfo } from './database/connection.js';
import type { Logger } from './logger.js';

/**
 * What every router, worker and handler is built from. Factories take it and return functions
 * (STYLE.md); nothing reads globals, so tests build exactly the instance they need.
 */
export interface AppContext {
  config: Config;
  connection: Connection;
  dbInfo: DatabaseInfo;
  logger: Logger;
  /** The current time; tests pass their own clock. */
  clock: () => Date;
}

import type { Connection } from 'mongoose';
import type { Config } from './config.js';
import type { DatabaseInfo } from './database/connection.js';
import type { EventBus } from './events.js';
import type { Logger } from './logger.js';

/**
 * Values a capability needs back from one above it (the tier multiplier earning applies, the perks
 * redemption prices with), which it may not import. Each such capability declares its ports here by
 * module augmentation (`declare module '../platform/context.js'`), and boot.ts, the one place that
 * sees every capability, fills them in (docs/architecture.md).
 */
// eslint-disable-next-line @typescript-eslint/no-empty-object-type -- filled by the capabilities' declarations
export interface Ports {}

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
  /** Domain events and their subscribers, registered by boot.ts. */
  events: EventBus;
  ports: Ports;
}

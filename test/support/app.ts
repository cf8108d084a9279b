import { bootTally, type RunningApp } from '../../server/boot.js';
import { loadConfig, type Config } from '../../server/platform/config.js';
import { createLogger, type Logger } from '../../server/platform/logger.js';
import { freshDbName, sharedDatabase } from './database.js';

export interface TestApp extends RunningApp {
  config: Config;
  dbName: string;
}

/** Boots the whole app on a free port, in a fresh database of the run's real server. */
export async function startTestApp(
  label: string,
  env: NodeJS.ProcessEnv = {},
  options: { clock?: () => Date; dbName?: string; logger?: Logger } = {},
): Promise<TestApp> {
  const config = loadConfig({ PORT: '0', LOG_LEVEL: 'silent', ...env });
  const dbName = options.dbName ?? freshDbName(label);
  const app = await bootTally({
    config,
    logger: options.logger ?? createLogger(config.logLevel),
    database: sharedDatabase(),
    dbName,
    clock: options.clock,
  });
  return { ...app, config: app.ctx.config, dbName };
}

import path from 'node:path';
import { ConfigError, DEV_API_KEY, loadConfig } from './platform/config.js';
import type { Devstore } from '../devstore/devstore.js';
import { bootTally, type RunningApp } from './boot.js';
import { hasLedger } from './ledger/index.js';
import { createLogger, type Logger } from './platform/logger.js';
import { scopesWarning } from './shopify/app-scopes.js';

async function main(): Promise<void> {
  let config;
  try {
    config = loadConfig(process.env);
  } catch (error) {
    if (error instanceof ConfigError) {
      console.error(error.message);
      process.exit(78);
    }
    throw error;
  }
  const logger = createLogger(config.logLevel);
  if (config.shopify === 'devstore' && config.usingDevCredentials) {
    logger.warn(
      `devstore mode: using the built-in dev credentials SHOPIFY_API_KEY=${DEV_API_KEY} and its dev secret; set your app's SHOPIFY_API_KEY and SHOPIFY_API_SECRET for real-store mode`,
    );
  }
  const scopes = scopesWarning(config.scopes, path.resolve('shopify.app.toml'));
  if (scopes) logger.warn(scopes);

  const app = await bootTally({ config, logger, devstoreStatePath: path.join(config.dataDir, 'devstore', 'shops.json') });

  let stopping = false;
  const shutdown = async (reason: string): Promise<void> => {
    if (stopping) return;
    stopping = true;
    logger.info(`shutting down (${reason})`);
    const forced = setTimeout(() => {
      logger.error('shutdown took longer than 20 s; exiting');
      process.exit(1);
    }, 20_000);
    forced.unref();
    await app.close();
    logger.info('stopped');
    process.exit(0);
  };
  process.on('SIGINT', () => void shutdown('SIGINT'));
  process.on('SIGTERM', () => void shutdown('SIGTERM'));

  // When npm (our parent) is killed with SIGKILL it cannot pass the signal on; we notice that we
  // were orphaned and shut down, so the database we started goes with us.
  const parent = process.ppid;
  if (process.env.npm_lifecycle_event) {
    setInterval(() => {
      if (process.ppid !== parent) void shutdown('parent process exited');
    }, 1_000).unref();
  }

  // The demo shop comes after the signal handlers, so Ctrl-C during seeding still shuts down cleanly.
  if (app.devstore) await seedDemoOnce(app.devstore, app, logger, () => stopping);
}

/** The demo shop, seeded once: its customers and orders arrive as signed webhooks like a real shop's. */
async function seedDemoOnce(devstore: Devstore, app: RunningApp, logger: Logger, stopping: () => boolean): Promise<void> {
  const { DEMO_SHOP, seedDemoShop } = await import('../devstore/demo.js');
  if (!(devstore.shop(DEMO_SHOP) && (await hasLedger(app.connection, DEMO_SHOP)))) {
    try {
      await seedDemoShop(devstore, app.url);
      logger.info(`demo shop ${DEMO_SHOP} installed with customers and orders: open ${app.url}/devstore`);
    } catch (error) {
      if (!stopping()) logger.error({ err: error }, 'could not create the demo shop');
    }
  }
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});

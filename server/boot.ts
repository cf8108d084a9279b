import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Router } from 'express';
import type { Connection } from 'mongoose';
import type { Devstore } from '../devstore/devstore.js';
import { accountingJobs, accountingRouter } from './accounting/index.js';
import { adminUiRouter, faviconRouter } from './admin-ui/index.js';
import { analyticsJobs, analyticsRouter } from './analytics/index.js';
import { customersRouter } from './customers/index.js';
import { ackGate, activityRouter, inboxJobs, startInboxWorker, webhooksRouter, type AckGate, type InboxWorker } from './inbox/index.js';
import { engagementAdminRouter, engagementJobs, engagementProxyRouter, reviewsRouter } from './engagement/index.js';
import { groupJobs, groupProxyRouter, groupsRouter } from './groups/index.js';
import { apiKeysRouter, headlessRouter, openApiRouter } from './headless/index.js';
import { importJobs, importsRouter, stopImports } from './imports/index.js';
import { ensureCheckoutDiscount } from './redemption/index.js';
import { referralAdminRouter, referralJobs, referralProxyRouter } from './referrals/index.js';
import { earningJobs } from './earning/index.js';
import { ensureIndexes } from './indexes.js';
import { flowRouter, outboundRouter, startOutbound } from './outbound/index.js';
import type { Config } from './platform/config.js';
import type { AppContext } from './platform/context.js';
import { connectMongoose, redactUri, serverVersion, type DatabaseInfo } from './platform/database/connection.js';
import { resolveDatabase, type ResolvedDatabase } from './platform/database/resolve.js';
import { createApp } from './platform/http-app.js';
import type { Logger } from './platform/logger.js';
import { ensureDefaultProgram, loadProgram, programRouter } from './program/index.js';
import { posAdminRouter, posRouter } from './pos/index.js';
import { pointsJobs, startScheduler } from './scheduler/index.js';
import { apiRouter, installedShops } from './shops/index.js';
import { extensionsRouter, proxyRouter, tryPublishProgram } from './storefront/index.js';
import { tierJobs, tiersRouter } from './tiers/index.js';
import { topicHandlers } from './topic-handlers.js';

export interface RunningApp {
  url: string;
  port: number;
  ctx: AppContext;
  connection: Connection;
  database: ResolvedDatabase;
  dbInfo: DatabaseInfo;
  worker: InboxWorker;
  /** The devstore (devstore mode only). */
  devstore: Devstore | undefined;
  /** Stops accepting, finishes in-flight requests and claimed work, closes the database. Idempotent. */
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
  /** Keep the devstore's shops in this file across restarts (npm start). */
  devstoreStatePath?: string;
  /** Sees every command the app sends the database (the bench counts round trips with it). */
  onDatabaseCommand?: (command: { commandName: string; collection: string }) => void;
}

/** "ferretdb 7.0.77 on PostgreSQL 16.14", "mongod 8.0.4": the engine, its version and its storage. */
function describeDatabase(dbInfo: DatabaseInfo): string {
  return `${dbInfo.engine} ${dbInfo.version}${dbInfo.storage ? ` on ${dbInfo.storage}` : ''}`;
}

function listen(server: Server, port: number, host: string | undefined): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => resolve((server.address() as AddressInfo).port));
  });
}

/** Work a new install needs: the shop's default program, published to the storefront metafield. */
const installHooks = [
  async (hookCtx: AppContext, installed: { shop: string; currency: string }, now: Date) =>
    ensureDefaultProgram(hookCtx.connection, installed.shop, installed.currency, now),
  async (hookCtx: AppContext, installed: { shop: string }) => {
    const program = await loadProgram(hookCtx.connection, installed.shop);
    if (program) await tryPublishProgram(hookCtx, installed.shop, program);
  },
  async (hookCtx: AppContext, installed: { shop: string }, now: Date) => ensureCheckoutDiscount(hookCtx, installed.shop, now),
];

/**
 * Every HTTP surface of the app (webhooks, the admin API, the app proxy, extensions, the headless
 * API and its OpenAPI document), in the order they are mounted; the admin UI and the devstore come
 * after them. The OpenAPI test walks exactly this list.
 */
export function apiSurfaces(ctx: AppContext, worker: InboxWorker, gate: AckGate): Router[] {
  return [
    openApiRouter(ctx.config.appUrl),
    webhooksRouter(ctx, worker, gate),
    apiRouter(
      ctx,
      [
        activityRouter(ctx, () => worker.nudge()),
        programRouter(ctx),
        customersRouter(ctx),
        tiersRouter(ctx),
        engagementAdminRouter(ctx),
        groupsRouter(ctx),
        referralAdminRouter(ctx),
        accountingRouter(ctx),
        analyticsRouter(ctx),
        importsRouter(ctx),
        apiKeysRouter(ctx),
        outboundRouter(ctx),
        posAdminRouter(ctx),
      ],
      installHooks,
    ),
    proxyRouter(ctx),
    engagementProxyRouter(ctx),
    referralProxyRouter(ctx),
    groupProxyRouter(ctx),
    reviewsRouter(ctx),
    extensionsRouter(ctx),
    posRouter(ctx),
    headlessRouter(ctx),
    flowRouter(ctx),
  ];
}

/**
 * Boot order: database -> indexes -> HTTP port -> worker and routes. The port is bound before the
 * app is built so that the app's own URL (which the devstore and dev-mode Shopify calls use) is
 * known even when PORT=0 picks a free one.
 */
export async function bootTally(options: BootOptions): Promise<RunningApp> {
  const { logger } = options;
  const ownsDatabase = !options.database;
  const database =
    options.database ??
    (await resolveDatabase({
      mongodbUri: options.config.mongodbUri,
      dataDir: options.config.dataDir,
      env: options.env ?? process.env,
      log: (message) => logger.info(message),
    }));

  let connection: Connection | undefined;
  let worker: InboxWorker | undefined;
  const server = createServer();
  try {
    connection = await connectMongoose(database.uri, options.dbName, options.onDatabaseCommand);
    const dbInfo: DatabaseInfo = { engine: database.engine, version: await serverVersion(connection), storage: database.storage };
    await ensureIndexes(connection);

    const port = await listen(server, options.config.port, options.config.host);
    const config: Config = { ...options.config, port, appUrl: options.config.appUrl.replace(`:${options.config.port}`, `:${port}`) };
    const ctx: AppContext = { config, connection, dbInfo, logger, clock: options.clock ?? (() => new Date()) };
    const gate = ackGate();
    const startedWorker = startInboxWorker(ctx, { handlers: topicHandlers, ackGate: gate });
    worker = startedWorker;
    // The devstore is loaded only in devstore mode, so it is never part of production's import graph,
    // and never runs with an app's real secret (real-store mode leaves /devstore unmounted: 404).
    const dev =
      config.shopify === 'devstore'
        ? (await import('../devstore/router.js')).createDevstore({
            appUrl: config.appUrl,
            apiKey: config.shopifyApiKey,
            apiSecret: config.shopifyApiSecret,
            clock: ctx.clock,
            statePath: options.devstoreStatePath,
          })
        : undefined;
    const app = createApp(ctx, [
      ...apiSurfaces(ctx, startedWorker, gate),
      adminUiRouter(config, ctx.clock),
      faviconRouter(),
      ...(dev ? [dev.router] : []),
    ]);
    server.on('request', app);
    const scheduler = startScheduler(
      ctx,
      [
        ...pointsJobs,
        ...earningJobs,
        ...inboxJobs,
        ...tierJobs,
        ...engagementJobs,
        ...groupJobs,
        ...referralJobs,
        ...importJobs,
        ...accountingJobs,
        ...analyticsJobs,
      ],
      () => installedShops(ctx.connection),
    );
    const outbound = startOutbound(ctx);

    logger.info(
      {
        mode: config.mode,
        shopify: config.shopify,
        why: config.modeReason,
        db: { engine: dbInfo.engine, version: dbInfo.version, storage: dbInfo.storage, uri: redactUri(database.uri), source: database.source },
        port,
        open: dev ? [`${config.appUrl}/devstore`, `${config.appUrl}/healthz`] : [`${config.appUrl}/healthz`],
      },
      `Tally listening on ${config.appUrl} (${config.mode}, ${describeDatabase(dbInfo)}); ${config.modeReason}`,
    );

    const openConnection = connection;
    let closing: Promise<void> | undefined;
    return {
      url: config.appUrl,
      port,
      ctx,
      connection: openConnection,
      database,
      dbInfo,
      worker: startedWorker,
      devstore: dev?.devstore,
      close: () =>
        (closing ??= (async () => {
          // Imports are told first, so a long one stops after the chunk it is writing while the rest shuts down.
          const importsStopped = stopImports(ctx);
          await new Promise<void>((resolve) => {
            server.close(() => resolve());
            server.closeIdleConnections();
          });
          await scheduler.stop();
          await outbound.stop();
          await startedWorker.stop();
          await importsStopped;
          dev?.stop();
          await openConnection.close();
          if (ownsDatabase) await database.stop();
        })()),
    };
  } catch (error) {
    server.close();
    await worker?.stop();
    await connection?.close();
    if (ownsDatabase) await database.stop();
    throw error;
  }
}

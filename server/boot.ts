import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Router } from 'express';
import type { Connection } from 'mongoose';
import type { Devstore } from '../devstore/devstore.js';
import { accountingJobs, accountingRouter } from './accounting/index.js';
import { activityRouter, customersRouter, programRouter } from './admin/index.js';
import { adminUiRouter, faviconRouter } from './admin-ui/index.js';
import { analyticsJobs, analyticsRouter } from './analytics/index.js';
import { complianceJobs } from './compliance/index.js';
import { ackGate, inboxJobs, startInboxWorker, webhooksRouter, type AckGate, type InboxWorker } from './inbox/index.js';
import { awardsForOrder, engagementAdminRouter, engagementJobs, engagementProxyRouter, reviewsRouter } from './engagement/index.js';
import { gatherPoints, groupJobs, groupProxyRouter, groupsRouter, sharedAvailable } from './groups/index.js';
import { apiKeysRouter, headlessRouter, methodNotAllowedRouter, openApiRouter } from './headless/index.js';
import { importJobs, importsRouter, stopImports } from './imports/index.js';
import { ensureCheckoutDiscount, markOrderCodesUsed, redemptionJobs, returnPointsWhenOrderEnds, settleOrderHold } from './redemption/index.js';
import { referralAdminRouter, referralForOrder, referralForReversal, referralJobs, referralProxyRouter } from './referrals/index.js';
import { earningJobs, type OrderCredited, type OrderReversed } from './earning/index.js';
import { ensureIndexes } from './indexes.js';
import { flowRouter, outboundRouter, startOutbound } from './outbound/index.js';
import type { Config } from './platform/config.js';
import type { AppContext, Ports } from './platform/context.js';
import { createEventBus, type EventBus } from './platform/events.js';
import { startScheduler, type ScheduledJob } from './platform/jobs.js';
import { connectMongoose, redactUri, serverVersion, type DatabaseInfo } from './platform/database/connection.js';
import { resolveDatabase, type ResolvedDatabase } from './platform/database/resolve.js';
import { createApp } from './platform/http-app.js';
import type { Logger } from './platform/logger.js';
import { ensureDefaultProgram, loadProgram } from './program/index.js';
import { posAdminRouter, posRouter } from './pos/index.js';
import { apiRouter, installedShops } from './shops/index.js';
import { extensionsRouter, proxyRouter, tryPublishProgram } from './storefront/index.js';
import { perksOf, tierJobs, tierMultiplierHeld, tiersCountOrders, tiersCountReversal, tiersRouter } from './tiers/index.js';
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

/**
 * The one place capabilities meet: the values a capability needs back from one above it (ports),
 * and who reacts to whose domain events. Blocking subscribers run inside the publisher's work, in
 * the order listed; batch subscribers lag it by one batch (docs/architecture.md).
 */
export function wireCapabilities(): { events: EventBus; ports: Ports } {
  const events = createEventBus();
  events.subscribe<OrderCredited>('OrderCredited', awardsForOrder);
  events.subscribe<OrderCredited>('OrderCredited', referralForOrder);
  events.subscribeInBatches(tiersCountOrders);
  events.subscribe<OrderReversed>('OrderReversed', returnPointsWhenOrderEnds);
  events.subscribe<OrderReversed>('OrderReversed', tiersCountReversal);
  events.subscribe<OrderReversed>('OrderReversed', referralForReversal);
  const ports: Ports = {
    tierMultiplier: tierMultiplierHeld,
    settleOrderHold,
    markCodesUsed: markOrderCodesUsed,
    rewardPerks: perksOf,
    gatherGroupPoints: (ctx, request, now) => gatherPoints(ctx, request, now),
    spendableAcrossGroup: sharedAvailable,
  };
  return { events, ports };
}

/** Batches nudged in a process that died before running them: every batch subscriber reads on from its cursor, hourly. */
const catchUpBatchSubscribers: ScheduledJob = {
  name: 'batch-subscribers-catch-up',
  period: 'hour',
  run: async (ctx, shop, now) => {
    for (const subscriber of ctx.events.batchSubscribers()) await subscriber.run(ctx, shop, null, now);
  },
};

/** Every periodic job the app runs, each in the capability it serves; platform/jobs.ts runs them once per shop and period. */
export const scheduledJobs: ScheduledJob[] = [
  ...earningJobs,
  ...redemptionJobs,
  ...complianceJobs,
  ...inboxJobs,
  ...tierJobs,
  ...engagementJobs,
  ...groupJobs,
  ...referralJobs,
  ...importJobs,
  ...accountingJobs,
  ...analyticsJobs,
  catchUpBatchSubscribers,
];

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
    methodNotAllowedRouter(ctx.config.appUrl),
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
    const ctx: AppContext = { config, connection, dbInfo, logger, clock: options.clock ?? (() => new Date()), ...wireCapabilities() };
    const gate = ackGate();
    const inboxWorker = startInboxWorker(ctx, { handlers: topicHandlers, ackGate: gate });
    worker = inboxWorker;
    ctx.events.start(ctx);
    // Draining the app means the deliveries and the batches they nudged (tests wait on this).
    const startedWorker: InboxWorker = {
      ...inboxWorker,
      async drain() {
        let handled = 0;
        for (;;) {
          const round = (await inboxWorker.drain()) + (await ctx.events.drain(ctx));
          if (round === 0) return handled;
          handled += round;
        }
      },
    };
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
    const scheduler = startScheduler(ctx, scheduledJobs, () => installedShops(ctx.connection));
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
          await ctx.events.drain(ctx);
          await ctx.events.stop();
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

import { rm } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signSessionToken } from '../../devstore/session-token.js';
import { paidOrders } from '../support/orders.js';
import { bootTally, type RunningApp } from '../../server/boot.js';
import { loadConfig } from '../../server/platform/config.js';
import type { ResolvedDatabase } from '../../server/platform/database/resolve.js';
import { createLogger } from '../../server/platform/logger.js';
import { startOwnDatabase, temporaryDataDir } from '../support/own-database.js';
import { inboxModel } from '../../server/inbox/store.js';
import { balanceOf, ledgerEntryModel } from '../../server/ledger/store.js';

const ORDERS = 400;
/** The database stops once this many orders are acknowledged; senders wait for the stop, so the rest arrive while it is down. */
const STOP_AFTER = 120;
const OUTAGE_MS = 10_000;

describe('the database stops for 10 s under webhook load', () => {
  let dataDir: string;
  let database: ResolvedDatabase;
  let app: RunningApp;
  const shop = 'outage.myshopify.com';

  beforeAll(async () => {
    // This file stops its database, so it runs its own server rather than the run's shared one.
    dataDir = await temporaryDataDir('outage');
    database = await startOwnDatabase(dataDir);
    const config = loadConfig({ PORT: '0', LOG_LEVEL: 'silent' });
    app = await bootTally({ config, logger: createLogger('silent'), database, dbName: 'outage' });
  });
  afterAll(async () => {
    await app?.close();
    await database?.stop();
    await rm(dataDir, { recursive: true, force: true });
  });

  it.skipIf(process.env.MONGODB_URI)(
    'answers 503 while it is down, acknowledges nothing it did not store, and credits every order once after it is back, without a restart',
    { timeout: 420_000 },
    async () => {
      const devstore = app.devstore!;
      devstore.ensureShop(shop);
      const token = signSessionToken({ shop, apiKey: app.ctx.config.shopifyApiKey, apiSecret: app.ctx.config.shopifyApiSecret });
      expect((await fetch(`${app.url}/api/program`, { headers: { Authorization: `Bearer ${token}` } })).status).toBe(200);

      const { events, expected } = paidOrders(
        devstore,
        shop,
        Array.from({ length: 10 }, (_, index) => 6_300_000 + index),
        ORDERS,
        (index) => 1_500 + (index % 7) * 250,
      );

      // The embedded engine stops as a whole: FerretDB and the PostgreSQL under it.
      let outage: Promise<void> | undefined;
      let restarted: Promise<void> | undefined;
      const stopOnce = (acknowledged: number): Promise<void> | undefined => {
        if (acknowledged < STOP_AFTER) return undefined;
        outage ??= database.stop().then(() => {
          restarted = new Promise((resolve) => setTimeout(resolve, OUTAGE_MS)).then(() => database.restart());
        });
        return outage;
      };
      // Shopify keeps retrying what is not acknowledged; here every 250 ms for up to 30 s.
      const report = await devstore.send(events, {
        concurrency: 4,
        retryDelaysMs: Array.from({ length: 120 }, () => 250),
        onAcknowledged: stopOnce,
      });
      await restarted;

      expect(outage).toBeDefined();
      expect(report.failed).toBe(0);
      expect(report.acknowledged).toBe(ORDERS);
      expect(report.statuses['503'] ?? 0).toBeGreaterThan(0);
      expect(Object.keys(report.statuses).filter((status) => !['200', '503'].includes(status))).toEqual([]);

      const inbox = inboxModel(app.connection);
      for (let wait = 0; wait < 600 && (await inbox.countDocuments({ shop, status: { $in: ['pending', 'processing'] } })) > 0; wait++) {
        await new Promise((resolve) => setTimeout(resolve, 200));
      }
      expect(await ledgerEntryModel(app.connection).countDocuments({ shop, type: 'earn' })).toBe(ORDERS);
      for (const [customerId, points] of expected) {
        expect({ customerId, points: (await balanceOf(app.connection, shop, customerId)).available }).toEqual({ customerId, points });
      }
      expect((await fetch(`${app.url}/healthz`)).status).toBe(200);
    },
  );
});

import { afterAll, describe, expect, it } from 'vitest';
import { Devstore } from '../../devstore/devstore.js';
import { signSessionToken } from '../../devstore/session-token.js';
import { deliver, type WebhookEvent } from '../../devstore/webhooks.js';
import { DEV_API_KEY, DEV_API_SECRET } from '../../server/platform/config.js';
import { connectMongoose } from '../../server/platform/database/connection.js';
import { inboxModel } from '../../server/inbox/store.js';
import { balanceOf, ledgerEntryModel } from '../../server/ledger/store.js';
import { freshDbName, sharedDatabase } from '../support/database.js';
import { paidOrders } from '../support/orders.js';
import { startAppProcess, stopAppProcess, type AppProcess } from '../support/processes.js';

const ORDERS = 300;

describe('kill -9 during a webhook stream', () => {
  const dbName = freshDbName('faults');
  const uri = `${sharedDatabase().uri.replace(/\/$/, '')}/${dbName}`;
  const shop = 'crash.myshopify.com';
  const running: AppProcess[] = [];

  afterAll(async () => {
    await Promise.all(running.map((process) => stopAppProcess(process)));
  });

  it(
    'every balance is exact after a crash, a restart and redelivery of the unacknowledged and some acknowledged events',
    { timeout: 180_000 },
    async () => {
      const first = await startAppProcess(uri);
      running.push(first);
      const token = signSessionToken({ shop, apiKey: DEV_API_KEY, apiSecret: DEV_API_SECRET });
      expect((await fetch(`${first.url}/api/program`, { headers: { Authorization: `Bearer ${token}` } })).status).toBe(200);

      const devstore = new Devstore({ appUrl: first.url, apiKey: DEV_API_KEY, apiSecret: DEV_API_SECRET });
      devstore.ensureShop(shop);
      const { events, expected } = paidOrders(
        devstore,
        shop,
        Array.from({ length: 20 }, (_, index) => 6_200_000 + index),
        ORDERS,
        (index) => 2_000 + (index % 13) * 101,
      );

      // Shopify's side of the stream: one delivery at a time per sender, each either acknowledged or not.
      const acknowledged = new Set<WebhookEvent>();
      let next = 0;
      let killed = false;
      await Promise.all(
        Array.from({ length: 8 }, async () => {
          for (let index = next++; index < events.length; index = next++) {
            const event = events[index]!;
            const report = await deliver(first.url, DEV_API_SECRET, [event], { retryDelaysMs: [] });
            if (report.acknowledged === 1) acknowledged.add(event);
            if (!killed && acknowledged.size >= ORDERS / 3) {
              killed = true;
              first.child.kill('SIGKILL');
            }
          }
        }),
      );
      expect(killed).toBe(true);
      expect(acknowledged.size).toBeLessThan(ORDERS);

      // Shopify retries what was not acknowledged; some acknowledged deliveries arrive again too.
      const second = await startAppProcess(uri);
      running.push(second);
      const unacknowledged = events.filter((event) => !acknowledged.has(event));
      const again = [...acknowledged].filter((_, index) => index % 3 === 0);
      const report = await deliver(second.url, DEV_API_SECRET, [...unacknowledged, ...again], { shuffle: true, concurrency: 8 });
      expect(report.failed).toBe(0);

      const connection = await connectMongoose(uri);
      try {
        for (
          let wait = 0;
          wait < 600 && (await inboxModel(connection).countDocuments({ shop, status: { $in: ['pending', 'processing'] } })) > 0;
          wait++
        ) {
          await new Promise((resolve) => setTimeout(resolve, 200));
        }
        expect(await ledgerEntryModel(connection).countDocuments({ shop, type: 'earn' })).toBe(ORDERS);
        for (const [customerId, points] of expected) {
          expect({ customerId, points: (await balanceOf(connection, shop, customerId)).available }).toEqual({ customerId, points });
        }
      } finally {
        await connection.close();
      }
    },
  );
});

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Devstore } from '../../devstore/devstore.js';
import { signSessionToken } from '../../devstore/session-token.js';
import { deliver, type WebhookEvent } from '../../devstore/webhooks.js';
import { DEV_API_KEY, DEV_API_SECRET } from '../../server/platform/config.js';
import { connectMongoose } from '../../server/platform/database/connection.js';
import { balanceOf, ledgerEntryModel } from '../../server/ledger/store.js';
import { inboxModel, webhookLogModel } from '../../server/inbox/store.js';
import { freshDbName, sharedDatabase } from '../support/database.js';
import { startAppProcess, stopAppProcess, type AppProcess } from '../support/processes.js';

// 300 orders are 900 deliveries, about 1.5 minutes on the embedded engine; SCALE_OUT_ORDERS raises it.
const ORDERS = Number(process.env.SCALE_OUT_ORDERS ?? 300);

describe('two app processes on one database', () => {
  const dbName = freshDbName('scale-out');
  const uri = `${sharedDatabase().uri.replace(/\/$/, '')}/${dbName}`;
  const shop = 'scale.myshopify.com';
  let processes: AppProcess[] = [];

  beforeAll(async () => {
    processes = await Promise.all([startAppProcess(uri), startAppProcess(uri)]);
  });
  afterAll(async () => {
    await Promise.all(processes.map((process) => stopAppProcess(process)));
  });

  it(
    `credits each of ${ORDERS} orders exactly once when deliveries are duplicated, shuffled and split across processes`,
    { timeout: 600_000 },
    async () => {
      const token = signSessionToken({ shop, apiKey: DEV_API_KEY, apiSecret: DEV_API_SECRET });
      const install = await fetch(`${processes[0]!.url}/api/program`, { headers: { Authorization: `Bearer ${token}` } });
      expect(install.status).toBe(200);

      const devstore = new Devstore({ appUrl: processes[0]!.url, apiKey: DEV_API_KEY, apiSecret: DEV_API_SECRET });
      devstore.ensureShop(shop);
      const customers = Array.from({ length: 25 }, (_, index) => 6_100_000 + index);
      const events: WebhookEvent[] = [];
      const customerEvents = customers.map((id) => devstore.addCustomer(shop, { id }));
      const expected = new Map<string, number>();
      for (let index = 0; index < ORDERS; index++) {
        const customerId = customers[index % customers.length]!;
        const priceMinor = 1_000 + (index % 17) * 137;
        const order = devstore.createOrder(shop, { customerId, lines: [{ priceMinor }] });
        events.push(devstore.pay(shop, order.id)[0]!);
        expected.set(String(customerId), (expected.get(String(customerId)) ?? 0) + Math.floor(priceMinor / 100));
      }
      expect((await deliver(processes[1]!.url, DEV_API_SECRET, customerEvents)).failed).toBe(0);
      const halves = [events.filter((_, index) => index % 2 === 0), events.filter((_, index) => index % 2 === 1)];
      // Each process gets its half twice, and the other half once more: every event arrives 3 times, in any order.
      const reports = await Promise.all([
        deliver(processes[0]!.url, DEV_API_SECRET, [...halves[0]!, ...halves[0]!, ...halves[1]!], { shuffle: true, concurrency: 16 }),
        deliver(processes[1]!.url, DEV_API_SECRET, [...halves[1]!, ...halves[1]!, ...halves[0]!], { shuffle: true, concurrency: 16 }),
      ]);
      expect(reports.reduce((sum, report) => sum + report.failed, 0)).toBe(0);

      const connection = await connectMongoose(uri);
      try {
        const inbox = inboxModel(connection);
        const log = webhookLogModel(connection);
        for (let wait = 0; wait < 600 && (await inbox.countDocuments({ shop, status: { $in: ['pending', 'processing'] } })) > 0; wait++) {
          await new Promise((resolve) => setTimeout(resolve, 200));
        }
        // A finished delivery stays in the inbox for the replay horizon, then moves to the log: count both.
        const unfinished = [inbox, log].map((collection) =>
          collection
            .find({ shop, status: { $ne: 'processed' }, topic: 'orders/paid' }, { status: 1, topic: 1, lastError: 1, outcome: 1 })
            .limit(3)
            .lean(),
        );
        expect((await Promise.all(unfinished)).flat()).toEqual([]);
        const processed = await Promise.all(
          [inbox, log].map((collection) => collection.countDocuments({ shop, status: 'processed', topic: 'orders/paid' })),
        );
        expect(processed[0]! + processed[1]!).toBe(ORDERS);
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

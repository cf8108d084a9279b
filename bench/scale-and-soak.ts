import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { performance } from 'node:perf_hooks';
import { randomUUID } from 'node:crypto';
import { MongoClient } from 'mongodb';
import { signSessionToken } from '../devstore/session-token.js';
import { DEV_API_KEY, DEV_API_SECRET } from '../server/platform/config.js';
import { round, runLoad } from './lib/load.js';
import { signedOrderPaid } from './lib/orders.js';
import { appUrlFromLog, rssMb, startServerProcess, type ServerProcess } from './lib/processes.js';

const here = path.dirname(fileURLToPath(import.meta.url));
const CUSTOMERS = 50;

function databaseUri(base: string, name: string): string {
  return `${base.replace(/\/$/, '')}/${name}`;
}

async function startApps(count: number, uri: string, dataDir: string): Promise<ServerProcess[]> {
  return Promise.all(
    Array.from({ length: count }, (_, index) =>
      startServerProcess(
        path.join(here, '..', 'server', 'main.ts'),
        { MONGODB_URI: uri, PORT: '0', LOG_LEVEL: 'info', SHOPIFY_API_SECRET: DEV_API_SECRET, DATA_DIR: `${dataDir}-${index}` },
        appUrlFromLog,
      ),
    ),
  );
}

async function install(appUrl: string, shop: string): Promise<void> {
  const token = signSessionToken({ shop, apiKey: DEV_API_KEY, apiSecret: DEV_API_SECRET });
  const response = await fetch(`${appUrl}/api/program`, { headers: { Authorization: `Bearer ${token}` } });
  if (!response.ok) throw new Error(`install of ${shop} failed: ${response.status}`);
}

async function waitForCredits(uri: string, shop: string, orders: number, timeoutMs: number): Promise<{ credited: number; exact: boolean }> {
  const client = await MongoClient.connect(uri);
  try {
    const ledger = client.db().collection<{ shop: string; type: string; customerId: string; seq: number; balance: number }>('ledger_entries');
    const deadline = Date.now() + timeoutMs;
    let credited = 0;
    while (Date.now() < deadline && (credited = await ledger.countDocuments({ shop, type: 'earn' })) < orders)
      await new Promise((resolve) => setTimeout(resolve, 250));
    // Exactly once: every customer's newest entry holds 42 points per order of theirs.
    let exact = credited === orders;
    for (let customer = 0; customer < CUSTOMERS && exact; customer++) {
      const expectedOrders = Math.floor(orders / CUSTOMERS) + (customer < orders % CUSTOMERS ? 1 : 0);
      const newest = await ledger
        .find({ shop, customerId: String(7_000_000 + customer) })
        .sort({ seq: -1 })
        .limit(1)
        .next();
      exact = (newest?.balance ?? 0) === expectedOrders * 42;
    }
    return { credited, exact };
  } finally {
    await client.close();
  }
}

export interface ScaleRow {
  processes: number;
  orders: number;
  deliveries: number;
  seconds: number;
  creditsPerSecond: number;
  ratioToOne: number;
  exactlyOnce: boolean;
}

/**
 * 1, 2 and 4 app processes on one database, each in a database of its own: `orders` paid orders,
 * a third of them delivered twice, spread round-robin over the processes by 32 senders; timed
 * from the first send to the last credit, then checked exactly once per customer.
 */
export async function measureScaleOut(baseUri: string, counts: number[], orders: number, dataDir: string): Promise<ScaleRow[]> {
  const rows: ScaleRow[] = [];
  for (const count of counts) {
    const uri = databaseUri(baseUri, `bench_scale_${count}`);
    const apps = await startApps(count, uri, `${dataDir}/scale-${count}`);
    try {
      const shop = `bench-scale-${count}.myshopify.com`;
      await install(apps[0]!.url, shop);
      const deliveries = Array.from({ length: orders }, (_, index) => index).flatMap((index) => (index % 3 === 0 ? [index, index] : [index]));
      const eventIds = Array.from({ length: orders }, () => randomUUID());
      const started = performance.now();
      await runLoad(32, deliveries.length, (index) => {
        const orderId = deliveries[index]!;
        return signedOrderPaid(apps[index % count]!.url, 10_000_000 + orderId, shop, CUSTOMERS, eventIds[orderId]);
      });
      const { credited, exact } = await waitForCredits(uri, shop, orders, 600_000);
      const seconds = (performance.now() - started) / 1000;
      const creditsPerSecond = round(credited / seconds, 1);
      rows.push({
        processes: count,
        orders,
        deliveries: deliveries.length,
        seconds: round(seconds, 1),
        creditsPerSecond,
        ratioToOne: round(creditsPerSecond / (rows[0]?.creditsPerSecond ?? creditsPerSecond), 2),
        exactlyOnce: exact,
      });
    } finally {
      await Promise.all(apps.map((app) => app.stop()));
    }
  }
  return rows;
}

export interface SoakResult {
  seconds: number;
  ratePerSecond: number;
  sent: number;
  rssMb: number[];
  growthPercent: number;
}

/**
 * A steady stream of paid orders for `seconds`, with the app's RSS sampled every 30 s. Growth is
 * measured from the sample after the first minute (warm-up) to the last.
 */
export async function measureSoak(baseUri: string, seconds: number, ratePerSecond: number, dataDir: string): Promise<SoakResult> {
  const uri = databaseUri(baseUri, 'bench_soak');
  const [app] = await startApps(1, uri, `${dataDir}/soak`);
  try {
    const shop = 'bench-soak.myshopify.com';
    await install(app!.url, shop);
    const samples: number[] = [await rssMb(app!.pid)];
    const started = performance.now();
    let sent = 0;
    let nextSample = 30_000;
    while (performance.now() - started < seconds * 1000) {
      const due = Math.floor(((performance.now() - started) / 1000) * ratePerSecond);
      while (sent < due) {
        const request = signedOrderPaid(app!.url, 20_000_000 + sent, shop, CUSTOMERS);
        sent++;
        void fetch(request.url, { method: 'POST', headers: request.headers, body: request.body }).then(
          (response) => response.arrayBuffer(),
          () => undefined,
        );
      }
      if (performance.now() - started >= nextSample) {
        samples.push(await rssMb(app!.pid));
        nextSample += 30_000;
      }
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    samples.push(await rssMb(app!.pid));
    const warm = samples[Math.min(2, samples.length - 1)]!;
    return { seconds, ratePerSecond, sent, rssMb: samples, growthPercent: round(((samples.at(-1)! - warm) / warm) * 100, 1) };
  } finally {
    await app!.stop();
  }
}

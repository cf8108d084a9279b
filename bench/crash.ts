// kill -9 mid-stream: an app process is killed with SIGKILL once a third of a stream of paid orders
// is acknowledged, a new process starts on the same database, Shopify redelivers everything it
// did not see acknowledged, and the clock runs from the new process's start until every balance
// is exact (each customer's newest balance equals the sum of their credits, and each order
// credited once).
import { performance } from 'node:perf_hooks';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { MongoClient } from 'mongodb';
import { signSessionToken } from '../devstore/session-token.js';
import { DEV_API_KEY, DEV_API_SECRET } from '../server/platform/config.js';
import { round } from './lib/load.js';
import { signedOrderPaid } from './lib/orders.js';
import { appUrlFromLog, startServerProcess, type ServerProcess } from './lib/processes.js';

const here = path.dirname(fileURLToPath(import.meta.url));
const SHOP = 'bench-crash.myshopify.com';

export interface CrashResult {
  orders: number;
  acknowledgedBeforeKill: number;
  restartSeconds: number;
  exactAfterRestartSeconds: number;
  balancesExact: boolean;
}

/** Whether every order has one credit and every customer's newest balance is the sum of their credits. */
export async function balancesExact(client: MongoClient, dbName: string, shop: string, orders: number): Promise<boolean> {
  const entries = await client
    .db(dbName)
    .collection<{ customerId: string; seq: number; available: number; balance: number; type: string }>('ledger_entries')
    .find({ shop }, { projection: { customerId: 1, seq: 1, available: 1, balance: 1, type: 1 } })
    .toArray();
  if (entries.filter((entry) => entry.type === 'earn').length !== orders) return false;
  const customers = new Map<string, { sum: number; seq: number; balance: number }>();
  for (const entry of entries) {
    const customer = customers.get(entry.customerId) ?? { sum: 0, seq: 0, balance: 0 };
    customer.sum += entry.available;
    if (entry.seq > customer.seq) Object.assign(customer, { seq: entry.seq, balance: entry.balance });
    customers.set(entry.customerId, customer);
  }
  return [...customers.values()].every((customer) => customer.sum === customer.balance);
}

export async function measureCrash(baseUri: string, orders: number, dataDir: string): Promise<CrashResult> {
  const dbName = `bench_crash_${Date.now()}`;
  const uri = `${baseUri.replace(/\/$/, '')}/${dbName}`;
  const env = { MONGODB_URI: uri, PORT: '0', LOG_LEVEL: 'info', SHOPIFY_API_SECRET: DEV_API_SECRET, DATA_DIR: dataDir };
  const entry = path.join(here, '..', 'server', 'main.ts');
  let app: ServerProcess = await startServerProcess(entry, env, appUrlFromLog);
  const token = signSessionToken({ shop: SHOP, apiKey: DEV_API_KEY, apiSecret: DEV_API_SECRET });
  if (!(await fetch(`${app.url}/api/program`, { headers: { Authorization: `Bearer ${token}` } })).ok) throw new Error('crash bench: install failed');

  const acknowledged = new Set<number>();
  let next = 0;
  let killed = false;
  await Promise.all(
    Array.from({ length: 16 }, async () => {
      for (let orderId = next++; orderId < orders; orderId = next++) {
        const request = signedOrderPaid(app.url, orderId + 1, SHOP, 200, `crash-${orderId}`);
        try {
          const response = await fetch(request.url, { method: 'POST', headers: request.headers, body: request.body });
          if (response.ok) acknowledged.add(orderId);
        } catch {
          // The process is gone: Shopify redelivers after the restart.
        }
        if (!killed && acknowledged.size >= orders / 3) {
          killed = true;
          app.child.kill('SIGKILL');
        }
      }
    }),
  );
  const acknowledgedBeforeKill = acknowledged.size;
  await app.stop();

  const restarted = performance.now();
  app = await startServerProcess(entry, env, appUrlFromLog);
  const restartSeconds = (performance.now() - restarted) / 1000;
  const client = await MongoClient.connect(uri);
  try {
    // Shopify's redelivery: everything not acknowledged, and a few that were (a duplicate is answered 200).
    const redeliver = Array.from({ length: orders }, (_, orderId) => orderId).filter((orderId) => !acknowledged.has(orderId) || orderId % 10 === 0);
    await Promise.all(
      Array.from({ length: 16 }, async (_, sender) => {
        for (let index = sender; index < redeliver.length; index += 16) {
          const orderId = redeliver[index]!;
          const request = signedOrderPaid(app.url, orderId + 1, SHOP, 200, `crash-${orderId}`);
          const response = await fetch(request.url, { method: 'POST', headers: request.headers, body: request.body });
          if (!response.ok) throw new Error(`crash bench: redelivery answered ${response.status}`);
        }
      }),
    );
    let exact = false;
    while (!exact && performance.now() - restarted < 120_000) {
      exact = await balancesExact(client, dbName, SHOP, orders);
      if (!exact) await new Promise((resolve) => setTimeout(resolve, 100));
    }
    return {
      orders,
      acknowledgedBeforeKill,
      restartSeconds: round(restartSeconds, 2),
      exactAfterRestartSeconds: round((performance.now() - restarted) / 1000, 2),
      balancesExact: exact,
    };
  } finally {
    await client.close();
    await app.stop();
  }
}

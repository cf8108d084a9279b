// `npm run bench`: load, memory and scale figures, each beside a floor measured in the same run
// on the same machine (the machine is shared and noisy, so only ratios travel).
import { createHmac } from 'node:crypto';
import { mkdir, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { performance } from 'node:perf_hooks';
import { MongoClient } from 'mongodb';
import { signSessionToken } from '../devstore/session-token.js';
import { signAppProxyQuery } from '../server/shopify/app-proxy.js';
import { DEV_API_KEY, DEV_API_SECRET } from '../server/platform/config.js';
import { measureAdminLoad } from './admin-load.js';
import { measureInsertRate, startBenchDatabase, type InsertRate } from './lib/database.js';
import { percentile, round, runLoad, type LoadResult, type PreparedRequest } from './lib/load.js';
import { signedOrderPaid as signedOrder } from './lib/orders.js';
import { appUrlFromLog, rssMb, startServerProcess } from './lib/processes.js';
import { balancesExact, measureCrash } from './crash.js';
import { measureRoundTrips } from './round-trips.js';
import { measureScaleOut, measureSoak, type ScaleRow } from './scale-and-soak.js';

const here = path.dirname(fileURLToPath(import.meta.url));
const SENDERS = [1, 8, 32, 128];
const REQUESTS_PER_LEVEL = Number(process.env.BENCH_REQUESTS ?? 2000);
const SHOP = 'bench-shop.myshopify.com';
const CREDIT_SHOP = 'bench-credit.myshopify.com';
const CREDIT_ORDERS = Number(process.env.BENCH_CREDIT_ORDERS ?? 2000);

function signedOrderPaid(baseUrl: string, orderId: number, shop = SHOP): PreparedRequest {
  return signedOrder(baseUrl, orderId, shop);
}

interface AckRow {
  senders: number;
  /** HMAC only. */
  floor: LoadResult;
  /** HMAC and one unique insert of the delivery into the same database. */
  durableFloor: LoadResult;
  app: LoadResult;
  throughputRatio: number;
  durableRatio: number;
}

async function main(): Promise<void> {
  const database = await startBenchDatabase();
  const results: Record<string, unknown> = {
    machine: {
      cpus: os.cpus().length,
      model: os.cpus()[0]?.model,
      memoryGb: round(os.totalmem() / 2 ** 30, 1),
      node: process.version,
      engine: database.engine,
      storage: database.storage,
    },
    at: new Date().toISOString(),
    requestsPerLevel: REQUESTS_PER_LEVEL,
  };
  // Written after each phase, so a long run that stops keeps what it measured.
  await mkdir(path.join(here, 'results'), { recursive: true });
  const file = path.join(here, 'results', `bench-${new Date().toISOString().replace(/[:.]/g, '-')}.json`);
  const save = () => writeFile(file, `${JSON.stringify(results, null, 2)}\n`);
  try {
    const insertRates: InsertRate[] = [];
    for (const concurrency of [1, 32]) insertRates.push(await measureInsertRate(database.uri, concurrency, 2000));
    results.rawInsert = insertRates;
    await save();

    const only = new Set((process.env.BENCH_ONLY ?? 'roundtrips,growth,credits,ack,crash,scale,soak,admin').split(','));
    if (only.has('admin')) results.adminLoad = await measureAdminLoad({ mongodbUri: database.uri });
    if (only.has('roundtrips') || only.has('growth')) results.roundTrips = await measureRoundTrips(database, only.has('growth'));
    await save();
    const scratch = path.join(os.tmpdir(), `tally-bench-${process.pid}`);
    if (only.has('crash'))
      results.crash = await measureCrash(database.uri, Number(process.env.BENCH_CRASH_ORDERS ?? 600), path.join(scratch, 'crash'));
    await save();
    if (only.has('scale')) results.scaleOut = await measureScaleOut(database.uri, [1, 2, 4], Number(process.env.BENCH_SCALE_ORDERS ?? 600), scratch);
    if (only.has('soak'))
      results.soak = await measureSoak(
        database.uri,
        Number(process.env.BENCH_SOAK_SECONDS ?? 300),
        Number(process.env.BENCH_SOAK_RATE ?? 8),
        scratch,
      );
    if (only.has('credits') || only.has('ack')) {
      const env = {
        MONGODB_URI: database.uri,
        PORT: '0',
        LOG_LEVEL: 'warn',
        SHOPIFY_API_SECRET: DEV_API_SECRET,
        PROXY_RATE_LIMIT: '1000000',
        DATA_DIR: path.join(scratch, 'ack'),
      };
      const floor = await startServerProcess(path.join(here, 'floor-server.ts'), env, appUrlFromLog);
      const durableFloor = await startServerProcess(path.join(here, 'durable-floor-server.ts'), env, appUrlFromLog);
      const app = await startServerProcess(path.join(here, '..', 'server', 'main.ts'), { ...env, LOG_LEVEL: 'info' }, appUrlFromLog);
      try {
        const idleRss = await rssMb(app.pid);
        // Credits first: the acknowledgement levels leave a backlog the worker needs minutes to clear on FerretDB.
        if (only.has('credits')) {
          results.credits = await measureCredits(app.url, database.uri, 1);
          results.paidToVisible = await measurePaidToVisible(app.url, 2_000_000);
          results.proxyCustomer = await runLoad(32, REQUESTS_PER_LEVEL, (index) => proxyCustomerRequest(app.url, String(7_000_000 + (index % 500))));
          results.proxyFloor = await runLoad(32, REQUESTS_PER_LEVEL, (index) => signedOrderPaid(floor.url, 3_000_000 + index));
          results.redemptionContention = await measureRedemptionContention(app.url);
          await save();
        }
        const rows: AckRow[] = [];
        let orderId = CREDIT_ORDERS + 1;
        for (const senders of only.has('ack') ? SENDERS : []) {
          const floorResult = await runLoad(senders, REQUESTS_PER_LEVEL, () => signedOrderPaid(floor.url, orderId++));
          const durableResult = await runLoad(senders, REQUESTS_PER_LEVEL, () => signedOrderPaid(durableFloor.url, orderId++));
          const appResult = await runLoad(senders, REQUESTS_PER_LEVEL, () => signedOrderPaid(app.url, orderId++));
          rows.push({
            senders,
            floor: floorResult,
            durableFloor: durableResult,
            app: appResult,
            throughputRatio: round(appResult.throughput / floorResult.throughput, 3),
            durableRatio: round(appResult.throughput / durableResult.throughput, 3),
          });
        }
        results.webhookAck = rows;
        await save();
        results.memory = { idleRssMb: idleRss, afterLoadRssMb: await rssMb(app.pid) };
      } finally {
        await app.stop();
        await floor.stop();
        await durableFloor.stop();
      }
    }
  } finally {
    await database.stop();
  }

  await save();
  printTable(results);
  console.log(`\nwritten to ${path.relative(process.cwd(), file)}`);
}

/**
 * Credits per second with the database in the loop: the shop is installed (token exchange with
 * the devstore), the inbox is checked empty, then CREDIT_ORDERS paid orders are sent by 32
 * senders and the clock runs until every one of them has its ledger entry.
 */
async function measureCredits(appUrl: string, uri: string, firstOrderId: number): Promise<Record<string, number>> {
  const token = signSessionToken({ shop: CREDIT_SHOP, apiKey: DEV_API_KEY, apiSecret: DEV_API_SECRET });
  const install = await fetch(`${appUrl}/api/program`, { headers: { Authorization: `Bearer ${token}` } });
  if (!install.ok) throw new Error(`bench shop install failed: ${install.status}`);
  const client = await MongoClient.connect(uri);
  try {
    const db = client.db('test');
    // Wait for work in flight (the demo shop's deliveries); finished deliveries stay in the inbox for a week.
    const busy = async () =>
      (await db.collection('webhook_inbox').countDocuments({ status: 'pending' })) +
      (await db.collection('webhook_inbox').countDocuments({ status: 'processing' }));
    while ((await busy()) > 0) await new Promise((resolve) => setTimeout(resolve, 250));
    const started = performance.now();
    let orderId = firstOrderId;
    const load = await runLoad(32, CREDIT_ORDERS, () => signedOrderPaid(appUrl, orderId++, CREDIT_SHOP));
    const acknowledged = performance.now();
    while ((await db.collection('ledger_entries').countDocuments({ shop: CREDIT_SHOP, type: 'earn' })) < CREDIT_ORDERS) {
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    const lastCredit = performance.now();
    const seconds = (lastCredit - started) / 1000;
    return {
      orders: CREDIT_ORDERS,
      senders: 32,
      balancesExact: (await balancesExact(client, 'test', CREDIT_SHOP, CREDIT_ORDERS)) ? 1 : 0,
      ackSeconds: round((acknowledged - started) / 1000, 2),
      lastCreditAfterLastAckSeconds: round((lastCredit - acknowledged) / 1000, 2),
      ackP99Ms: load.p99Ms,
      creditsPerSecond: round(CREDIT_ORDERS / seconds, 1),
      ackErrors: load.errors,
    };
  } finally {
    await client.close();
  }
}

function adminHeaders(shop: string): Record<string, string> {
  return {
    Authorization: `Bearer ${signSessionToken({ shop, apiKey: DEV_API_KEY, apiSecret: DEV_API_SECRET })}`,
    'Content-Type': 'application/json',
  };
}

function proxyCustomerRequest(appUrl: string, customerId: string, shop = CREDIT_SHOP): PreparedRequest {
  const query = signAppProxyQuery(
    { shop, logged_in_customer_id: customerId, path_prefix: '/apps/loyalty', timestamp: String(Math.floor(Date.now() / 1000)) },
    DEV_API_SECRET,
  );
  return { url: `${appUrl}/proxy/customer?${query}`, method: 'GET', headers: {} };
}

/**
 * "Paid → points visible": one order at a time for a fresh customer, timed from the webhook's
 * send until the storefront's /proxy/customer shows the points.
 */
async function measurePaidToVisible(appUrl: string, firstOrderId: number, orders = 100): Promise<Record<string, number>> {
  const latencies: number[] = [];
  for (let index = 0; index < orders; index++) {
    const orderId = firstOrderId + index;
    const request = signedOrderPaid(appUrl, orderId, CREDIT_SHOP);
    const customerId = String((JSON.parse(request.body!) as { customer: { id: number } }).customer.id + 1_000_000 + index);
    const body = request.body!.replace(/"customer":\{"id":\d+/, `"customer":{"id":${customerId}`);
    const started = performance.now();
    const response = await fetch(request.url, {
      method: 'POST',
      headers: { ...request.headers, 'X-Shopify-Hmac-Sha256': createHmac('sha256', DEV_API_SECRET).update(body).digest('base64') },
      body,
    });
    if (!response.ok) throw new Error(`paid→visible: webhook answered ${response.status}`);
    for (;;) {
      const view = (await (await fetch(proxyCustomerRequest(appUrl, customerId).url)).json()) as { points: { balance: number } | null };
      if ((view.points?.balance ?? 0) > 0) break;
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
    latencies.push(performance.now() - started);
  }
  latencies.sort((a, b) => a - b);
  return { orders, p50Ms: round(percentile(latencies, 50), 1), p99Ms: round(percentile(latencies, 99), 1), maxMs: round(latencies.at(-1) ?? 0, 1) };
}

/** 50 simultaneous redemptions by one customer whose points cover 10: exactly 10 may succeed. */
async function measureRedemptionContention(appUrl: string): Promise<Record<string, number>> {
  const customerId = '7999999';
  const grant = await fetch(`${appUrl}/api/customers/${customerId}/adjustments`, {
    method: 'POST',
    headers: adminHeaders(CREDIT_SHOP),
    body: JSON.stringify({ points: 5_000, reason: 'bench: points for 10 rewards' }),
  });
  if (grant.status !== 201) throw new Error(`bench grant failed: ${grant.status}`);
  const started = performance.now();
  const load = await runLoad(
    50,
    50,
    () => {
      const query = signAppProxyQuery(
        { shop: CREDIT_SHOP, logged_in_customer_id: customerId, path_prefix: '/apps/loyalty', timestamp: String(Math.floor(Date.now() / 1000)) },
        DEV_API_SECRET,
      );
      return {
        url: `${appUrl}/proxy/redemptions?${query}`,
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({ rewardId: 'five-off' }),
      };
    },
    (status) => status === 201,
  );
  const view = (await (await fetch(proxyCustomerRequest(appUrl, customerId).url)).json()) as { points: { balance: number } };
  return {
    requests: 50,
    issued: load.statuses['201'] ?? 0,
    refusedInsufficient: load.statuses['409'] ?? 0,
    finalBalance: view.points.balance,
    seconds: round((performance.now() - started) / 1000, 2),
    p50Ms: load.p50Ms,
    p99Ms: load.p99Ms,
  };
}

function printTable(results: Record<string, unknown>): void {
  const rows = (results.webhookAck as AckRow[] | undefined) ?? [];
  console.log('\nwebhook acknowledgement (signed orders/paid), app vs floors (HMAC only; HMAC and a unique insert)');
  console.log(
    'senders | floor req/s | durable floor req/s | app req/s | ratio to floor | ratio to durable | durable p99 ms | app p50 ms | app p99 ms | app non-2xx',
  );
  for (const row of rows) {
    console.log(
      [
        row.senders,
        row.floor.throughput,
        row.durableFloor.throughput,
        row.app.throughput,
        row.throughputRatio,
        row.durableRatio,
        row.durableFloor.p99Ms,
        row.app.p50Ms,
        row.app.p99Ms,
        row.app.errors,
      ].join(' | '),
    );
  }
  if (results.roundTrips) {
    console.log('\ndatabase round trips (driver command monitoring):');
    for (const [name, value] of Object.entries(results.roundTrips as Record<string, unknown>)) console.log(`${name}: ${JSON.stringify(value)}`);
  }
  console.log('\nraw single-document inserts:', JSON.stringify(results.rawInsert));
  console.log('paid → points visible:', JSON.stringify(results.paidToVisible));
  const proxy = results.proxyCustomer as LoadResult | undefined;
  const proxyFloor = results.proxyFloor as LoadResult | undefined;
  if (proxy && proxyFloor)
    console.log(
      `/proxy/customer at 32 senders: ${proxy.throughput} req/s (floor ${proxyFloor.throughput}, ratio ${round(proxy.throughput / proxyFloor.throughput, 3)}), p50 ${proxy.p50Ms} ms, p99 ${proxy.p99Ms} ms, non-2xx ${proxy.errors}`,
    );
  console.log('redemption contention:', JSON.stringify(results.redemptionContention));
  const scale = results.scaleOut as ScaleRow[] | undefined;
  if (scale) {
    console.log('\nscale-out (one database): processes | orders | deliveries | seconds | credits/s | ratio to 1 | exactly once');
    for (const row of scale)
      console.log([row.processes, row.orders, row.deliveries, row.seconds, row.creditsPerSecond, row.ratioToOne, row.exactlyOnce].join(' | '));
  }
  if (results.soak) console.log('soak:', JSON.stringify(results.soak));
  if (results.crash) console.log('kill -9 mid-stream:', JSON.stringify(results.crash));
  console.log('memory:', JSON.stringify(results.memory));
  const credits = results.credits as Record<string, number> | undefined;
  const raw = (results.rawInsert as InsertRate[] | undefined)?.find((rate) => rate.concurrency === 32);
  if (credits && raw) {
    console.log(`credits: ${JSON.stringify(credits)}; ratio to raw inserts at 32 writers: ${round(credits.creditsPerSecond! / raw.perSecond, 3)}`);
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});

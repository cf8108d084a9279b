// Database round trips per credited order, per storefront view and per redemption, counted with the
// driver's command monitoring on an app booted in this process; and how credits/s and the shopper
// view's p99 change when the ledger holds 1,000, 100,000 and 1,000,000 entries.
import { randomUUID } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { MongoClient } from 'mongodb';
import { signSessionToken } from '../devstore/session-token.js';
import { bootTally, type RunningApp } from '../server/boot.js';
import { DEV_API_KEY, DEV_API_SECRET, loadConfig } from '../server/platform/config.js';
import type { ResolvedDatabase } from '../server/platform/database/resolve.js';
import { createLogger } from '../server/platform/logger.js';
import { signAppProxyQuery } from '../server/shopify/app-proxy.js';
import { percentile, round } from './lib/load.js';
import { signedOrderPaidFor } from './lib/orders.js';

const SHOP = 'bench-trips.myshopify.com';
/** A shop running the program a real merchant runs: three tiers by spend, badges that pay points, referrals on. */
const MERCHANT_SHOP = 'bench-trips-merchant.myshopify.com';

interface Counter {
  total: number;
  byCommand: Map<string, number>;
}

async function sendOrderPaid(app: RunningApp, orderId: number, customerId: number, shop = SHOP): Promise<string> {
  const eventId = randomUUID();
  const request = signedOrderPaidFor(app.url, orderId, customerId, shop, eventId);
  const response = await fetch(request.url, { method: request.method, body: request.body, headers: request.headers });
  if (response.status !== 200) throw new Error(`orders/paid answered ${response.status}`);
  return eventId;
}

/**
 * Waits for a delivery to finish by watching it through a client of its own, whose commands are
 * not the app's (drain() would add its own sweeps to the count).
 */
async function finished(watcher: MongoClient, dbName: string, eventId: string): Promise<void> {
  const inbox = watcher.db(dbName).collection('webhook_inbox');
  for (;;) {
    const entry = await inbox.findOne({ eventId }, { projection: { status: 1 } });
    if (entry && ['processed', 'skipped', 'failed'].includes(String(entry.status))) return;
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

function proxyUrl(app: RunningApp, path: string, customerId: number): string {
  const query = signAppProxyQuery(
    { shop: SHOP, logged_in_customer_id: String(customerId), path_prefix: '/apps/loyalty', timestamp: String(Math.floor(Date.now() / 1000)) },
    DEV_API_SECRET,
  );
  return `${app.url}/proxy/${path}?${query}`;
}

/** Commands the app sends while `work` runs, averaged over `times` runs, with the busiest commands. */
async function count(
  counter: Counter,
  times: number,
  work: (index: number) => Promise<void>,
): Promise<{ perOperation: number; breakdown: Record<string, number> }> {
  counter.total = 0;
  counter.byCommand.clear();
  for (let index = 0; index < times; index++) await work(index);
  const breakdown = Object.fromEntries(
    [...counter.byCommand.entries()].sort((a, b) => b[1] - a[1]).map(([name, value]) => [name, round(value / times, 2)]),
  );
  return { perOperation: round(counter.total / times, 2), breakdown };
}

/** Fills the ledger from `from` to `entries` bench entries (5,000 other customers; a count would read them all). */
async function fillLedger(app: RunningApp, from: number, entries: number): Promise<void> {
  const collection = app.connection.getClient().db(app.connection.name).collection<{ _id: string; shop: string }>('ledger_entries');
  const now = new Date();
  for (let start = from; start < entries; start += 1000) {
    const batch = Array.from({ length: Math.min(1000, entries - start) }, (_, offset) => {
      const index = start + offset;
      const customerId = `9${String(index % 5000).padStart(6, '0')}`;
      const seq = Math.floor(index / 5000) + 1;
      return {
        _id: `${SHOP}|${customerId}|${seq}`,
        shop: SHOP,
        customerId,
        seq,
        key: `fill:${index}`,
        type: 'adjust',
        available: 1,
        pending: 0,
        balance: seq,
        pendingBalance: 0,
        lifetimeEarned: 0,
        paidOrders: 0,
        day: now.toISOString().slice(0, 10),
        earnedOnDay: 0,
        shortfall: 0,
        reason: 'bench fill',
        source: 'bench',
        createdAt: now,
      };
    });
    await collection.insertMany(batch, { ordered: false });
  }
  // FerretDB's collStats runs ANALYZE: the planner sees the table as autovacuum would leave it.
  await app.connection.db!.command({ collStats: 'ledger_entries' });
}

/** Credits per second (8 orders in flight) and /proxy/customer p99 (sequential) at the ledger's current size. */
async function growthPoint(app: RunningApp, from: number, entries: number, firstOrderId: number): Promise<Record<string, number>> {
  await fillLedger(app, from, entries);
  const orders = Number(process.env.BENCH_GROWTH_ORDERS ?? 50);
  let next = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: 8 }, async () => {
      for (let index = next++; index < orders; index = next++) await sendOrderPaid(app, firstOrderId + index, 8_000_000 + (index % 100));
    }),
  );
  await app.worker.drain();
  const creditsPerSecond = orders / ((performance.now() - started) / 1000);
  const latencies: number[] = [];
  for (let index = 0; index < Number(process.env.BENCH_GROWTH_VIEWS ?? 50); index++) {
    const began = performance.now();
    const response = await fetch(proxyUrl(app, 'customer', 8_000_000 + (index % 100)));
    await response.arrayBuffer();
    latencies.push(performance.now() - began);
  }
  latencies.sort((a, b) => a - b);
  return {
    ledgerEntries: entries,
    creditsPerSecond: round(creditsPerSecond, 1),
    proxyCustomerP50Ms: round(percentile(latencies, 50), 1),
    proxyCustomerP99Ms: round(percentile(latencies, 99), 1),
  };
}

async function adminApi(app: RunningApp, shop: string, path: string, init: { method?: string; body?: unknown } = {}): Promise<Response> {
  const token = signSessionToken({ shop, apiKey: DEV_API_KEY, apiSecret: DEV_API_SECRET });
  return fetch(`${app.url}/api${path}`, {
    method: init.method ?? 'GET',
    headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' },
    ...(init.body === undefined ? {} : { body: JSON.stringify(init.body) }),
  });
}

/**
 * Installs the merchant's shop and saves its program: Bronze, Silver from $200 and Gold from $600 of
 * lifetime spend (x1, x1.25, x1.5), badges at the first, fifth, tenth and fifteenth order that pay 50
 * to 400 points, and referrals on (the default program has them on).
 */
async function installMerchantProgram(app: RunningApp): Promise<void> {
  const current = await adminApi(app, MERCHANT_SHOP, '/program');
  if (!current.ok) throw new Error(`merchant shop install failed: ${current.status}`);
  const program = (await current.json()) as Record<string, unknown> & { referrals: Record<string, unknown> };
  const perks = { rewardDiscountPercent: 0, freeShipping: false, birthdayBonus: 0 };
  const tier = (id: string, name: string, threshold: number, earnMultiplier: number) => ({
    id,
    name,
    threshold,
    earnMultiplier,
    entryReward: 0,
    perks,
  });
  const badge = (id: string, name: string, milestone: string, count: number, points: number) => ({ id, name, milestone, count, points });
  const saved = await adminApi(app, MERCHANT_SHOP, '/program', {
    method: 'PUT',
    body: {
      ...program,
      tiers: [tier('bronze', 'Bronze', 0, 1), tier('silver', 'Silver', 20_000, 1.25), tier('gold', 'Gold', 60_000, 1.5)],
      tierRules: { metric: 'spend', period: 'lifetime', downgrade: 'immediate', graceDays: 0 },
      badges: [
        badge('first-order', 'First order', 'first_order', 1, 50),
        badge('five-orders', 'Five orders', 'orders', 5, 100),
        badge('ten-orders', 'Ten orders', 'orders', 10, 200),
        badge('fifteen-orders', 'Fifteen orders', 'orders', 15, 400),
      ],
      referrals: { ...program.referrals, enabled: true },
    },
  });
  if (saved.status !== 200) throw new Error(`merchant program not saved: ${saved.status} ${await saved.text()}`);
}

export async function measureRoundTrips(database: ResolvedDatabase, growth: boolean): Promise<Record<string, unknown>> {
  const counter: Counter = { total: 0, byCommand: new Map() };
  const config = loadConfig({ PORT: '0', LOG_LEVEL: 'silent', PROXY_RATE_LIMIT: '1000000' });
  const app = await bootTally({
    config,
    logger: createLogger(config.logLevel),
    database,
    dbName: `bench_trips_${Date.now()}`,
    onDatabaseCommand: ({ commandName, collection }) => {
      counter.total++;
      const name = `${commandName} ${collection}`.trim();
      counter.byCommand.set(name, (counter.byCommand.get(name) ?? 0) + 1);
    },
  });
  try {
    const token = signSessionToken({ shop: SHOP, apiKey: DEV_API_KEY, apiSecret: DEV_API_SECRET });
    const install = await fetch(`${app.url}/api/program`, { headers: { Authorization: `Bearer ${token}` } });
    if (!install.ok) throw new Error(`bench shop install failed: ${install.status}`);
    // Warm-up: pools, the program cache, and the measured customers' first five orders (the first
    // and fifth orders win a badge, which costs one more insert each; the count is of the orders after).
    for (let index = 0; index < 20; index++) await sendOrderPaid(app, 1 + index, 7_100_000 + (index % 4));
    await app.worker.drain();

    await installMerchantProgram(app);
    for (let index = 0; index < 20; index++) await sendOrderPaid(app, 1 + index, 7_200_000 + (index % 4), MERCHANT_SHOP);
    await app.worker.drain();

    const watcher = await MongoClient.connect(database.uri);
    const perOrder = await count(counter, 50, async (index) => {
      await finished(watcher, app.connection.name, await sendOrderPaid(app, 1000 + index, 7_100_000 + (index % 4)));
    });
    // Each of the merchant's four customers goes from 5 to 17 orders ($210 to $714): Gold, and the ten- and fifteen-order badges.
    const perMerchantOrder = await count(counter, 50, async (index) => {
      await finished(watcher, app.connection.name, await sendOrderPaid(app, 1000 + index, 7_200_000 + (index % 4), MERCHANT_SHOP));
    }).finally(() => watcher.close());
    const perView = await count(counter, 20, async (index) => {
      await (await fetch(proxyUrl(app, 'customer', 7_100_000 + (index % 10)))).arrayBuffer();
    });
    // Each of the four customers holds some 700 points: enough for one 500-point reward.
    const perRedemption = await count(counter, 4, async (index) => {
      const response = await fetch(proxyUrl(app, 'redemptions', 7_100_000 + index), {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({ rewardId: 'five-off', requestKey: `bench-${index}-${randomUUID()}` }),
      });
      if (response.status !== 201) throw new Error(`redemption answered ${response.status}: ${await response.text()}`);
    });
    const result: Record<string, unknown> = {
      perCreditedOrder: perOrder,
      perCreditedOrderMerchantProgram: perMerchantOrder,
      perStorefrontView: perView,
      perRedemption,
    };
    if (growth) {
      const sizes = [1_000, 100_000, 1_000_000].filter((size) => size <= Number(process.env.BENCH_GROWTH_MAX ?? 1_000_000));
      const points: Array<Record<string, number>> = [];
      for (const [index, size] of sizes.entries()) points.push(await growthPoint(app, sizes[index - 1] ?? 0, size, (index + 1) * 100_000));
      result.growth = points.map((point) => ({ ...point, creditsRatioTo1k: round(point.creditsPerSecond! / points[0]!.creditsPerSecond!, 3) }));
    }
    return result;
  } finally {
    await app.close();
  }
}

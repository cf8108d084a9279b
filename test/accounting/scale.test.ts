import { performance } from 'node:perf_hooks';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { accountingJobs } from '../../server/accounting/index.js';
import { analyticsJobs } from '../../server/analytics/index.js';
import { type LedgerEntry } from '../../server/ledger/index.js';
import { ledgerEntryModel } from '../../server/ledger/store.js';
import { runDueJobs } from '../../server/platform/jobs.js';
import { startTestApp, type TestApp } from '../support/app.js';
import { api, installShop } from '../support/shopify.js';

const ENTRIES = 100_000;
const CUSTOMERS = 2_000;
const DAYS = 365;
const START = Date.parse('2025-11-01T00:00:00Z');
const TYPES: Array<LedgerEntry['type']> = ['earn', 'earn', 'earn', 'bonus', 'redeem', 'reverse', 'adjust', 'expire', 'order_edit', 'redeem_refund'];

/**
 * A year of a busy shop's ledger (100,000 entries, 2,000 customers) inserted in bulk, then the
 * accounting and analytics pages read through HTTP: the first view builds the day sums, later
 * views read them and recompute only today. Durations are printed, never asserted. It takes
 * minutes on the embedded FerretDB, so it runs when TALLY_SCALE_TEST=1.
 */
describe.runIf(process.env.TALLY_SCALE_TEST === '1')('accounting over a 100,000-entry ledger', () => {
  let app: TestApp;
  let now = new Date(START + DAYS * 86_400_000 + 12 * 3_600_000);
  const shop = 'scale.myshopify.com';
  let total = 0;

  beforeAll(async () => {
    app = await startTestApp('accounting-scale', {}, { clock: () => now });
    const accounts = Array.from({ length: CUSTOMERS }, () => ({ seq: 0, balance: 0 }));
    const batch: LedgerEntry[] = [];
    for (let index = 0; index < ENTRIES; index++) {
      const customer = index % CUSTOMERS;
      const account = accounts[customer]!;
      const type = TYPES[(index * 7 + customer) % TYPES.length]!;
      const points = 10 + ((index * 13) % 90);
      const available = ['redeem', 'reverse', 'expire'].includes(type) ? -Math.min(points, Math.max(0, account.balance)) : points;
      const createdAt = new Date(START + Math.floor((index / ENTRIES) * DAYS * 86_400_000));
      account.seq++;
      account.balance += available;
      total += available;
      batch.push({
        _id: `${shop}|${customer}|${account.seq}`,
        shop,
        customerId: String(customer),
        seq: account.seq,
        key: `scale:${index}`,
        type,
        available,
        pending: 0,
        balance: account.balance,
        pendingBalance: 0,
        lifetimeEarned: 0,
        paidOrders: 0,
        day: createdAt.toISOString().slice(0, 10),
        earnedOnDay: 0,
        shortfall: 0,
        reason: 'scale',
        source: 'test',
        createdAt,
      });
      if (batch.length === 5_000) await ledgerEntryModel(app.connection).insertMany(batch.splice(0), { ordered: false });
    }
    // Installed only now, so the app's scheduler cannot seal days while back-dated entries are still arriving.
    await installShop(app, shop);
  }, 600_000);
  afterAll(async () => {
    await app.close();
  });

  async function timed(path: string): Promise<{ ms: number; body: { days?: Array<{ closing: number }>; members?: number } }> {
    const started = performance.now();
    const response = await api(app, shop, path);
    const body = (await response.json()) as { days?: Array<{ closing: number }>; members?: number };
    expect(response.status).toBe(200);
    return { ms: Math.round(performance.now() - started), body };
  }

  it('closes on the sum of all balances, before and after the hourly job has built the day sums', async () => {
    expect(await ledgerEntryModel(app.connection).countDocuments({ shop })).toBe(ENTRIES);
    const cold = await timed('/accounting/daily?from=2026-10-02&to=2026-10-31');
    expect(cold.body.days!.at(-1)!.closing).toBe(total);
    await runDueJobs(app.ctx, [...accountingJobs, ...analyticsJobs], [shop], now);
    // Two minutes on: the first view recomputes today (one query of the ledger), the next ones within the minute reuse it.
    now = new Date(now.getTime() + 120_000);
    const started = performance.now();
    await ledgerEntryModel(app.connection).countDocuments({ shop, day: '2026-11-01' });
    const oneQuery = Math.round(performance.now() - started);
    const warm = await timed('/accounting/daily?from=2026-10-02&to=2026-10-31');
    const year = await timed('/accounting/daily?from=2025-11-01&to=2026-10-31');
    const analytics = await timed('/analytics?from=2026-10-02&to=2026-10-31');
    expect(warm.body.days!.at(-1)!.closing).toBe(total);
    expect(year.body.days!.at(-1)!.closing).toBe(total);
    expect(analytics.body.members).toBe(CUSTOMERS);
    console.log(
      `[100k ledger, ${app.dbInfo.engine}] first view (builds ${DAYS} day sums): ${cold.ms} ms; one bare ledger query for comparison: ${oneQuery} ms; accounting 30 days, recomputing today: ${warm.ms} ms; ` +
        `then within the minute: accounting 365 days ${year.ms} ms, analytics 30 days ${analytics.ms} ms`,
    );
  }, 600_000);
});

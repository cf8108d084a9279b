import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../support/app.js';
import { api, grantPoints, installShop } from '../support/shopify.js';

interface Read {
  collection: string;
  method: string;
  options: Record<string, unknown>;
}

/** The reads the app sends while `run` runs, as mongoose hands them to the driver. */
async function readsDuring(app: TestApp, run: () => Promise<void>): Promise<Read[]> {
  const reads: Read[] = [];
  app.connection.set('debug', (collection: string, method: string, ...args: unknown[]) => {
    if (['find', 'findOne', 'aggregate', 'countDocuments'].includes(method))
      reads.push({ collection, method, options: (args[1] ?? {}) as Record<string, unknown> });
  });
  try {
    await run();
  } finally {
    app.connection.set('debug', false);
  }
  return reads;
}

describe('reads of growing collections are bounded', () => {
  let app: TestApp;
  let now = new Date('2026-04-01T10:00:00Z');
  const shop = 'reads.myshopify.com';
  const customerId = '41';

  beforeAll(async () => {
    app = await startTestApp('reads', {}, { clock: () => now });
    await installShop(app, shop);
    const entries = Array.from({ length: 120 }, (_, i) => ({
      _id: `${shop}|${customerId}|${i + 1}`,
      shop,
      customerId,
      seq: i + 1,
      key: `adjust:${customerId}:bulk-${i + 1}`,
      type: 'adjust',
      available: 2,
      pending: 0,
      balance: 2 * (i + 1),
      pendingBalance: 0,
      lifetimeEarned: 0,
      paidOrders: 0,
      day: '2026-04-01',
      earnedOnDay: 0,
      shortfall: 0,
      reason: 'bulk',
      source: 'admin',
      createdAt: now,
    }));
    await app.connection.collection('ledger_entries').insertMany(entries as never[]);
  });
  afterAll(async () => {
    await app?.close();
  });

  it('GET /api/customers/{id} answers the newest page and a cursor; the pages cover the ledger once, each read bounded', async () => {
    const seen: number[] = [];
    let before: number | null | undefined;
    const reads = await readsDuring(app, async () => {
      do {
        const body = (await (await api(app, shop, `/customers/${customerId}?limit=50${before ? `&before=${before}` : ''}`)).json()) as {
          points: { balance: number };
          ledger: Array<{ seq: number }>;
          nextBefore: number | null;
        };
        expect(body.points.balance).toBe(240);
        seen.push(...body.ledger.map((entry) => entry.seq));
        before = body.nextBefore;
      } while (before);
    });
    expect(seen).toEqual(Array.from({ length: 120 }, (_, i) => 120 - i));
    const ledgerReads = reads.filter((read) => read.collection === 'ledger_entries' && read.method === 'find');
    expect(ledgerReads.length).toBeGreaterThanOrEqual(3);
    for (const read of ledgerReads) expect(read.options).toMatchObject({ limit: 51, maxTimeMS: expect.any(Number) });
  });

  it('GET /api/stats reads the day sums: within a minute no ledger read at all, ?fresh=1 brings in what was just written', async () => {
    const stats = async (query = '') =>
      (await (await api(app, shop, `/stats${query}`)).json()) as { outstandingPoints: number; pointsHeld: number; asOf: string };
    const first = await stats();
    expect(first).toMatchObject({ outstandingPoints: 240, pointsHeld: 240, asOf: now.toISOString() });

    await grantPoints(app, shop, 42, 60);
    now = new Date(now.getTime() + 30_000);
    const cached = await readsDuring(app, async () => {
      expect(await stats()).toMatchObject({ pointsHeld: 240, asOf: first.asOf });
    });
    // Within the minute the sums are served as they are: the ledger is not read.
    expect(cached.filter((read) => read.collection === 'ledger_entries')).toEqual([]);

    // After a change the admin made itself it asks for fresh figures: one bounded read of today's entries.
    const fresh = await readsDuring(app, async () => {
      expect(await stats('?fresh=1')).toMatchObject({ pointsHeld: 300, asOf: now.toISOString() });
    });
    const ledgerReads = fresh.filter((read) => read.collection === 'ledger_entries');
    expect(ledgerReads.length).toBeGreaterThan(0);
    now = new Date(now.getTime() + 61_000);
    expect((await stats()).pointsHeld).toBe(300);
  });
});

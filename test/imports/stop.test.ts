import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { MongoClient } from 'mongodb';
import { afterAll, describe, expect, it } from 'vitest';
import { drainImports, importsRouter, type EmailLookup } from '../../server/imports/index.js';
import { balanceOf } from '../../server/ledger/index.js';
import { createApp } from '../../server/platform/http-app.js';
import { apiRouter } from '../../server/shops/index.js';
import { startTestApp, type TestApp } from '../support/app.js';
import { freshDbName, sharedDatabase } from '../support/database.js';
import { api, installShop, sessionToken } from '../support/shopify.js';

const ROWS = 10;
const PER_CHUNK = 2;
const customerOf = (row: number) => String(8_900_000 + row);
// The first two chunks name customers by email (looked up in Shopify), the rest by id.
const csv = [
  'email,customer_id,balance',
  ...Array.from({ length: ROWS }, (_, row) => (row < 2 * PER_CHUNK ? `stop${row}@example.com,,` : `,${customerOf(row)},`) + String(10 * (row + 1))),
].join('\n');

/**
 * A Shopify customer lookup that answers the first chunk at once and holds every later one until
 * `open()`: the test decides what the run is doing when it is stopped, with no timing involved.
 */
function gatedLookup() {
  let open = () => {};
  let held = () => {};
  const gate = new Promise<void>((resolve) => (open = resolve));
  /** Resolves once the second chunk is waiting at the gate. */
  const secondChunk = new Promise<void>((resolve) => (held = resolve));
  let calls = 0;
  const lookup: EmailLookup = async (_shop, emails) => {
    if (++calls > 1) {
      held();
      await gate;
    }
    return new Map(emails.map((email) => [email, customerOf(Number(/\d+/.exec(email)![0]))]));
  };
  return { lookup, open: () => open(), secondChunk, calls: () => calls };
}

/** The imports router with small chunks and the gated lookup, behind the admin API's session-token check. */
async function importsServer(app: TestApp, lookup: EmailLookup): Promise<{ url: string; close(): Promise<void> }> {
  const server: Server = createServer(
    createApp(app.ctx, [apiRouter(app.ctx, [importsRouter(app.ctx, { rowsPerChunk: PER_CHUNK, lookupEmails: lookup })], [])]),
  );
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/api/imports`,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/** Issue 23, finding 7: a long import can be cancelled, and it never holds the process's shutdown. */
describe('stopping an import: shutdown and cancel', () => {
  const shop = 'imports-stop.myshopify.com';
  const dbName = freshDbName('imports-stop');
  const apps: TestApp[] = [];
  afterAll(async () => {
    for (const app of apps) await app.close();
  });
  const post = async (url: string, app: TestApp) => {
    const response = await fetch(url, {
      method: 'POST',
      headers: { Authorization: `Bearer ${sessionToken(app, shop)}`, 'Content-Type': 'application/json' },
      body: JSON.stringify({ format: 'generic', csv }),
    });
    expect(response.status).toBe(202);
    return ((await response.json()) as { id: string }).id;
  };
  const chunksOf = (app: TestApp, id: string) => app.connection.db!.collection('import_chunks').countDocuments({ importId: id });
  const status = async (app: TestApp, id: string) =>
    (await (await api(app, shop, `/imports/${id}`)).json()) as { status: string; processed: number; total: number };

  it('shuts down after the chunk in flight, not after the whole file; the next process finishes it, crediting every row once', async () => {
    const app = await startTestApp('imports-stop', {}, { dbName });
    await installShop(app, shop);
    const gated = gatedLookup();
    const imports = await importsServer(app, gated.lookup);
    const id = await post(imports.url, app);
    await gated.secondChunk;
    // Chunk 2 waits in its lookup; shutdown begins, then the lookup answers.
    const closing = app.close();
    gated.open();
    await closing;
    await imports.close();

    // Read before another process could resume it. Before the fix close() waited for all five chunks and the import was done.
    const client = await MongoClient.connect(sharedDatabase().uri);
    const stored = client.db(dbName);
    const left = {
      chunks: await stored.collection('import_chunks').countDocuments({ importId: id }),
      outcome: await stored.collection('import_outcomes').findOne({ importId: id }),
    };
    await client.close();
    expect(left).toEqual({ chunks: 2, outcome: null });
    expect(gated.calls()).toBe(2);

    // The next process resumes it from chunk 3 (when it is looked at, or from its hourly job, whichever comes first).
    const next = await startTestApp('imports-stop-next', {}, { dbName });
    apps.push(next);
    await status(next, id);
    for (let wait = 0; wait < 300 && (await status(next, id)).status === 'running'; wait++) await new Promise((resolve) => setTimeout(resolve, 100));
    expect(await status(next, id)).toMatchObject({ status: 'done', processed: ROWS, total: ROWS });
    const balances = await Promise.all(
      Array.from({ length: ROWS }, async (_, row) => (await balanceOf(next.connection, shop, customerOf(row))).available),
    );
    expect(balances).toEqual(Array.from({ length: ROWS }, (_, row) => 10 * (row + 1)));
  });

  it('cancels a running import before its next chunk; what was imported stays, and an ended import cannot be cancelled', async () => {
    // A database of its own, the shop installed after boot: no scheduled resume runs the import beside the gated one.
    const app = await startTestApp('imports-cancel');
    apps.push(app);
    await installShop(app, shop);
    const gated = gatedLookup();
    const imports = await importsServer(app, gated.lookup);
    const id = await post(imports.url, app);
    await gated.secondChunk;
    const cancelled = await api(app, shop, `/imports/${id}/cancel`, { method: 'POST' });
    expect([cancelled.status, await cancelled.json()]).toEqual([200, { id, status: 'cancelled' }]);
    gated.open();
    await drainImports(app.ctx);
    await imports.close();
    expect(await chunksOf(app, id)).toBe(2);
    expect(await status(app, id)).toMatchObject({ status: 'cancelled', processed: 2 * PER_CHUNK, total: ROWS });
    const again = await api(app, shop, `/imports/${id}/cancel`, { method: 'POST' });
    expect([again.status, ((await again.json()) as { error: string }).error]).toEqual([409, 'import_finished']);
    expect((await api(app, shop, '/imports/unknown-import/cancel', { method: 'POST' })).status).toBe(404);
  });
});

import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../server/platform/http-app.js';
import { drainImports, importsRouter, type EmailLookup, type ImportChange, type RowError } from '../../server/imports/index.js';
import { apiRouter } from '../../server/shops/index.js';
import { ShopifyApiError } from '../../server/shopify/admin-graphql.js';
import { startTestApp, type TestApp } from '../support/app.js';
import { api, deliverAndDrain, devstoreOf, installShop, sessionToken } from '../support/shopify.js';

interface ImportStatus {
  status: 'running' | 'done' | 'failed';
  balances: 'set' | 'add';
  message: string | null;
  processed: number;
  total: number;
  errors: RowError[];
  summary: { customers: number; customersChanged: number; pointsAdded: number; pointsRemoved: number };
  changes: ImportChange[];
}

describe('imports over HTTP: POST /api/imports, GET /api/imports/{id}', () => {
  let app: TestApp;
  let server: Server;
  let url: string;
  let flaky: { failures: number };
  const shop = 'imports-http.myshopify.com';

  beforeAll(async () => {
    app = await startTestApp('imports-http');
    await installShop(app, shop);
    flaky = { failures: 0 };
    // The imports router as the lead mounts it: behind the admin API's session-token check.
    const router = importsRouter(app.ctx);
    server = createServer(createApp(app.ctx, [apiRouter(app.ctx, [router], [])]));
    await new Promise<void>((resolve) => server.listen(0, resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    await drainImports(app.ctx);
    await new Promise<void>((resolve) => server.close(() => resolve()));
    await app.close();
  });

  async function call(path: string, body?: unknown, target = url): Promise<Response> {
    return fetch(`${target}/api${path}`, {
      method: body === undefined ? 'GET' : 'POST',
      headers: { Authorization: `Bearer ${sessionToken(app, shop)}`, 'Content-Type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  }

  async function runImport(format: string, csv: string, extra: Record<string, unknown> = {}, target = url): Promise<ImportStatus & { id: string }> {
    const posted = await call('/imports', { format, csv, ...extra }, target);
    expect(posted.status).toBe(202);
    const { id } = (await posted.json()) as { id: string };
    await drainImports(app.ctx);
    const status = await call(`/imports/${id}`, undefined, target);
    expect(status.status).toBe(200);
    return { id, ...((await status.json()) as ImportStatus) };
  }

  async function balance(customerId: number): Promise<number> {
    const response = await api(app, shop, `/customers/${customerId}`);
    return ((await response.json()) as { points: { balance: number } }).points.balance;
  }

  async function knownCustomers(customers: Array<{ id: number; email: string }>): Promise<void> {
    await deliverAndDrain(
      app,
      customers.map((customer) => devstoreOf(app).addCustomer(shop, customer)),
    );
  }

  it('imports a generic file by email and by id, with history lines, and the same file again changes no balance', async () => {
    await knownCustomers([
      { id: 8_100_001, email: 'ada@example.com' },
      { id: 8_100_002, email: 'grace@example.com' },
    ]);
    const csv = [
      'email,customer_id,balance,lifetime_points,tier,date,points_change,description',
      'ADA@example.com,,500,1200,,,,',
      ',8100002,,,,2024-01-05,100,Placed an order',
      ',8100002,,,,2024-02-11,-40,Redeemed $4 off',
      ',8100002,,,,2024-03-02,100,Placed an order',
    ].join('\r\n');
    const first = await runImport('generic', csv);
    expect(first).toMatchObject({ status: 'done', processed: 4, total: 4, errors: [] });
    expect(await balance(8_100_001)).toBe(500);
    expect(await balance(8_100_002)).toBe(160);
    expect(first.summary).toEqual({ customers: 2, customersChanged: 2, pointsAdded: 660, pointsRemoved: 0 });

    const second = await runImport('generic', csv);
    expect(second.status).toBe('done');
    expect(second.summary.customersChanged).toBe(0);
    expect(await balance(8_100_001)).toBe(500);
    expect(await balance(8_100_002)).toBe(160);
  });

  it('balances set by default: 59 points and 100 in the file end at 100, the import is no goodwill, and the same file after more earning changes nothing', async () => {
    await knownCustomers([{ id: 8_050_001, email: 'set@example.com' }]);
    const earned = await api(app, shop, '/customers/8050001/adjustments', {
      method: 'POST',
      body: { points: 59, reason: 'earned before the switch' },
    });
    expect(earned.status).toBe(201);
    const preview = await runImport('generic', 'email,balance\nset@example.com,100\n', { dryRun: true });
    expect(preview.changes[0]).toMatchObject({ balanceBefore: 59, points: 41, balanceAfter: 100 });
    expect(await balance(8_050_001)).toBe(59);
    const real = await runImport('generic', 'email,balance\nset@example.com,100\n');
    expect(real).toMatchObject({ status: 'done', balances: 'set' });
    expect(await balance(8_050_001)).toBe(100);
    const insight = (await (await api(app, shop, '/customers/8050001/insight')).json()) as { goodwill: { points: number } };
    expect(insight.goodwill.points).toBe(59);
    // Points earned after the import stay: the same file again sets nothing.
    await api(app, shop, '/customers/8050001/adjustments', { method: 'POST', body: { points: 10, reason: 'after the switch' } });
    const again = await runImport('generic', 'email,balance\nset@example.com,100\n');
    expect(again.summary.customersChanged).toBe(0);
    expect(await balance(8_050_001)).toBe(110);
  });

  it('balances added when asked: a re-export with new rows adds only what changed, the same balance row never doubles', async () => {
    await knownCustomers([
      { id: 8_200_001, email: 'reexport-a@example.com' },
      { id: 8_200_002, email: 'reexport-b@example.com' },
      { id: 8_200_003, email: 'reexport-c@example.com' },
    ]);
    const add = { balances: 'add' };
    await runImport('smile', 'email,points\nreexport-a@example.com,300\nreexport-b@example.com,300\n', add);
    // Points earned in Tally since the first import stay on top of the imported balance.
    const grant = await api(app, shop, '/customers/8200002/adjustments', { method: 'POST', body: { points: 25, reason: 'goodwill' } });
    expect(grant.status).toBe(201);
    const again = await runImport('smile', 'email,points\nreexport-a@example.com,300\nreexport-b@example.com,350\nreexport-c@example.com,90\n', add);
    expect(again.status).toBe('done');
    expect(await balance(8_200_001)).toBe(300);
    expect(await balance(8_200_002)).toBe(375);
    expect(await balance(8_200_003)).toBe(90);
    // Back to the first balance in the other app: the difference goes back too.
    await runImport('smile', 'email,points\nreexport-b@example.com,300\n', add);
    expect(await balance(8_200_002)).toBe(325);
  });

  it("reads LoyaltyLion's and Yotpo's column names", async () => {
    await knownCustomers([
      { id: 8_300_001, email: 'lion@example.com' },
      { id: 8_300_002, email: 'yotpo@example.com' },
    ]);
    const lion = await runImport(
      'loyaltylion',
      'merchant_id,email,points_approved,points_pending,points_spent\n8300001,lion@example.com,640,20,360\n',
    );
    expect(lion).toMatchObject({ status: 'done', errors: [] });
    expect(await balance(8_300_001)).toBe(640);
    const yotpo = await runImport('yotpo', 'Full Name,Email,Points Balance,Points Spent\n"Doe, Jane",yotpo@example.com,275,100\n');
    expect(yotpo).toMatchObject({ status: 'done', errors: [] });
    expect(await balance(8_300_002)).toBe(275);
  });

  it('a dry run shows what will change and changes nothing', async () => {
    await knownCustomers([{ id: 8_400_001, email: 'dry@example.com' }]);
    const grant = await api(app, shop, '/customers/8400001/adjustments', { method: 'POST', body: { points: 10, reason: 'before import' } });
    expect(grant.status).toBe(201);
    const preview = await runImport('generic', 'email,balance\ndry@example.com,450\n', { dryRun: true });
    expect(preview.status).toBe('done');
    expect(preview.changes).toEqual([
      { row: 2, customerId: '8400001', email: 'dry@example.com', balanceBefore: 10, points: 440, balanceAfter: 450, tier: null },
    ]);
    expect(await balance(8_400_001)).toBe(10);
    const real = await runImport('generic', 'email,balance\ndry@example.com,450\n');
    expect(real.changes[0]).toMatchObject({ points: 440, balanceAfter: 450 });
    expect(await balance(8_400_001)).toBe(450);
  });

  it('names each row a person must fix by line and column, and imports the others', async () => {
    await knownCustomers([{ id: 8_500_001, email: 'fine@example.com' }]);
    const csv = [
      'email,points',
      'fine@example.com,120',
      'comma@example.com,"1,234"',
      'not-an-email,5',
      'ghost@example.com,70',
      'half@example.com,2.5',
    ].join('\n');
    const result = await runImport('smile', csv);
    expect(result.status).toBe('done');
    expect(result.processed).toBe(result.total);
    expect(result.errors).toEqual([
      { row: 3, column: 'points', message: '"1,234" write 1234 without thousands separators' },
      { row: 4, column: 'email', message: '"not-an-email" is not an email address' },
      {
        row: 5,
        column: 'email',
        message: 'no customer with the email ghost@example.com in this shop: create the customer in Shopify or correct the address',
      },
      { row: 6, column: 'points', message: '"2.5" must be a whole number of points' },
    ]);
    expect(await balance(8_500_001)).toBe(120);
  });

  it('matches a customer the app has never seen by email through Admin GraphQL', async () => {
    // In Shopify but never sent to the app by webhook.
    devstoreOf(app).addCustomer(shop, { id: 8_600_001, email: 'unseen@example.com' });
    const result = await runImport('generic', 'email,balance\nunseen@example.com,333\n');
    expect(result).toMatchObject({ status: 'done', errors: [] });
    expect(result.changes[0]).toMatchObject({ customerId: '8600001', points: 333 });
    expect(await balance(8_600_001)).toBe(333);
  });

  it('fails a file without a customer or a points column, saying which columns it needs', async () => {
    const result = await runImport('generic', 'name,score\nAda,5\n');
    expect(result.status).toBe('failed');
    expect(result.message).toMatch(/^No customer column/);
  });

  it('refuses an unknown format with a field error', async () => {
    const response = await call('/imports', { format: 'zinrelo', csv: 'email,points\n' });
    expect(response.status).toBe(422);
    expect(((await response.json()) as { errors: Record<string, string> }).errors.format).toBeDefined();
  });

  it('resumes after a run stops between chunks and credits every row once', async () => {
    const customers = Array.from({ length: 5 }, (_, index) => ({ id: 8_700_001 + index, email: `resume${index}@example.com` }));
    devstoreOf(app).ensureShop(shop);
    for (const customer of customers) devstoreOf(app).addCustomer(shop, customer);
    // Two rows a chunk; Shopify fails (retryably) on the second chunk's lookup the first time only.
    const live = devstoreLookup();
    const lookup: EmailLookup = async (lookupShop, emails) => {
      if (emails.includes('resume2@example.com') && flaky.failures++ === 0) throw new ShopifyApiError('Shopify answered 503', true, 503);
      return live(lookupShop, emails);
    };
    const chunked = createServer(createApp(app.ctx, [apiRouter(app.ctx, [importsRouter(app.ctx, { rowsPerChunk: 2, lookupEmails: lookup })], [])]));
    await new Promise<void>((resolve) => chunked.listen(0, resolve));
    const chunkedUrl = `http://127.0.0.1:${(chunked.address() as AddressInfo).port}`;
    try {
      const csv = ['email,balance', ...customers.map((customer, index) => `${customer.email},${100 * (index + 1)}`)].join('\n');
      const posted = await call('/imports', { format: 'generic', csv }, chunkedUrl);
      expect(posted.status).toBe(202);
      const { id } = (await posted.json()) as { id: string };
      await drainImports(app.ctx);
      // Balances before anyone looks: a look resumes the run (on PostgreSQL it may finish before a read after it).
      expect(await balance(8_700_001)).toBe(100);
      expect(await balance(8_700_003)).toBe(0);

      // Looking at the import shows where it stopped and resumes it.
      const stopped = await call(`/imports/${id}`, undefined, chunkedUrl);
      expect(stopped.status).toBe(200);
      expect(await stopped.json()).toMatchObject({ status: 'running', processed: 2, total: 5 });
      await drainImports(app.ctx);
      const resumed = (await (await call(`/imports/${id}`, undefined, chunkedUrl)).json()) as ImportStatus;
      expect(resumed).toMatchObject({ status: 'done', processed: 5, total: 5 });
      expect(await Promise.all(customers.map((customer) => balance(customer.id)))).toEqual([100, 200, 300, 400, 500]);
    } finally {
      await new Promise<void>((resolve) => chunked.close(() => resolve()));
    }
  });

  function devstoreLookup(): EmailLookup {
    return async (lookupShop, emails) => {
      const found = new Map<string, string>();
      for (const customer of devstoreOf(app).shop(lookupShop)?.customers.values() ?? [])
        if (emails.includes(customer.email.toLowerCase())) found.set(customer.email.toLowerCase(), String(customer.id));
      return found;
    };
  }

  it('a crash after the ledger writes and before the chunk was recorded redoes the chunk without double credit', async () => {
    await knownCustomers([{ id: 8_800_001, email: 'crash@example.com' }]);
    const csv = 'email,balance\ncrash@example.com,640\n';
    const done = await runImport('generic', csv);
    expect(await balance(8_800_001)).toBe(640);
    // What a crash at that point leaves: the entries written, no chunk record, no outcome.
    await app.connection.collection('import_chunks').deleteMany({ importId: done.id });
    await app.connection.collection('import_outcomes').deleteMany({ importId: done.id });
    expect(((await (await call(`/imports/${done.id}`)).json()) as ImportStatus).status).toBe('running');
    await drainImports(app.ctx);
    expect(((await (await call(`/imports/${done.id}`)).json()) as ImportStatus).status).toBe('done');
    expect(await balance(8_800_001)).toBe(640);
  });

  it("never shows another shop's import", async () => {
    const mine = await runImport('generic', 'email,balance\nada@example.com,500\n');
    const other = 'imports-other.myshopify.com';
    await installShop(app, other);
    const response = await fetch(`${url}/api/imports/${mine.id}`, { headers: { Authorization: `Bearer ${sessionToken(app, other)}` } });
    expect(response.status).toBe(404);
  });
});

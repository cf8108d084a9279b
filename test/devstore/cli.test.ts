import { execFile } from 'node:child_process';
import { createServer } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { balanceOf } from '../../server/ledger/index.js';
import { startTestApp, type TestApp } from '../support/app.js';
import { deliverAndDrain, devstoreOf, installShop } from '../support/shopify.js';

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

/** `npm run devstore -- …` as a shopper's terminal runs it: its own process, its own environment. */
function cli(args: string[], env: NodeJS.ProcessEnv = {}): Promise<Run> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      ['--import', 'tsx', 'devstore/cli.ts', ...args],
      { env: { ...process.env, SHOPIFY_APP_URL: '', PORT: '', ...env } },
      (error, stdout, stderr) => {
        resolve({ code: error ? Number(error.code) : 0, stdout, stderr });
      },
    );
  });
}

function closedPort(): Promise<number> {
  return new Promise((resolve) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

describe('devstore CLI', () => {
  let app: TestApp;
  const shop = 'cli-shop.myshopify.com';
  const customer = 7_600_001;

  beforeAll(async () => {
    app = await startTestApp('devstore-cli');
    const devstore = devstoreOf(app);
    devstore.ensureShop(shop, { name: 'CLI Coffee' });
    await installShop(app, shop);
    devstore.addProduct(shop, { id: 971, title: 'Filter papers', priceMinor: 2_000, tags: [], giftCard: false });
    await deliverAndDrain(app, [devstore.addCustomer(shop, { id: customer, firstName: 'Hedy', lastName: 'Lamarr', email: 'hedy@example.com' })]);
  });
  afterAll(async () => {
    await app?.close();
  });

  it('help names every command and how to reach the app: --port, PORT, --app', async () => {
    const run = await cli(['help']);
    expect(run.code).toBe(0);
    for (const text of ['orders', 'refund --order N --amount 5.00', 'refund --order N --line L', '--port P', '$PORT', '--app URL'])
      expect(run.stdout).toContain(text);
  });

  it('says the app is not running, with no stack trace, when nothing listens', async () => {
    const port = await closedPort();
    const run = await cli(['orders'], { PORT: String(port) });
    expect(run.code).toBe(1);
    expect(run.stderr.trim()).toBe(
      `Cannot reach the app at http://localhost:${port}: is it running? Start it with \`npm start\` (it listens on $PORT, default 3000), or point this command at it with --port or --app.`,
    );
    expect(run.stdout).toBe('');
  }, 30_000);

  it('lists orders with their names and line ids, and refunds part of one by line or by amount', async () => {
    const devstore = devstoreOf(app);
    const order = devstore.createOrder(shop, { customerId: customer, lines: [{ productId: 971, quantity: 2 }] });
    await deliverAndDrain(app, devstore.pay(shop, order.id));
    expect((await balanceOf(app.connection, shop, String(customer))).available).toBe(40);
    const port = new URL(app.url).port;

    const listed = await cli(['orders', '--port', port, '--shop', shop]);
    expect(listed.code).toBe(0);
    expect(listed.stdout).toContain(`order ${order.id}  customer ${customer}  40.00 USD  paid`);
    expect(listed.stdout).toContain(`line ${order.lines[0]!.id}  2 × Filter papers`);

    const byLine = await cli([
      'refund',
      '--order',
      String(order.id),
      '--line',
      String(order.lines[0]!.id),
      '--quantity',
      '1',
      '--port',
      port,
      '--shop',
      shop,
    ]);
    expect(byLine.code).toBe(0);
    expect(byLine.stdout).toMatch(/^201 /);
    await app.worker.drain();
    expect((await balanceOf(app.connection, shop, String(customer))).available).toBe(20);

    const byAmount = await cli(['refund', '--order', String(order.id), '--amount', '2.50', '--port', port, '--shop', shop]);
    expect(byAmount.code).toBe(0);
    expect(
      devstore
        .shop(shop)!
        .orders.get(order.id)!
        .refunds.map((refund) => ({ lines: refund.lines.length, amountMinor: refund.amountMinor })),
    ).toEqual([
      { lines: 1, amountMinor: undefined },
      { lines: 0, amountMinor: 250 },
    ]);
    expect((await cli(['orders', '--port', port, '--shop', shop])).stdout).toContain('paid, 2 refunds');
  }, 60_000);

  it('refuses a malformed amount with a message, not a request', async () => {
    const run = await cli(['refund', '--order', '1', '--amount', 'ten', '--port', '1']);
    expect(run.code).toBe(2);
    expect(run.stderr.trim()).toBe('--amount must be an amount such as 12.50');
  });
});

// `npm run devstore -- <command>`: drives a running app's devstore over its JSON API.
import { parseArgs } from 'node:util';

const usage = `usage: npm run devstore -- <command> [options]
  orders                                            list the shop's orders (ids, names, line ids, status)
  customer --id N [--email E]                       create or update a customer (customers/create|update)
  order --customer N --total 42.00 [--duplicate 3]  create and pay an order (orders/paid, orders/updated)
  refund --order N                                  refund an order fully (refunds/create, orders/updated)
  refund --order N --amount 5.00                    refund part of an order's money, no lines
  refund --order N --line L [--quantity Q]          refund Q (default 1) of line L (line ids: see orders)
  cancel --order N                                  cancel an order (orders/cancelled)
  storm --customer N --orders 1000 [--duplicate 3] [--shuffle]
  help                                              this text
options:
  --port P     the app's port (default: $PORT, else 3000)
  --app URL    the app's URL (default: $SHOPIFY_APP_URL, else http://localhost:<port>)
  --shop D     the shop (default: tally-demo.myshopify.com)`;

function fail(message: string): never {
  console.error(message);
  process.exit(2);
}

let parsed: ReturnType<typeof parse>;
function parse() {
  return parseArgs({
    allowPositionals: true,
    options: {
      app: { type: 'string' },
      port: { type: 'string' },
      shop: { type: 'string', default: 'tally-demo.myshopify.com' },
      id: { type: 'string' },
      email: { type: 'string' },
      customer: { type: 'string' },
      total: { type: 'string' },
      amount: { type: 'string' },
      line: { type: 'string' },
      quantity: { type: 'string' },
      order: { type: 'string' },
      orders: { type: 'string' },
      duplicate: { type: 'string' },
      shuffle: { type: 'boolean', default: false },
    },
  });
}
try {
  parsed = parse();
} catch (error) {
  fail(`${(error as Error).message}\n\n${usage}`);
}
const { positionals, values } = parsed;
const appUrl = (
  values.app ??
  (values.port ? undefined : process.env.SHOPIFY_APP_URL || undefined) ??
  `http://localhost:${values.port ?? (process.env.PORT || 3000)}`
).replace(/\/$/, '');

/** Money typed as 12.50 → 1250 minor units (two decimals, as the devstore's shops use). */
function minor(text: string | undefined, option: string): number {
  if (!text || !/^\d+(\.\d{1,2})?$/.test(text)) fail(`--${option} must be an amount such as 12.50`);
  const [whole = '0', cents = ''] = text.split('.');
  return Number(whole) * 100 + Number(cents.padEnd(2, '0'));
}
function whole(text: string | undefined, option: string): number {
  if (!text || !/^\d+$/.test(text)) fail(`--${option} must be a whole number`);
  return Number(text);
}

const delivery = { duplicate: values.duplicate ? whole(values.duplicate, 'duplicate') : undefined, shuffle: values.shuffle };
const requests: Record<string, () => [string, object]> = {
  customer: () => ['customers', { id: whole(values.id, 'id'), email: values.email }],
  order: () => [
    'orders',
    { customerId: whole(values.customer, 'customer'), lines: [{ priceMinor: minor(values.total ?? '10', 'total') }], delivery },
  ],
  refund: () => {
    const order = whole(values.order, 'order');
    if (values.amount && values.line) fail('give --amount or --line, not both');
    if (values.amount) return [`orders/${order}/refunds`, { amountMinor: minor(values.amount, 'amount'), delivery }];
    if (values.line)
      return [
        `orders/${order}/refunds`,
        { lines: [{ lineId: whole(values.line, 'line'), quantity: values.quantity ? whole(values.quantity, 'quantity') : 1 }], delivery },
      ];
    return [`orders/${order}/refunds`, { delivery }];
  },
  cancel: () => [`orders/${whole(values.order, 'order')}/cancel`, { delivery }],
  storm: () => ['storm', { customerId: whole(values.customer, 'customer'), orders: values.orders ? whole(values.orders, 'orders') : 100, delivery }],
};

async function call(path: string, body?: object): Promise<Response> {
  try {
    return await fetch(
      `${appUrl}/devstore/api/shops/${values.shop}/${path}`,
      body ? { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body) } : {},
    );
  } catch {
    console.error(
      `Cannot reach the app at ${appUrl}: is it running? Start it with \`npm start\` (it listens on $PORT, default 3000), or point this command at it with --port or --app.`,
    );
    process.exit(1);
  }
}

const command = positionals[0];
if (command === 'orders') {
  const response = await call('orders');
  const body = (await response.json()) as {
    orders?: Array<{
      orderId: number;
      name: string;
      customerId: number | null;
      subtotal: string;
      currency: string;
      status: string;
      refunds: number;
      lines: Array<{ lineId: number; title: string; quantity: number }>;
    }>;
    error?: string;
  };
  if (!response.ok || !body.orders) fail(`${response.status} ${body.error ?? ''}`);
  if (!body.orders.length) console.log(`${values.shop} has no orders yet.`);
  for (const order of body.orders) {
    const refunds = order.refunds ? `, ${order.refunds} refund${order.refunds > 1 ? 's' : ''}` : '';
    console.log(
      `${order.name}  order ${order.orderId}  customer ${order.customerId ?? 'guest'}  ${order.subtotal} ${order.currency}  ${order.status}${refunds}`,
    );
    for (const line of order.lines) console.log(`    line ${line.lineId}  ${line.quantity} × ${line.title}`);
  }
  process.exit(0);
}
const build = command ? requests[command] : undefined;
if (!build) {
  if (command && command !== 'help') fail(`unknown command: ${command}\n\n${usage}`);
  console.log(usage);
  process.exit(0);
}
const [path, body] = build();
const response = await call(path, body);
console.log(response.status, JSON.stringify(await response.json(), null, 2));
process.exit(response.ok ? 0 : 1);

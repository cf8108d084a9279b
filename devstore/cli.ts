// `npm run devstore -- <command>`: drives a running app's devstore over its JSON API.
import { parseArgs } from 'node:util';

const usage = `usage: npm run devstore -- <command> [options]
  customer --id N [--email E]                       create or update a customer (customers/create|update)
  order --customer N --total 42.00 [--duplicate 3]  create and pay an order (orders/paid, orders/updated)
  refund --order N                                  refund an order fully (refunds/create, orders/updated)
  cancel --order N                                  cancel an order (orders/cancelled)
  storm --customer N --orders 1000 [--duplicate 3] [--shuffle]
options: --app http://localhost:3000  --shop tally-demo.myshopify.com`;

const { positionals, values } = parseArgs({
  allowPositionals: true,
  options: {
    app: { type: 'string', default: process.env.SHOPIFY_APP_URL ?? `http://localhost:${process.env.PORT ?? 3000}` },
    shop: { type: 'string', default: 'tally-demo.myshopify.com' },
    id: { type: 'string' },
    email: { type: 'string' },
    customer: { type: 'string' },
    total: { type: 'string' },
    order: { type: 'string' },
    orders: { type: 'string' },
    duplicate: { type: 'string' },
    shuffle: { type: 'boolean', default: false },
  },
});

const delivery = { duplicate: values.duplicate ? Number(values.duplicate) : undefined, shuffle: values.shuffle };
const requests: Record<string, () => [string, object]> = {
  customer: () => ['customers', { id: Number(values.id), email: values.email }],
  order: () => ['orders', { customerId: Number(values.customer), lines: [{ priceMinor: Math.round(Number(values.total ?? '10') * 100) }], delivery }],
  refund: () => [`orders/${values.order}/refunds`, { delivery }],
  cancel: () => [`orders/${values.order}/cancel`, { delivery }],
  storm: () => ['storm', { customerId: Number(values.customer), orders: Number(values.orders ?? 100), delivery }],
};

const command = positionals[0];
const build = command ? requests[command] : undefined;
if (!build) {
  console.log(usage);
  process.exit(command && command !== 'help' ? 2 : 0);
}
const [path, body] = build();
const response = await fetch(`${values.app}/devstore/api/shops/${values.shop}/${path}`, {
  method: 'POST',
  headers: { 'Content-Type': 'application/json' },
  body: JSON.stringify(body),
});
console.log(response.status, JSON.stringify(await response.json(), null, 2));
process.exit(response.ok ? 0 : 1);

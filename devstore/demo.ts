import type { Devstore } from './devstore.js';
import { signSessionToken } from './session-token.js';

export const DEMO_SHOP = 'tally-demo.myshopify.com';

const customers = [
  { id: 7001001, firstName: 'Ada', lastName: 'Lovelace', email: 'ada@example.com', tags: ['vip'] },
  { id: 7001002, firstName: 'Grace', lastName: 'Hopper', email: 'grace@example.com', tags: [] },
  { id: 7001003, firstName: 'Alan', lastName: 'Turing', email: 'alan@example.com', tags: [] },
];

/**
 * The demo shop a newcomer sees at `npm start`: installed through the same token exchange as a
 * real shop, with customers and paid orders delivered as signed webhooks (one of them partly refunded).
 */
export async function seedDemoShop(devstore: Devstore, appUrl: string): Promise<void> {
  devstore.ensureShop(DEMO_SHOP, { name: 'Tally Demo Coffee', currency: 'USD' });
  devstore.addProduct(DEMO_SHOP, { id: 801, title: 'House blend, 250 g', priceMinor: 1_450, tags: ['coffee'], giftCard: false });
  devstore.addProduct(DEMO_SHOP, { id: 802, title: 'Ceramic mug', priceMinor: 2_200, tags: ['merch'], giftCard: false });
  const token = signSessionToken({ shop: DEMO_SHOP, apiKey: devstore.options.apiKey, apiSecret: devstore.options.apiSecret, userId: '1' });
  const install = await fetch(`${appUrl}/api/program`, { headers: { Authorization: `Bearer ${token}` } });
  if (!install.ok) throw new Error(`demo shop install failed: ${install.status} ${await install.text()}`);

  const events = customers.map((customer) => devstore.addCustomer(DEMO_SHOP, customer));
  const orders = [
    { customerId: 7001001, lines: [{ productId: 801, quantity: 3 }, { productId: 802 }] },
    { customerId: 7001001, lines: [{ productId: 801, quantity: 20 }] },
    { customerId: 7001002, lines: [{ productId: 802, quantity: 2 }], shippingMinor: 800 },
    { customerId: 7001003, lines: [{ productId: 801 }, { priceMinor: 5_000, giftCard: true }] },
  ];
  for (const input of orders) events.push(...devstore.pay(DEMO_SHOP, devstore.createOrder(DEMO_SHOP, input).id));
  const refunded = devstore.createOrder(DEMO_SHOP, { customerId: 7001002, lines: [{ productId: 801 }, { productId: 802 }] });
  events.push(...devstore.pay(DEMO_SHOP, refunded.id), ...devstore.refund(DEMO_SHOP, refunded.id, [{ lineId: refunded.lines[1]!.id, quantity: 1 }]));
  await devstore.send(events, { concurrency: 1 });
}

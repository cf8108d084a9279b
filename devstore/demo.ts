import type { Devstore } from './devstore.js';
import type { Program } from '../server/program/index.js';
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
  // What the counter sells (the devstore's point of sale rings these up).
  devstore.addProduct(DEMO_SHOP, { id: 803, title: 'Flat white', priceMinor: 450, tags: ['coffee', 'counter'], giftCard: false });
  devstore.addProduct(DEMO_SHOP, { id: 804, title: 'Espresso', priceMinor: 300, tags: ['coffee', 'counter'], giftCard: false });
  devstore.addProduct(DEMO_SHOP, { id: 805, title: 'Croissant', priceMinor: 350, tags: ['counter'], giftCard: false });
  const token = () => signSessionToken({ shop: DEMO_SHOP, apiKey: devstore.options.apiKey, apiSecret: devstore.options.apiSecret, userId: '1' });
  const install = await fetch(`${appUrl}/api/program`, { headers: { Authorization: `Bearer ${token()}` } });
  if (!install.ok) throw new Error(`demo shop install failed: ${install.status} ${await install.text()}`);
  const saved = await fetch(`${appUrl}/api/program`, {
    method: 'PUT',
    headers: { Authorization: `Bearer ${token()}`, 'Content-Type': 'application/json' },
    body: JSON.stringify(coffeeShopProgram((await install.json()) as Program)),
  });
  if (!saved.ok) throw new Error(`demo program failed: ${saved.status} ${await saved.text()}`);

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

/**
 * The coffee shop's program: a point per dollar, a free flat white for 50 points, a punch card
 * (every 10th order earns 50 more). Set up already, so the first-run wizard does not replace it.
 */
function coffeeShopProgram(program: Program): Program {
  const freeCoffee: Program['rewards'][number] = {
    id: 'free-coffee',
    type: 'free_product',
    name: 'Free flat white',
    pointsCost: 50,
    variantId: '8031',
    enabled: true,
    minimumOrderAmount: 0,
    codeExpiresInDays: 30,
    combinesWith: { orderDiscounts: false, productDiscounts: true, shippingDiscounts: true },
  };
  return {
    ...program,
    onboarded: true,
    earning: { ...program.earning, punchCard: { enabled: true, everyNthOrder: 10, bonusPoints: 50 } },
    rewards: [freeCoffee, ...program.rewards],
  };
}

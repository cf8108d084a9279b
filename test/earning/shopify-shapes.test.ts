import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Devstore } from '../../devstore/devstore.js';
import { orderFacts, parseOrder } from '../../server/earning/index.js';
import { eligibleAmount } from '../../server/earning/rules.js';
import { refundFacts, refundedEligible, parseRefund } from '../../server/earning/order-payload.js';
import { orderPointsModel } from '../../server/earning/store.js';
import { inboxModel } from '../../server/inbox/store.js';
import { balanceOf } from '../../server/ledger/index.js';
import { startTestApp, type TestApp } from '../support/app.js';
import { api, deliverAndDrain, devstoreOf, installShop } from '../support/shopify.js';

const usd = (amount: string) => ({ shop_money: { amount, currency_code: 'USD' }, presentment_money: { amount, currency_code: 'USD' } });

/** What Shopify's payloads show and the devstore once hid (issue 12), read as the domain needs it. */
describe("orders and refunds in Shopify's shape", () => {
  it('earns on the units still on the order: current_quantity, not quantity', () => {
    const order = parseOrder(
      {
        id: 1,
        current_subtotal_price_set: usd('20.00'),
        customer: { id: 9 },
        line_items: [{ id: 11, quantity: 3, current_quantity: 1, gift_card: false, price_set: usd('20.00'), discount_allocations: [] }],
      },
      'orders/paid',
    );
    expect(orderFacts(order).lines[0]?.amount).toBe(2000);
  });

  it('takes the tax a tax-inclusive shop includes out of the eligible amount', () => {
    const order = parseOrder(
      {
        id: 2,
        taxes_included: true,
        current_subtotal_price_set: usd('120.00'),
        customer: { id: 9 },
        line_items: [
          { id: 21, quantity: 1, current_quantity: 1, gift_card: false, price_set: usd('120.00'), tax_lines: [{ price_set: usd('20.00') }] },
        ],
      },
      'orders/paid',
    );
    expect(eligibleAmount(orderFacts(order))).toBe(10_000);
  });

  it('keeps ids above 2^53 exactly as Shopify wrote them', () => {
    const order = parseOrder(
      { id: '820982911946154508', current_subtotal_price_set: usd('1.00'), customer: { id: '115310627314723954' }, line_items: [] },
      'orders/paid',
    );
    expect(orderFacts(order)).toMatchObject({ orderId: '820982911946154508', customerId: '115310627314723954' });
  });

  it('reads a refund without lines as the money refunded less shipping, a share of what was paid', () => {
    const refund = parseRefund({
      id: 5,
      order_id: 2,
      refund_line_items: [],
      order_adjustments: [{ kind: 'shipping_refund', amount_set: usd('-5.00') }],
      transactions: [{ kind: 'refund', status: 'success', amount: '30.00' }],
    });
    const facts = refundFacts(refund, 'USD', false);
    expect(facts).toEqual({ kind: 'amount', money: 2500 });
    // An order paid 110.00 (less shipping) with 100.00 eligible: 25.00 back is 25/110 of it.
    expect(refundedEligible(facts, 10_000, 11_000)).toBe(2272);
  });
});

describe('test orders, amount refunds and refunds racing the credit, through the webhook path', () => {
  let app: TestApp;
  let devstore: Devstore;
  let now = new Date('2026-12-01T10:00:00Z');
  const shop = 'shopify-shapes.myshopify.com';

  beforeAll(async () => {
    app = await startTestApp('shopify-shapes', {}, { clock: () => now });
    devstore = devstoreOf(app);
    await installShop(app, shop);
    await deliverAndDrain(app, [
      devstore.addCustomer(shop, { id: 8_400_001 }),
      devstore.addCustomer(shop, { id: 8_400_002 }),
      devstore.addCustomer(shop, { id: 8_400_003 }),
      devstore.addCustomer(shop, { id: 8_400_004 }),
    ]);
  });
  afterAll(async () => {
    await app.close();
  });

  const balance = async (id: number) => (await balanceOf(app.connection, shop, String(id))).available;

  it('gives a test order nothing unless the merchant turns test orders on', async () => {
    const order = devstore.createOrder(shop, { customerId: 8_400_001, lines: [{ priceMinor: 4_200 }] });
    order.test = true;
    await deliverAndDrain(app, devstore.pay(shop, order.id));
    expect(await balance(8_400_001)).toBe(0);
    const program = (await (await api(app, shop, '/program')).json()) as { earning: Record<string, unknown> };
    expect(
      (await api(app, shop, '/program', { method: 'PUT', body: { ...program, earning: { ...program.earning, testOrders: true } } })).status,
    ).toBe(200);
    const counted = devstore.createOrder(shop, { customerId: 8_400_001, lines: [{ priceMinor: 4_200 }] });
    counted.test = true;
    await deliverAndDrain(app, devstore.pay(shop, counted.id));
    expect(await balance(8_400_001)).toBe(42);
  });

  it('reverses a refund of an amount (no lines) in proportion to the money refunded', async () => {
    const order = devstore.createOrder(shop, { customerId: 8_400_002, lines: [{ priceMinor: 10_000 }] });
    await deliverAndDrain(app, devstore.pay(shop, order.id));
    expect(await balance(8_400_002)).toBe(100);
    await deliverAndDrain(app, devstore.refundAmount(shop, order.id, 5_000));
    expect(await balance(8_400_002)).toBe(50);
  });

  /** The order's worth recorded, its credit not yet written: the moment the demo's refund hit. */
  async function halfCredited(customerId: number): Promise<number> {
    const order = devstore.createOrder(shop, { customerId, lines: [{ priceMinor: 3_650 }] });
    await orderPointsModel(app.connection).create({
      _id: `${shop}|${order.id}`,
      shop,
      orderId: String(order.id),
      customerId: String(customerId),
      eligible: 3_650,
      paidTotal: 3_650,
      taxesIncluded: false,
      earned: 36,
      cashBack: 0,
      currency: 'USD',
      notes: [],
      pendingUntil: null,
      creditedAt: now,
    });
    return order.id;
  }

  it('retries a refund that arrives while its order is being credited, instead of reversing nothing', async () => {
    const orderId = await halfCredited(8_400_003);
    await deliverAndDrain(app, devstore.refundAmount(shop, orderId, 2_200));
    expect(await balance(8_400_003)).toBe(0);
    await deliverAndDrain(app, devstore.pay(shop, orderId));
    now = new Date(now.getTime() + 60_000);
    await app.worker.drain();
    // 36 points for the order, 22/36.50 of them back: 21.
    expect(await balance(8_400_003)).toBe(36 - 21);
  });

  it('waits for a credit another worker is writing a moment later, and reverses on the first attempt', async () => {
    const orderId = await halfCredited(8_400_004);
    const refunded = deliverAndDrain(app, devstore.refundAmount(shop, orderId, 2_200));
    await new Promise((resolve) => setTimeout(resolve, 100));
    await deliverAndDrain(app, devstore.pay(shop, orderId));
    await refunded;
    expect(await balance(8_400_004)).toBe(36 - 21);
    const refund = await inboxModel(app.connection).findOne({ shop, topic: 'refunds/create' }).sort({ receivedAt: -1 }).lean();
    expect(refund).toMatchObject({ status: 'processed', attempts: 1 });
  });
});

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { describeEntry } from '../../server/storefront/view.js';
import { startTestApp, type TestApp } from '../support/app.js';
import { api, deliverAndDrain, devstoreOf, installShop, proxy } from '../support/shopify.js';

interface HistoryLine {
  type: string;
  points: number;
  description: { kind: string; order?: string | null };
}
interface AdminLedgerLine {
  type: string;
  points: number;
  orderName: string | null;
}

describe('order names in the shopper’s and the merchant’s history', () => {
  let app: TestApp;
  const shop = 'order-names.myshopify.com';
  const customer = 9_300_001;

  beforeAll(async () => {
    app = await startTestApp('order-names');
    await installShop(app, shop);
    await deliverAndDrain(app, [devstoreOf(app).addCustomer(shop, { id: customer })]);
  });
  afterAll(async () => {
    await app?.close();
  });

  it('the devstore numbers a shop’s orders from #1001, as Shopify does', () => {
    const devstore = devstoreOf(app);
    devstore.ensureShop('numbering.myshopify.com');
    const first = devstore.createOrder('numbering.myshopify.com', { customerId: null, lines: [{ priceMinor: 1_000 }] });
    const second = devstore.createOrder('numbering.myshopify.com', { customerId: null, lines: [{ priceMinor: 1_000 }] });
    const [paid] = devstore.pay('numbering.myshopify.com', second.id);
    expect([first.number, second.number]).toEqual([1001, 1002]);
    expect(paid?.payload).toMatchObject({ id: second.id, name: '#1002', order_number: 1002, number: 2 });
  });

  it('purchase, refund and cancellation carry the order’s name, never its id, on the storefront and in the admin', async () => {
    const devstore = devstoreOf(app);
    const kept = devstore.createOrder(shop, { customerId: customer, lines: [{ priceMinor: 3_000 }, { priceMinor: 2_000 }] });
    const cancelled = devstore.createOrder(shop, { customerId: customer, lines: [{ priceMinor: 1_500 }] });
    // One step at a time, so the history's order is the order of these steps.
    for (const events of [
      devstore.pay(shop, kept.id),
      devstore.pay(shop, cancelled.id),
      devstore.refund(shop, kept.id, [{ lineId: kept.lines[1]!.id, quantity: 1 }]),
      devstore.cancel(shop, cancelled.id),
    ])
      await deliverAndDrain(app, events);
    const keptName = `#${kept.number}`;
    const cancelledName = `#${cancelled.number}`;

    const shopper = (await (await proxy(app, shop, '/customer', { customerId: customer })).json()) as { history: HistoryLine[] };
    expect(shopper.history.map((line) => [line.description, line.points])).toEqual([
      [{ kind: 'cancel', order: cancelledName }, -15],
      [{ kind: 'refund', order: keptName }, -20],
      [{ kind: 'order', order: cancelledName }, 15],
      [{ kind: 'order', order: keptName }, 50],
    ]);
    expect(JSON.stringify(shopper.history.map((line) => line.description))).not.toContain(String(kept.id));

    const admin = (await (await api(app, shop, `/customers/${customer}`)).json()) as { ledger: AdminLedgerLine[] };
    expect(admin.ledger.map((line) => [line.type, line.orderName])).toEqual([
      ['reverse', cancelledName],
      ['reverse', keptName],
      ['earn', cancelledName],
      ['earn', keptName],
    ]);
  });

  it('an entry written before names were kept reads as a plain purchase or refund', () => {
    const entry = { type: 'earn', reason: 'order paid', source: 'order 5001', orderId: '5001' } as const;
    expect(describeEntry(entry)).toEqual({ kind: 'order', order: null });
    expect(describeEntry({ ...entry, type: 'reverse', reason: 'refund 77' })).toEqual({ kind: 'refund', order: null });
    expect(describeEntry({ ...entry, type: 'reverse', reason: 'refund 77', orderName: '#1042' })).toEqual({ kind: 'refund', order: '#1042' });
  });
});

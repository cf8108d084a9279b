import { MongoClient } from 'mongodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Devstore } from '../../devstore/devstore.js';
import { balanceOf } from '../../server/ledger/store.js';
import { sharedDatabase } from '../support/database.js';
import { startTestApp, type TestApp } from '../support/app.js';
import { api, deliverAndDrain, devstoreOf, installShop } from '../support/shopify.js';

describe('compliance topics', () => {
  let app: TestApp;
  let devstore: Devstore;
  let client: MongoClient;
  const shop = 'gdpr.myshopify.com';
  beforeAll(async () => {
    app = await startTestApp('compliance');
    devstore = devstoreOf(app);
    await installShop(app, shop);
    client = await MongoClient.connect(sharedDatabase().uri);
  });
  afterAll(async () => {
    await client.close();
    await app.close();
  });

  const raw = (collection: string) => client.db(app.dbName).collection(collection);

  async function customerWithOrder(id: number): Promise<void> {
    await deliverAndDrain(app, [
      devstore.addCustomer(shop, { id, email: `ada${id}@example.com`, firstName: 'Ada', lastName: 'Lovelace', tags: ['vip'] }),
    ]);
    // Customer payloads carry no tags since API 2025-01: they arrive as customer.tags_added.
    await deliverAndDrain(app, [devstore.tagCustomer(shop, id, ['vip'])]);
    const order = devstore.createOrder(shop, { customerId: id, lines: [{ priceMinor: 12_300 }] });
    await deliverAndDrain(app, devstore.pay(shop, order.id));
  }

  it('assembles everything stored about a customer into an export the merchant can download', async () => {
    await customerWithOrder(9001);
    await deliverAndDrain(app, [devstore.customerDataRequest(shop, 9001)]);
    const list = (await (await api(app, shop, '/exports')).json()) as { exports: Array<{ id: string; customerId: string }> };
    const found = list.exports.find((entry) => entry.customerId === '9001');
    expect(found).toBeDefined();
    const download = await api(app, shop, `/exports/${found!.id}`);
    expect(download.headers.get('content-disposition')).toContain('attachment');
    const content = (await download.json()) as { customerId: string; data: Record<string, Array<Record<string, unknown>>> };
    expect(content.customerId).toBe('9001');
    expect(content.data.CustomerProfile?.[0]).toMatchObject({ email: 'ada9001@example.com', firstName: 'Ada', tags: ['vip'] });
    expect(content.data.LedgerEntry?.map((entry) => entry.type)).toEqual(['earn']);
    expect(content.data.OrderPoints).toHaveLength(1);
  });

  it('erases the personal fields from the raw documents and keeps the anonymous ledger totals', async () => {
    await customerWithOrder(9002);
    await deliverAndDrain(app, [devstore.customerRedact(shop, 9002)]);
    const profile = await raw('customers').findOne({ shop, customerId: '9002' });
    for (const field of ['email', 'firstName', 'lastName', 'phone', 'birthday', 'addresses']) expect(profile?.[field]).toBeUndefined();
    expect(profile?.redactedAt).toBeInstanceOf(Date);
    const webhooks = [
      ...(await raw('webhook_inbox').find({ shop, customerId: '9002' }).toArray()),
      ...(await raw('webhook_log').find({ shop, customerId: '9002' }).toArray()),
    ];
    expect(webhooks.length).toBeGreaterThan(0);
    for (const webhook of webhooks) expect(String(webhook.body)).not.toContain('ada9002@example.com');
    expect((await balanceOf(app.connection, shop, '9002')).available).toBe(123);

    // Idempotent, and a later customers/update does not bring the data back.
    await deliverAndDrain(app, [devstore.customerRedact(shop, 9002), devstore.addCustomer(shop, { id: 9002, email: 'back@example.com' })]);
    expect((await raw('customers').findOne({ shop, customerId: '9002' }))?.email).toBeUndefined();
  });

  it('deletes every document of the shop on shop/redact and nothing of other shops', async () => {
    const other = 'keep.myshopify.com';
    await installShop(app, other);
    await deliverAndDrain(app, [devstore.addCustomer(other, { id: 1 })]);
    await customerWithOrder(9003);
    // Shopify sends shop/redact 48 hours after the uninstall; for an installed shop it is skipped.
    await deliverAndDrain(app, devstore.uninstall(shop));
    await deliverAndDrain(app, [devstore.shopRedact(shop)]);
    for (const collection of ['customers', 'ledger_entries', 'order_points', 'program_versions', 'shops', 'data_exports']) {
      expect({ collection, count: await raw(collection).countDocuments({ shop }) }).toEqual({ collection, count: 0 });
    }
    expect(await raw('customers').countDocuments({ shop: other })).toBe(1);
    expect(await raw('program_versions').countDocuments({ shop: other })).toBe(1);
  });
});

import { createHmac, randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { customerModel } from '../../server/customers/store.js';
import { startTestApp, type TestApp } from '../support/app.js';
import { api, installShop } from '../support/shopify.js';

const FIXTURES = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../fixtures/shopify/2026-10');

/** Every subscribed topic of shopify.app.toml, compliance topics included, plus the customer tag events. */
const TOPICS = [
  'orders/paid',
  'orders/cancelled',
  'orders/updated',
  'refunds/create',
  'customers/create',
  'customers/update',
  'app/uninstalled',
  'customers/data_request',
  'customers/redact',
  'shop/redact',
  'customer.tags_added',
  'customer.tags_removed',
] as const;

/**
 * The documented body exactly as Shopify wrote it, as `shop`'s own: only the shop's domain is
 * changed (the `{shop}` placeholder, and the example shop `jsmith` in an order's `order_status_url`,
 * which the webhook route compares with the header). Never parsed here, so ids above 2^53 keep every digit.
 */
function fixture(topic: string, shop: string): string {
  return readFileSync(path.join(FIXTURES, `${topic.replace(/[/.]/g, '_')}.json`), 'utf8')
    .replaceAll('{shop}.myshopify.com', shop)
    .replaceAll('jsmith.myshopify.com', shop);
}

interface Delivery {
  status: string;
  outcome?: string;
  lastError?: string;
}

describe("Shopify's documented webhook payloads through POST /webhooks", () => {
  let app: TestApp;

  beforeAll(async () => {
    app = await startTestApp('webhook-fixtures');
  });
  afterAll(async () => {
    await app.close();
  });

  async function deliver(shop: string, topic: string, body: string): Promise<{ status: number; eventId: string }> {
    const eventId = randomUUID();
    const response = await fetch(`${app.url}/webhooks`, {
      method: 'POST',
      headers: {
        'Content-Type': 'application/json',
        'X-Shopify-Topic': topic,
        'X-Shopify-Hmac-Sha256': createHmac('sha256', app.config.shopifyApiSecret).update(body, 'utf8').digest('base64'),
        'X-Shopify-Shop-Domain': shop,
        'X-Shopify-Webhook-Id': randomUUID(),
        'X-Shopify-Event-Id': eventId,
        'X-Shopify-Triggered-At': new Date().toISOString(),
        'X-Shopify-API-Version': '2026-10',
      },
      body,
    });
    await response.arrayBuffer();
    return { status: response.status, eventId };
  }

  /** Where the delivery ended: finished ones move from webhook_inbox to webhook_log. */
  async function delivery(shop: string, eventId: string): Promise<Delivery | null> {
    const db = app.connection.db;
    if (!db) throw new Error('no database handle');
    const finished = await db.collection<Delivery>('webhook_log').findOne({ shop, eventId });
    return finished ?? (await db.collection<Delivery>('webhook_inbox').findOne({ shop, eventId }));
  }

  async function pointsOf(shop: string, customerId: string): Promise<{ balance: number; ledger: unknown[] }> {
    const response = await api(app, shop, `/customers/${customerId}`);
    expect(response.status).toBe(200);
    const body = (await response.json()) as { points: { balance: number }; ledger: unknown[] };
    return { balance: body.points.balance, ledger: body.ledger };
  }

  it.each(TOPICS)('acknowledges %s with 200 and ends processed or skipped with a reason', async (topic) => {
    const shop = `fixture-${topic.replace(/[/._]/g, '-')}.myshopify.com`;
    await installShop(app, shop);
    const { status, eventId } = await deliver(shop, topic, fixture(topic, shop));
    expect(status).toBe(200);
    await app.worker.drain();
    const entry = await delivery(shop, eventId);
    expect(entry, `${topic}: ${entry?.lastError ?? ''}`).toMatchObject({ status: expect.stringMatching(/^(processed|skipped)$/) });
    if (entry?.status === 'skipped') expect(entry.outcome).toEqual(expect.any(String));
  });

  // The documented order is a test order, already cancelled and voided: under the contract's
  // default program it earns nothing, for the exact id Shopify wrote or for its rounded neighbour.
  it('credits nothing for the documented orders/paid body (test order, already cancelled)', async () => {
    const shop = 'fixture-paid-as-documented.myshopify.com';
    await installShop(app, shop);
    const body = fixture('orders/paid', shop);
    expect(body).toContain('"test": true');
    const { status, eventId } = await deliver(shop, 'orders/paid', body);
    expect(status).toBe(200);
    await app.worker.drain();
    expect((await delivery(shop, eventId))?.status).toMatch(/^(processed|skipped)$/);
    expect((await pointsOf(shop, '115310627314723954')).balance).toBe(0);
    expect((await pointsOf(shop, '115310627314723950')).balance).toBe(0);
  });

  // The same documented body as a live, paid order (three fields changed in the raw text, ids untouched):
  // 1 point per whole dollar of current_subtotal_price 414.95 -> 414, to the customer id exactly as written.
  it('credits 414 points to customer 115310627314723954 for the documented order when it is live and paid', async () => {
    const shop = 'fixture-paid-live.myshopify.com';
    await installShop(app, shop);
    const documented = fixture('orders/paid', shop);
    const live = documented
      .replace('"cancel_reason": "customer"', '"cancel_reason": null')
      .replace('"cancelled_at": "2021-12-31T19:00:00-05:00"', '"cancelled_at": null')
      .replace('"financial_status": "voided"', '"financial_status": "paid"')
      .replace('"test": true', '"test": false');
    expect(live).not.toBe(documented);
    expect(live).toContain('"id": 115310627314723954,');
    const { status, eventId } = await deliver(shop, 'orders/paid', live);
    expect(status).toBe(200);
    await app.worker.drain();
    const entry = await delivery(shop, eventId);
    expect(entry, entry?.lastError ?? '').toMatchObject({ status: 'processed' });
    expect((await pointsOf(shop, '115310627314723954')).balance).toBe(414);
    expect((await pointsOf(shop, '115310627314723950')).balance).toBe(0);
  });

  // A program group's report counts accounts sharing an email Shopify reports verified: the documented body carries `verified_email`.
  it('stores the documented customers/create body with its email marked verified', async () => {
    const shop = 'fixture-verified-email.myshopify.com';
    await installShop(app, shop);
    const { status } = await deliver(shop, 'customers/create', fixture('customers/create', shop));
    expect(status).toBe(200);
    await app.worker.drain();
    const profile = await customerModel(app.connection).findOne({ shop, customerId: '706405506930370084' }).lean();
    expect(profile).toMatchObject({ email: 'bob@biller.com', verifiedEmail: true });
  });
});

import { createHmac, randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CHECKED_TOPICS, moveFinished, REPLAY_HORIZON_MS } from '../../server/inbox/index.js';
import { topicHandlers } from '../../server/topic-handlers.js';
import { startTestApp, type TestApp } from '../support/app.js';
import { devstoreOf, grantPoints, installShop } from '../support/shopify.js';

const FIXTURES = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../fixtures/shopify/2026-10');

/**
 * Shopify's documented body for a topic, as written (never parsed, so ids above 2^53 keep their
 * digits), for `shop`: the `{shop}` placeholder and the example shop `jsmith` (an order's
 * `order_status_url`) become its domain.
 */
function fixture(topic: string, shop: string): string {
  return readFileSync(path.join(FIXTURES, `${topic.replace(/[/.]/g, '_')}.json`), 'utf8')
    .replaceAll('{shop}.myshopify.com', shop)
    .replaceAll('jsmith.myshopify.com', shop);
}

/** The documented order as a live, paid one of a real customer. */
function liveOrder(shop: string): string {
  return fixture('orders/paid', shop)
    .replace('"cancel_reason": "customer"', '"cancel_reason": null')
    .replace('"cancelled_at": "2021-12-31T19:00:00-05:00"', '"cancelled_at": null')
    .replace('"financial_status": "voided"', '"financial_status": "paid"')
    .replace('"test": true', '"test": false');
}

const hmacOf = (secret: string, body: string) => createHmac('sha256', secret).update(body, 'utf8').digest('base64');

describe('webhook security', () => {
  let app: TestApp;
  const installed = 'sec-hooks.myshopify.com';
  const victim = 'sec-victim.myshopify.com';

  beforeAll(async () => {
    app = await startTestApp('security-webhooks');
    await installShop(app, installed);
    await installShop(app, victim);
  });
  afterAll(async () => {
    await app.close();
  });

  const db = () => {
    if (!app.connection.db) throw new Error('no database handle');
    return app.connection.db;
  };

  async function post(body: string, headers: Record<string, string | undefined>): Promise<Response> {
    const response = await fetch(`${app.url}/webhooks`, {
      method: 'POST',
      headers: Object.fromEntries(Object.entries(headers).filter((entry): entry is [string, string] => entry[1] !== undefined)),
      body,
    });
    await response.arrayBuffer();
    return response;
  }

  async function deliver(
    shop: string,
    topic: string,
    body: string,
    options: { eventId?: string; hmac?: string } = {},
  ): Promise<{ status: number; eventId: string }> {
    const eventId = options.eventId ?? randomUUID();
    const response = await post(body, {
      'Content-Type': 'application/json',
      'X-Shopify-Topic': topic,
      'X-Shopify-Hmac-Sha256': options.hmac ?? hmacOf(app.config.shopifyApiSecret, body),
      'X-Shopify-Shop-Domain': shop,
      'X-Shopify-Webhook-Id': randomUUID(),
      'X-Shopify-Event-Id': eventId,
      'X-Shopify-Triggered-At': new Date().toISOString(),
      'X-Shopify-API-Version': '2026-10',
    });
    return { status: response.status, eventId };
  }

  /** Every stored copy of a delivery: in the inbox and in the log. */
  async function storedCopies(shop: string, eventId: string): Promise<Array<{ status: string; outcome?: string; body: string }>> {
    const filter = { shop, eventId };
    const found = [
      ...(await db().collection('webhook_inbox').find(filter).toArray()),
      ...(await db().collection('webhook_log').find(filter).toArray()),
    ];
    return found.map((entry) => ({
      status: String(entry.status),
      outcome: entry.outcome === undefined ? undefined : String(entry.outcome),
      body: String(entry.body),
    }));
  }

  async function everythingStoredAbout(shop: string): Promise<string> {
    const parts: unknown[] = [];
    for (const collection of await db().listCollections().toArray()) {
      parts.push(await db().collection(collection.name).find({ shop }).toArray());
    }
    return JSON.stringify(parts);
  }

  const ledgerCount = (shop: string) => db().collection('ledger_entries').countDocuments({ shop });

  describe('item 1: the topic and shop headers must agree with the signed body', () => {
    it('refuses a signed order body re-sent as shop/redact, customers/redact or another topic, and stores nothing', async () => {
      await devstoreOf(app).send([devstoreOf(app).addCustomer(victim, { id: 5101, email: 'victim@example.com' })], { retryDelaysMs: [] });
      await app.worker.drain();
      const before = await everythingStoredAbout(victim);
      const captured = liveOrder(installed);
      for (const topic of [
        'shop/redact',
        'customers/redact',
        'customers/data_request',
        'orders/cancelled',
        'refunds/create',
        'customers/update',
        'customer.tags_added',
        'app/uninstalled',
      ]) {
        const { status, eventId } = await deliver(victim, topic, captured);
        expect({ topic, status }).toEqual({ topic, status: 400 });
        expect(await storedCopies(victim, eventId)).toEqual([]);
      }
      await app.worker.drain();
      expect(await everythingStoredAbout(victim)).toBe(before);
    });

    it('refuses a refund body re-sent as orders/cancelled', async () => {
      const { status, eventId } = await deliver(installed, 'orders/cancelled', fixture('refunds/create', installed));
      expect(status).toBe(400);
      expect(await storedCopies(installed, eventId)).toEqual([]);
    });

    it('answers 400 shop_mismatch when the payload names another shop than X-Shopify-Shop-Domain', async () => {
      for (const topic of ['shop/redact', 'customers/redact', 'customers/data_request']) {
        const body = fixture(topic, installed);
        const response = await post(body, {
          'Content-Type': 'application/json',
          'X-Shopify-Topic': topic,
          'X-Shopify-Hmac-Sha256': hmacOf(app.config.shopifyApiSecret, body),
          'X-Shopify-Shop-Domain': victim,
          'X-Shopify-Webhook-Id': randomUUID(),
        });
        expect({ topic, status: response.status }).toEqual({ topic, status: 400 });
      }
      const uninstall = JSON.stringify({ id: 1, name: 'Other', domain: 'shop.example.com', myshopify_domain: installed });
      expect((await deliver(victim, 'app/uninstalled', uninstall)).status).toBe(400);
      expect(await db().collection('shops').findOne({ shop: victim })).toMatchObject({ status: 'installed' });
    });

    it("accepts Shopify's documented payload of every checked topic, ids beyond 2^53 kept to the digit", async () => {
      const shop = 'sec-fixtures.myshopify.com';
      await installShop(app, shop);
      for (const topic of CHECKED_TOPICS.filter((name) => name !== 'shop/redact' && name !== 'app/uninstalled')) {
        const { status, eventId } = await deliver(shop, topic, fixture(topic, shop));
        expect({ topic, status }).toEqual({ topic, status: 200 });
        expect((await storedCopies(shop, eventId)).length).toBe(1);
      }
      const { eventId } = await deliver(shop, 'orders/paid', liveOrder(shop));
      const [stored] = await storedCopies(shop, eventId);
      expect(stored?.body).toContain('"id":820982911946154508');
      expect(stored?.body).toContain('"id":115310627314723954');
    });

    it('has a payload check for every topic the app handles', () => {
      expect(Object.keys(topicHandlers).filter((topic) => !CHECKED_TOPICS.includes(topic))).toEqual([]);
    });

    it('acknowledges shop/redact for a shop that is still installed, records it skipped with the reason, and deletes nothing', async () => {
      const shop = 'sec-still-installed.myshopify.com';
      await installShop(app, shop);
      await grantPoints(app, shop, 5401, 25);
      const { status, eventId } = await deliver(shop, 'shop/redact', fixture('shop/redact', shop));
      expect(status).toBe(200);
      await app.worker.drain();
      expect(await storedCopies(shop, eventId)).toEqual([
        expect.objectContaining({ status: 'skipped', outcome: expect.stringContaining('still installed') }),
      ]);
      expect(await db().collection('shops').countDocuments({ shop })).toBe(1);
      expect(await ledgerCount(shop)).toBeGreaterThan(0);
    });

    it('acts on shop/redact once the shop is uninstalled', async () => {
      const shop = 'sec-gone.myshopify.com';
      await installShop(app, shop);
      await devstoreOf(app).send(devstoreOf(app).uninstall(shop), { retryDelaysMs: [] });
      await app.worker.drain();
      const { status, eventId } = await deliver(shop, 'shop/redact', fixture('shop/redact', shop));
      expect(status).toBe(200);
      await app.worker.drain();
      expect(await storedCopies(shop, eventId)).toEqual([expect.objectContaining({ status: 'processed' })]);
      expect(await db().collection('shops').countDocuments({ shop })).toBe(0);
    });
  });

  describe('item 4: replays after processing', () => {
    const profile = (id: number, email: string, updatedAt: string | null) =>
      JSON.stringify({ id, email, first_name: 'Ada', last_name: 'Lovelace', phone: null, tags: '', addresses: [], updated_at: updatedAt });
    const stored = (customerId: string) => db().collection('customers').findOne({ shop: installed, customerId });

    it('acknowledges an event delivered again after it was processed and does not run it again', async () => {
      const first = await deliver(installed, 'customers/update', profile(5201, 'old@example.com', null));
      await app.worker.drain();
      await deliver(installed, 'customers/update', profile(5201, 'new@example.com', null));
      await app.worker.drain();
      expect(await storedCopies(installed, first.eventId)).toEqual([expect.objectContaining({ status: 'processed' })]);

      const replay = await deliver(installed, 'customers/update', profile(5201, 'old@example.com', null), { eventId: first.eventId });
      expect(replay.status).toBe(200);
      await app.worker.drain();
      expect(await storedCopies(installed, first.eventId)).toHaveLength(1);
      expect((await stored('5201'))?.email).toBe('new@example.com');
    });

    it('ignores a profile update older than the stored one, whatever its event id', async () => {
      await deliver(installed, 'customers/update', profile(5202, 'current@example.com', '2026-03-02T10:00:00-05:00'));
      await app.worker.drain();
      const late = await deliver(installed, 'customers/update', profile(5202, 'stale@example.com', '2026-03-01T10:00:00-05:00'));
      await app.worker.drain();
      expect(await storedCopies(installed, late.eventId)).toEqual([expect.objectContaining({ status: 'skipped' })]);
      expect((await stored('5202'))?.email).toBe('current@example.com');

      await deliver(installed, 'customers/update', profile(5202, 'newer@example.com', '2026-03-03T10:00:00-05:00'));
      await app.worker.drain();
      expect((await stored('5202'))?.email).toBe('newer@example.com');
    });

    it('keeps a finished delivery in the inbox for the replay horizon, then moves it to the log once', async () => {
      const first = await deliver(installed, 'customers/update', profile(5203, 'kept@example.com', null));
      await app.worker.drain();
      const copies = async (collection: string) => db().collection(collection).countDocuments({ shop: installed, eventId: first.eventId });
      await moveFinished(app.connection, new Date(Date.now() + REPLAY_HORIZON_MS - 60_000));
      expect({ inbox: await copies('webhook_inbox'), log: await copies('webhook_log') }).toEqual({ inbox: 1, log: 0 });
      await moveFinished(app.connection, new Date(Date.now() + REPLAY_HORIZON_MS + 60_000));
      await moveFinished(app.connection, new Date(Date.now() + REPLAY_HORIZON_MS + 120_000));
      expect({ inbox: await copies('webhook_inbox'), log: await copies('webhook_log') }).toEqual({ inbox: 0, log: 1 });
    });
  });

  describe('item 11: shops that are not installed', () => {
    it('credits no points and stores no personal data for a shop that never installed the app', async () => {
      const shop = 'sec-never.myshopify.com';
      const order = await deliver(shop, 'orders/paid', liveOrder(shop));
      const customer = await deliver(shop, 'customers/create', fixture('customers/create', shop));
      expect([order.status, customer.status]).toEqual([200, 200]);
      await app.worker.drain();
      expect(await ledgerCount(shop)).toBe(0);
      expect(await storedCopies(shop, order.eventId)).toEqual([{ status: 'skipped', outcome: expect.stringContaining('not installed'), body: '{}' }]);
      const everything = await everythingStoredAbout(shop);
      for (const personal of ['john@example.com', 'jon@example.com', 'bob@biller.com', 'Biller', 'Shipping Street', '555-555'])
        expect(everything).not.toContain(personal);
    });

    it('credits no points after the shop uninstalled the app', async () => {
      const shop = 'sec-left.myshopify.com';
      await installShop(app, shop);
      await devstoreOf(app).send(devstoreOf(app).uninstall(shop), { retryDelaysMs: [] });
      await app.worker.drain();
      const entriesBefore = await ledgerCount(shop);
      const { status, eventId } = await deliver(shop, 'orders/paid', liveOrder(shop));
      expect(status).toBe(200);
      await app.worker.drain();
      expect(await ledgerCount(shop)).toBe(entriesBefore);
      expect(await storedCopies(shop, eventId)).toEqual([expect.objectContaining({ status: 'skipped', body: '{}' })]);
    });

    it('still acts on compliance topics for a shop that is not installed', async () => {
      const shop = 'sec-never-gdpr.myshopify.com';
      const { status, eventId } = await deliver(shop, 'customers/redact', fixture('customers/redact', shop));
      expect(status).toBe(200);
      await app.worker.drain();
      expect(await storedCopies(shop, eventId)).toEqual([expect.objectContaining({ status: 'processed' })]);
    });
  });

  describe('item 12: personal fields are stripped before storing', () => {
    it("stores an order without the buyer's name, email, phone and addresses, and still credits it", async () => {
      const shop = 'sec-strip.myshopify.com';
      await installShop(app, shop);
      const { eventId } = await deliver(shop, 'orders/paid', liveOrder(shop));
      const [before] = await storedCopies(shop, eventId);
      for (const personal of [
        'john@example.com',
        'jon@example.com',
        'Steve',
        'Shipper',
        '123 Shipping Street',
        '555-555-SHIP',
        '123 Elm St.',
        '123-123-1234',
        'Smith',
        '123456abcd',
      ]) {
        expect({ personal, stored: before?.body.includes(personal) }).toEqual({ personal, stored: false });
      }
      const body = JSON.parse(before!.body) as Record<string, unknown>;
      for (const kept of [
        'line_items',
        'discount_codes',
        'note_attributes',
        'test',
        'taxes_included',
        'cancelled_at',
        'refunds',
        'current_subtotal_price_set',
        'financial_status',
      ])
        expect(body).toHaveProperty(kept);
      await app.worker.drain();
      const [after] = await storedCopies(shop, eventId);
      expect(after).toMatchObject({ status: 'processed' });
      const balance = await db().collection('ledger_entries').find({ shop, customerId: '115310627314723954' }).toArray();
      expect(balance.reduce((sum, entry) => sum + Number(entry.available), 0)).toBe(414);
    });

    it("keeps a customer profile's contact fields (the profile stores them) but not its note", async () => {
      const { eventId } = await deliver(installed, 'customers/create', fixture('customers/create', installed));
      const [stored] = await storedCopies(installed, eventId);
      expect(stored?.body).toContain('bob@biller.com');
      expect(stored?.body).not.toContain('This customer loves ice cream');
    });
  });

  describe('item 13: only the canonical base64 HMAC', () => {
    it('refuses every other spelling of a correct signature', async () => {
      // A body whose signature has both + and /, so the URL-safe spelling differs from it.
      let nonce = 0;
      const bodyWith = (n: number) => JSON.stringify({ id: 5301, email: null, note: `n${n}` });
      while (!/[+].*[/]|[/].*[+]/.test(hmacOf(app.config.shopifyApiSecret, bodyWith(nonce)))) nonce++;
      const body = bodyWith(nonce);
      const hmac = hmacOf(app.config.shopifyApiSecret, body);
      const lastBits = '0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ+/';
      const last = hmac.at(-2)!;
      const variants = {
        unpadded: hmac.slice(0, -1),
        urlSafe: hmac.replaceAll('+', '-').replaceAll('/', '_'),
        withSpace: `${hmac.slice(0, 10)} ${hmac.slice(10)}`,
        trailingJunk: `${hmac}!!`,
        trailingBits: `${hmac.slice(0, -2)}${[...lastBits].find((char) => char !== last && Buffer.from(`${hmac.slice(0, -2)}${char}=`, 'base64').equals(Buffer.from(hmac, 'base64')))}=`,
        doubled: `${hmac}${hmac}`,
      };
      for (const [name, spelling] of Object.entries(variants)) {
        const { status, eventId } = await deliver(installed, 'customers/update', body, { hmac: spelling });
        expect({ name, status }).toEqual({ name, status: 401 });
        expect(await storedCopies(installed, eventId)).toEqual([]);
      }
      expect((await deliver(installed, 'customers/update', body, { hmac })).status).toBe(200);
    });
  });
});

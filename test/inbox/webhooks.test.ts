import { createHmac, randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findDelivery, inboxModel, webhookLogModel } from '../../server/inbox/store.js';
import { startTestApp, type TestApp } from '../support/app.js';
import { installShop } from '../support/shopify.js';

describe('POST /webhooks', () => {
  let app: TestApp;
  const shop = 'hooks.myshopify.com';
  beforeAll(async () => {
    app = await startTestApp('webhooks');
    // Webhooks of a shop that is not installed are recorded as skipped (issue 14, item 11).
    await installShop(app, shop);
  });
  afterAll(async () => {
    await app.close();
  });

  function signed(body: string, overrides: Record<string, string | undefined> = {}): Record<string, string> {
    const headers: Record<string, string | undefined> = {
      'Content-Type': 'application/json',
      'X-Shopify-Topic': 'orders/paid',
      'X-Shopify-Hmac-Sha256': createHmac('sha256', app.config.shopifyApiSecret).update(body).digest('base64'),
      'X-Shopify-Shop-Domain': shop,
      'X-Shopify-Webhook-Id': randomUUID(),
      'X-Shopify-Event-Id': randomUUID(),
      'X-Shopify-Triggered-At': new Date().toISOString(),
      'X-Shopify-API-Version': '2026-10',
      ...overrides,
    };
    return Object.fromEntries(Object.entries(headers).filter((entry): entry is [string, string] => entry[1] !== undefined));
  }

  async function post(body: string, headers: Record<string, string>): Promise<Response> {
    return fetch(`${app.url}/webhooks`, { method: 'POST', headers, body });
  }

  const stored = async () => (await inboxModel(app.connection).countDocuments({})) + (await webhookLogModel(app.connection).countDocuments({}));

  it('rejects a missing HMAC with 401 and stores nothing', async () => {
    const before = await stored();
    const response = await post('{"id":1}', signed('{"id":1}', { 'X-Shopify-Hmac-Sha256': undefined }));
    expect(response.status).toBe(401);
    expect(await stored()).toBe(before);
  });

  it('rejects a wrong HMAC with 401 and stores nothing', async () => {
    const before = await stored();
    const forged = createHmac('sha256', 'not-the-secret').update('{"id":1}').digest('base64');
    expect((await post('{"id":1}', signed('{"id":1}', { 'X-Shopify-Hmac-Sha256': forged }))).status).toBe(401);
    expect((await post('{"id":2}', signed('{"id":1}'))).status).toBe(401);
    expect(await stored()).toBe(before);
  });

  it('rejects a body that is not JSON with 400 and stores nothing', async () => {
    const before = await stored();
    const response = await post('{"id":', signed('{"id":'));
    expect(response.status).toBe(400);
    expect(await response.json()).toMatchObject({ error: 'invalid_json' });
    expect(await stored()).toBe(before);
  });

  it('rejects a body over the limit with 413 and stores nothing', async () => {
    const before = await stored();
    const body = JSON.stringify({ padding: 'x'.repeat(1_100_000) });
    expect((await post(body, signed(body))).status).toBe(413);
    expect(await stored()).toBe(before);
  });

  it('rejects a signed delivery without Shopify headers or with a bad shop domain with 400', async () => {
    const before = await stored();
    expect((await post('{}', signed('{}', { 'X-Shopify-Topic': undefined }))).status).toBe(400);
    expect((await post('{}', signed('{}', { 'X-Shopify-Shop-Domain': 'evil.example.com' }))).status).toBe(400);
    expect((await post('{}', signed('{}', { 'X-Shopify-Shop-Domain': '{"$gt":""}' }))).status).toBe(400);
    expect(await stored()).toBe(before);
  });

  it('stores one entry for one event delivered five times at once, and acknowledges each', async () => {
    const body = JSON.stringify({ id: 123, note: 'dup' });
    const eventId = randomUUID();
    const responses = await Promise.all(
      Array.from({ length: 5 }, () => post(body, signed(body, { 'X-Shopify-Event-Id': eventId, 'X-Shopify-Topic': 'shop/update' }))),
    );
    expect(responses.map((response) => response.status)).toEqual([200, 200, 200, 200, 200]);
    await app.worker.drain();
    expect(
      (await inboxModel(app.connection).countDocuments({ shop, eventId })) +
        (await webhookLogModel(app.connection).countDocuments({ shop, eventId })),
    ).toBe(1);
  });

  it('falls back to the webhook id when Shopify sends no event id, and records the delivery once', async () => {
    const body = '{"id":9}';
    const webhookId = randomUUID();
    await post(body, signed(body, { 'X-Shopify-Event-Id': undefined, 'X-Shopify-Webhook-Id': webhookId, 'X-Shopify-Topic': 'shop/update' }));
    await post(body, signed(body, { 'X-Shopify-Event-Id': undefined, 'X-Shopify-Webhook-Id': webhookId, 'X-Shopify-Topic': 'shop/update' }));
    await app.worker.drain();
    expect(
      (await inboxModel(app.connection).countDocuments({ shop, eventId: webhookId })) +
        (await webhookLogModel(app.connection).countDocuments({ shop, eventId: webhookId })),
    ).toBe(1);
  });

  it('acknowledges a topic the app ignores and records it as skipped with a reason', async () => {
    const body = '{"id":77}';
    const eventId = randomUUID();
    expect((await post(body, signed(body, { 'X-Shopify-Event-Id': eventId, 'X-Shopify-Topic': 'products/update' }))).status).toBe(200);
    await app.worker.drain();
    const entry = await findDelivery(app.connection, shop, eventId);
    expect(entry).toMatchObject({ status: 'skipped', outcome: 'no handler for topic products/update' });
  });
});

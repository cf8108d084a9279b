import { createHmac, randomUUID } from 'node:crypto';
import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { shopNumericId } from '../../devstore/state.js';
import { balanceOf } from '../../server/ledger/index.js';
import { createLogger } from '../../server/platform/logger.js';
import { startTestApp, type TestApp } from '../support/app.js';
import { installShop } from '../support/shopify.js';

class LogCapture extends Writable {
  readonly lines: Array<Record<string, unknown>> = [];
  override _write(chunk: Buffer, _encoding: string, done: () => void): void {
    for (const line of chunk.toString('utf8').split('\n').filter(Boolean)) this.lines.push(JSON.parse(line) as Record<string, unknown>);
    done();
  }
}

/** Issue 23, findings 5 and 6: a signed order body that does not belong to the header's shop, and malformed customer ids. */
describe('orders/paid that another shop signed, or that names no real customer', () => {
  let app: TestApp;
  const log = new LogCapture();
  const north = 'replay-north.myshopify.com';
  const south = 'replay-south.myshopify.com';

  beforeAll(async () => {
    app = await startTestApp('order-replay', {}, { logger: createLogger('warn', log) });
    for (const shop of [north, south]) await installShop(app, shop);
  });
  afterAll(async () => {
    await app.close();
  });

  const deliver = async (shop: string, topic: string, body: string) => {
    const response = await fetch(`${app.url}/webhooks`, {
      method: 'POST',
      headers: {
        'Content-Type': 'application/json',
        'X-Shopify-Topic': topic,
        'X-Shopify-Hmac-Sha256': createHmac('sha256', app.ctx.config.shopifyApiSecret).update(body, 'utf8').digest('base64'),
        'X-Shopify-Shop-Domain': shop,
        'X-Shopify-Webhook-Id': randomUUID(),
        'X-Shopify-Event-Id': randomUUID(),
      },
      body,
    });
    return { status: response.status, body: (await response.json()) as { error?: string; message?: string } };
  };
  const stored = (shop: string) => app.connection.db!.collection('webhook_inbox').countDocuments({ shop });
  /** North's paid order of 120.00 for Ada, as Shopify sends it (signed body and all). */
  const northOrder = (customerId: number) => {
    const devstore = app.devstore!;
    devstore.addCustomer(north, { id: customerId, email: `${customerId}@example.com` });
    const order = devstore.createOrder(north, { customerId, lines: [{ priceMinor: 12_000 }] });
    return devstore.pay(north, order.id)[0]!.payload as Record<string, unknown>;
  };

  it("refuses north's signed orders/paid under south's header (its order_status_url names north), credits nothing and logs the refusal", async () => {
    const payload = northOrder(7_300_001);
    expect(String(payload.order_status_url)).toContain(`https://${north}/`);
    const before = await stored(south);
    const replayed = await deliver(south, 'orders/paid', JSON.stringify(payload));
    expect(replayed).toMatchObject({ status: 400, body: { error: 'shop_mismatch' } });
    expect(await stored(south)).toBe(before);
    await app.worker.drain();
    expect((await balanceOf(app.connection, south, '7300001')).available).toBe(0);
    expect(log.lines).toContainEqual(expect.objectContaining({ level: 40, shop: south, topic: 'orders/paid', refused: 'shop_mismatch' }));

    expect((await deliver(north, 'orders/paid', JSON.stringify(payload))).status).toBe(200);
    await app.worker.drain();
    expect((await balanceOf(app.connection, north, '7300001')).available).toBe(120);
  });

  it("refuses an order on a custom domain whose order_status_url carries another shop's id", async () => {
    const payload = northOrder(7_300_002);
    const onCustomDomain = (shopId: number) =>
      JSON.stringify({ ...payload, order_status_url: `https://www.south-brand.example/${shopId}/orders/abc123/authenticate?key=k1` });
    expect((await deliver(south, 'orders/paid', onCustomDomain(shopNumericId(north)))).status).toBe(400);
    expect((await deliver(south, 'orders/paid', onCustomDomain(shopNumericId(south)))).status).toBe(200);
  });

  it('refuses orders/paid whose customer.id is not a numeric id (400) and stores nothing', async () => {
    const payload = northOrder(7_300_003);
    const before = await stored(north);
    for (const id of [-7, 0.5, 'abc', null]) {
      const answer = await deliver(north, 'orders/paid', JSON.stringify({ ...payload, customer: { ...(payload.customer as object), id } }));
      expect({ id, status: answer.status, error: answer.body.error }).toEqual({ id, status: 400, error: 'invalid_payload' });
      expect(answer.body.message).toContain('customer.id');
    }
    expect(await stored(north)).toBe(before);
  });
});

import { createHmac } from 'node:crypto';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { flowTriggersReceived } from '../../devstore/admin-bulk.js';
import { issueOffers, rewardAction } from '../../server/engagement/index.js';
import { offerModel } from '../../server/engagement/offers.js';
import { outboundDeliveryModel } from '../../server/outbound/store.js';
import { runOutbound, validSignature, type OutboundEvent } from '../../server/outbound/index.js';
import { loadProgram } from '../../server/program/index.js';
import { startTestApp, type TestApp } from '../support/app.js';
import { saveOfferSettings } from '../engagement/harness.js';
import { api, devstoreOf, installShop, proxy } from '../support/shopify.js';

/** A merchant's receiver that accepts everything and keeps what it got. */
async function receiver(): Promise<{ url: string; received: Array<{ headers: IncomingHttpHeaders; body: string }>; close(): Promise<void> }> {
  const received: Array<{ headers: IncomingHttpHeaders; body: string }> = [];
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      received.push({ headers: req.headers, body: Buffer.concat(chunks).toString('utf8') });
      res.writeHead(200).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/offers`,
    received,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

describe('offer.issued: personalised offers reach webhook endpoints and Shopify Flow through the outbox, once each', () => {
  let app: TestApp;
  let hooks: Awaited<ReturnType<typeof receiver>>;
  const shop = 'outbound-offers.myshopify.com';
  const busy = 'outbound-offers-busy.myshopify.com';
  const customer = 9_500_001;

  beforeAll(async () => {
    app = await startTestApp('outbound-offers');
    hooks = await receiver();
    await installShop(app, shop);
    await installShop(app, busy);
  });
  afterAll(async () => {
    await hooks.close();
    await app.close();
  });

  async function pass(target: string): Promise<void> {
    while ((await runOutbound(app.ctx, target)) === null) await new Promise((resolve) => setTimeout(resolve, 20));
  }

  /** Flow's lifecycle callback, signed with the app's secret as Flow signs it. */
  async function enableFlowTrigger(handle: string, at: Date): Promise<void> {
    const raw = JSON.stringify({
      flow_trigger_definition_id: handle,
      has_enabled_flow: true,
      shop_id: 1,
      shopify_domain: shop,
      timestamp: at.toISOString(),
    });
    const response = await fetch(`${app.url}/flow/lifecycle`, {
      method: 'POST',
      headers: {
        'Content-Type': 'application/json',
        'X-Shopify-Hmac-SHA256': createHmac('sha256', app.config.shopifyApiSecret).update(raw).digest('base64'),
      },
      body: raw,
    });
    expect(response.status).toBe(200);
  }

  it("sends a birthday-month offer to the endpoint signed, and to Flow with the trigger's fields, once however often the job and the passes run", async () => {
    const created = await api(app, shop, '/outbound/endpoints', { method: 'POST', body: { url: hooks.url, events: ['offer.issued'] } });
    expect(created.status).toBe(201);
    const endpoint = (await created.json()) as { secret: string };
    await enableFlowTrigger('tally-offer-issued', new Date(app.ctx.clock().getTime() - 1000));
    await saveOfferSettings(app, shop);
    const now = app.ctx.clock();
    const program = (await loadProgram(app.ctx.connection, shop))!;
    await rewardAction(app.ctx, program, shop, String(customer), { type: 'birthday', birthday: `${now.toISOString().slice(5, 7)}-02` }, now);

    const issued = await issueOffers(app.ctx, shop, now);
    expect(issued).toHaveLength(1);
    await pass(shop);
    expect(hooks.received).toHaveLength(1);
    const [request] = hooks.received;
    expect(validSignature(endpoint.secret, request!.body, request!.headers['x-tally-hmac-sha256'] as string)).toBe(true);
    expect(request!.headers['x-tally-topic']).toBe('offer.issued');
    const event = JSON.parse(request!.body) as OutboundEvent;
    const nextMonth = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() + 1, 1));
    expect(event).toEqual({
      id: `offer.issued:${customer}:birthday:${now.getUTCFullYear()}`,
      type: 'offer.issued',
      shop,
      occurredAt: now.toISOString(),
      data: { customerId: String(customer), kind: 'birthday', title: 'Happy birthday month', points: 150, expiresAt: nextMonth.toISOString() },
    });
    expect(flowTriggersReceived(devstoreOf(app).shop(shop)!)).toEqual([
      {
        handle: 'tally-offer-issued',
        payload: {
          customer_id: customer,
          'Offer kind': 'birthday',
          Title: 'Happy birthday month',
          Points: 150,
          'Expires at': nextMonth.toISOString(),
        },
      },
    ]);
    // The launcher shows the same offer.
    const view = (await (await proxy(app, shop, '/engagement', { customerId: customer })).json()) as { offers: Array<{ kind: string }> };
    expect(view.offers.map((offer) => offer.kind)).toEqual(['birthday']);

    expect(await issueOffers(app.ctx, shop, new Date(now.getTime() + 60_000))).toEqual([]);
    await pass(shop);
    await pass(shop);
    expect(hooks.received).toHaveLength(1);
    expect(flowTriggersReceived(devstoreOf(app).shop(shop)!)).toHaveLength(1);
  });

  it('queues every offer of a batch stamped with one instant, past a full page of the collection', async () => {
    const created = await api(app, busy, '/outbound/endpoints', { method: 'POST', body: { url: hooks.url, events: ['offer.issued'] } });
    expect(created.status).toBe(201);
    const at = app.ctx.clock();
    const count = 2_150;
    await offerModel(app.ctx.connection).insertMany(
      Array.from({ length: count }, (_, index) => ({
        shop: busy,
        customerId: String(9_600_000 + index),
        kind: 'win_back' as const,
        period: `order-${index}`,
        title: 'We miss you',
        points: 100,
        issuedAt: at,
        expiresAt: new Date(at.getTime() + 30 * 86_400_000),
      })),
    );
    await pass(busy);
    expect(await outboundDeliveryModel(app.ctx.connection).countDocuments({ shop: busy, type: 'offer.issued' })).toBe(count);
    await pass(busy);
    expect(await outboundDeliveryModel(app.ctx.connection).countDocuments({ shop: busy, type: 'offer.issued' })).toBe(count);
    // Thousands of single inserts into the outbox on the embedded database: slow, not timed.
  }, 300_000);
});

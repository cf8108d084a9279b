import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runOutbound, SIGNATURE_TOLERANCE_SECONDS, validSignature, validTimedSignature, type OutboundEvent } from '../../server/outbound/index.js';
import { expiryReminderModel } from '../../server/earning/reminders.js';
import { tierChangeModel } from '../../server/tiers/store.js';
import { startTestApp, type TestApp } from '../support/app.js';
import { api, deliverAndDrain, devstoreOf, installShop, proxy } from '../support/shopify.js';

interface Received {
  url: string;
  headers: IncomingHttpHeaders;
  body: string;
  answered: number;
}

interface DeliveryView {
  eventId: string;
  type: string;
  target: string;
  status: string;
  attempts: number;
  nextAttemptAt: string | null;
  log: Array<{ attempt: number; status: number | null; error: string | null }>;
}

/** A merchant's receiver: it fails the first request of every event with a 500, then accepts. */
async function receiver(): Promise<{ url: string; received: Received[]; close(): Promise<void> }> {
  const received: Received[] = [];
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      const seenBefore = received.some((earlier) => earlier.headers['x-tally-event-id'] === req.headers['x-tally-event-id']);
      const answered = seenBefore ? 200 : 500;
      received.push({ url: req.url ?? '', headers: req.headers, body, answered });
      res.writeHead(answered).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/tally-hooks`,
    received,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

describe("outbound events: signed webhooks to the merchant's endpoints, from a durable outbox, with retries and a delivery log", () => {
  let app: TestApp;
  let hooks: Awaited<ReturnType<typeof receiver>>;
  let offsetMs = 0;
  const shop = 'outbound-hooks.myshopify.com';
  const quiet = 'outbound-quiet.myshopify.com';
  const customer = 9_300_001;

  beforeAll(async () => {
    app = await startTestApp('outbound', {}, { clock: () => new Date(Date.now() + offsetMs) });
    hooks = await receiver();
    await installShop(app, shop);
    await installShop(app, quiet);
    await deliverAndDrain(app, [devstoreOf(app).addCustomer(shop, { id: customer, email: 'ada@example.com' })]);
  });
  afterAll(async () => {
    await hooks.close();
    await app.close();
  });

  /** One pass for the shop, waiting out a pass the app's own timer may be running. */
  async function pass(target = shop): Promise<number> {
    for (;;) {
      const attempts = await runOutbound(app.ctx, target);
      if (attempts !== null) return attempts;
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  }

  async function deliveries(target = shop): Promise<DeliveryView[]> {
    const response = await api(app, target, '/outbound/deliveries');
    expect(response.status).toBe(200);
    return ((await response.json()) as { deliveries: DeliveryView[] }).deliveries;
  }

  it('refuses an endpoint without a URL or with an unknown event, per field', async () => {
    const response = await api(app, shop, '/outbound/endpoints', { method: 'POST', body: { url: 'not a url' } });
    expect(response.status).toBe(422);
    expect(((await response.json()) as { errors: Record<string, string> }).errors.url).toMatch(/absolute URL/);
    const events = await api(app, shop, '/outbound/endpoints', { method: 'POST', body: { url: hooks.url, events: ['points.stolen'] } });
    expect(events.status).toBe(422);
  });

  it("signs each event with the endpoint's secret, retries a failing receiver after its backoff and logs every attempt", async () => {
    const created = await api(app, shop, '/outbound/endpoints', { method: 'POST', body: { url: hooks.url } });
    expect(created.status).toBe(201);
    const endpoint = (await created.json()) as { id: string; secret: string; events: string[] };
    expect(endpoint.events).toEqual(['points.earned', 'points.redeemed', 'tier.changed', 'points.expiring', 'offer.issued']);
    expect(endpoint.secret).toMatch(/^whsec_/);

    // Points earned (an order), points redeemed (a reward), a tier change and an expiry reminder.
    const devstore = devstoreOf(app);
    const order = devstore.createOrder(shop, { customerId: customer, lines: [{ priceMinor: 60_000 }] });
    await deliverAndDrain(app, devstore.pay(shop, order.id));
    const redeemed = await proxy(app, shop, '/redemptions', {
      customerId: customer,
      method: 'POST',
      body: { rewardId: 'five-off' },
      timestamp: Math.floor(app.ctx.clock().getTime() / 1000),
    });
    expect(redeemed.status).toBe(201);
    const now = app.ctx.clock();
    await tierChangeModel(app.connection).create({
      _id: `${shop}|${customer}|1`,
      shop,
      customerId: String(customer),
      seq: 1,
      key: 'test:tier:1',
      fromTierId: 'bronze',
      fromName: 'Bronze',
      toTierId: 'silver',
      toName: 'Silver',
      direction: 'up',
      reason: 'order',
      at: now,
    });
    await expiryReminderModel(app.connection).create({ shop, customerId: String(customer), expiresOn: '2027-01-31', points: 40, createdAt: now });

    await pass();
    const firstRound = hooks.received.length;
    expect(firstRound).toBe(4);
    expect(hooks.received.every((request) => request.answered === 500)).toBe(true);
    // Nothing is due again before the backoff has passed.
    expect(await pass()).toBe(0);
    expect(hooks.received).toHaveLength(firstRound);

    offsetMs += 31_000;
    await pass();
    expect(hooks.received).toHaveLength(8);
    for (const request of hooks.received) {
      expect(validSignature(endpoint.secret, request.body, request.headers['x-tally-hmac-sha256'] as string)).toBe(true);
      // Issue 23, finding 6: the time is signed with the body (Stripe's t=), so a copy replayed later is refused.
      const timed = request.headers['x-tally-signature'] as string;
      expect(timed).toMatch(/^t=\d+,v1=[0-9a-f]{64}$/);
      expect(validTimedSignature(endpoint.secret, request.body, timed, app.ctx.clock())).toBe(true);
      const later = new Date(app.ctx.clock().getTime() + (SIGNATURE_TOLERANCE_SECONDS + 60) * 1000);
      expect(validTimedSignature(endpoint.secret, request.body, timed, later)).toBe(false);
      expect(validTimedSignature(endpoint.secret, `${request.body} `, timed, app.ctx.clock())).toBe(false);
      const event = JSON.parse(request.body) as OutboundEvent;
      expect(request.headers['x-tally-topic']).toBe(event.type);
      expect(request.headers['x-tally-event-id']).toBe(event.id);
      expect(event.shop).toBe(shop);
    }
    const events = hooks.received.filter((request) => request.answered === 200).map((request) => JSON.parse(request.body) as OutboundEvent);
    expect(events.map((event) => event.type).sort()).toEqual(['points.earned', 'points.expiring', 'points.redeemed', 'tier.changed']);
    expect(events.find((event) => event.type === 'points.earned')!.data).toMatchObject({ customerId: String(customer), points: 600, balance: 600 });
    expect(events.find((event) => event.type === 'points.redeemed')!.data).toMatchObject({ points: 500, balance: 100 });
    expect(events.find((event) => event.type === 'tier.changed')!.data).toMatchObject({ fromName: 'Bronze', toName: 'Silver', direction: 'up' });
    expect(events.find((event) => event.type === 'points.expiring')!.data).toMatchObject({ points: 40, expiresOn: '2027-01-31' });

    const log = await deliveries();
    expect(log).toHaveLength(4);
    for (const delivery of log) {
      expect(delivery).toMatchObject({ target: endpoint.id, status: 'delivered', attempts: 2 });
      expect(delivery.log.map((attempt) => attempt.status)).toEqual([500, 200]);
      expect(delivery.log[0]!.error).toMatch(/500/);
    }
    // Another pass finds the same records again (they are within its look-back) and sends nothing twice.
    offsetMs += 60_000;
    await pass();
    expect(hooks.received).toHaveLength(8);
  });

  it('keeps signing secrets only sealed, and seals a secret stored plain before', async () => {
    const created = await api(app, shop, '/outbound/endpoints', { method: 'POST', body: { url: `${hooks.url}/sealed`, events: ['points.earned'] } });
    const { id, secret } = (await created.json()) as { id: string; secret: string };
    const endpoints = app.connection.db!.collection<{ _id: string; url: string; secret?: string; sealedSecret?: string }>('outbound_endpoints');
    const stored = await endpoints.findOne({ _id: id });
    expect(JSON.stringify(stored)).not.toContain(secret);
    expect(stored?.sealedSecret).toMatch(/^v1:/);
    expect(stored?.secret).toBeUndefined();
    // A sealed secret copied onto another endpoint does not open there: its deliveries go unsigned, and say why.
    await endpoints.insertOne({ ...stored!, _id: `${id}copy`, url: `${hooks.url}/copy` });
    // An endpoint saved before secrets were sealed: its plain secret signs, then is sealed and removed.
    await endpoints.updateOne({ _id: id }, { $unset: { sealedSecret: 1 }, $set: { secret } });
    const order = devstoreOf(app).createOrder(shop, { customerId: customer, lines: [{ priceMinor: 1000 }] });
    await deliverAndDrain(app, devstoreOf(app).pay(shop, order.id));
    offsetMs += 60_000;
    await pass();
    const sent = hooks.received.filter((request) => request.url.endsWith('/sealed'));
    expect(sent).toHaveLength(1);
    expect(validSignature(secret, sent[0]!.body, sent[0]!.headers['x-tally-hmac-sha256'] as string)).toBe(true);
    expect(hooks.received.filter((request) => request.url.endsWith('/copy'))).toEqual([]);
    const copyLog = (await deliveries()).filter((delivery) => delivery.target === `${id}copy`).flatMap((delivery) => delivery.log);
    expect(copyLog).toEqual([
      expect.objectContaining({ status: null, error: expect.stringMatching(/^not signed: the signing secret does not open/) }),
    ]);
    const resealed = await endpoints.findOne({ _id: id });
    expect(resealed?.secret).toBeUndefined();
    expect(resealed?.sealedSecret).toMatch(/^v1:/);
    expect(JSON.stringify(resealed)).not.toContain(secret);
    for (const removed of [id, `${id}copy`]) expect((await api(app, shop, `/outbound/endpoints/${removed}`, { method: 'DELETE' })).status).toBe(204);
  });

  it('gives a delivery up after its last attempt and shows why', async () => {
    const dead = await api(app, shop, '/outbound/endpoints', {
      method: 'POST',
      body: { url: 'http://127.0.0.1:9/unreachable', events: ['points.earned'] },
    });
    expect(dead.status).toBe(201);
    const { id } = (await dead.json()) as { id: string };
    const devstore = devstoreOf(app);
    const order = devstore.createOrder(shop, { customerId: customer, lines: [{ priceMinor: 1000 }] });
    await deliverAndDrain(app, devstore.pay(shop, order.id));
    for (let round = 0; round < 8; round++) {
      await pass();
      offsetMs += 13 * 60 * 60_000;
    }
    const mine = (await deliveries()).filter((delivery) => delivery.target === id);
    expect(mine).toHaveLength(1);
    expect(mine[0]).toMatchObject({ status: 'failed', attempts: 8, nextAttemptAt: null });
    expect(mine[0]!.log.every((attempt) => attempt.status === null && /no answer/.test(attempt.error ?? ''))).toBe(true);
    expect((await api(app, shop, `/outbound/endpoints/${id}`, { method: 'DELETE' })).status).toBe(204);
  });

  it("queues nothing for a shop with no endpoint, and one shop cannot remove another's endpoint", async () => {
    const devstore = devstoreOf(app);
    await deliverAndDrain(app, [devstore.addCustomer(quiet, { id: 9_300_009, email: 'q@example.com' })]);
    const order = devstore.createOrder(quiet, { customerId: 9_300_009, lines: [{ priceMinor: 5000 }] });
    await deliverAndDrain(app, devstore.pay(quiet, order.id));
    expect(await pass(quiet)).toBe(0);
    expect(await deliveries(quiet)).toEqual([]);
    const listed = (await (await api(app, shop, '/outbound/endpoints')).json()) as { endpoints: Array<{ id: string }> };
    expect(listed.endpoints.length).toBeGreaterThan(0);
    expect((await api(app, quiet, `/outbound/endpoints/${listed.endpoints[0]!.id}`, { method: 'DELETE' })).status).toBe(404);
  });
});

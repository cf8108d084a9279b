import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import express from 'express';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { endpointUrlProblem, outboundRouter, runOutbound, type ResolveHost } from '../../server/outbound/index.js';
import { startTestApp, type TestApp } from '../support/app.js';
import { api, deliverAndDrain, devstoreOf, installShop } from '../support/shopify.js';

/** Hosts that reach inside the operator's network, a cloud's metadata service or a non-web port. */
const INTERNAL_URLS = [
  'https://localhost./',
  'https://LOCALHOST/hooks',
  'https://100.100.100.200/latest/meta-data',
  'https://169.254.169.254/latest/meta-data',
  'https://metadata.google.internal/computeMetadata/v1/',
  'https://198.18.0.1/',
  'https://10.1.2.3/',
  'https://172.20.0.1/',
  'https://192.168.1.1/',
  'https://0.0.0.0/',
  'https://[::1]/',
  'https://[::ffff:10.0.0.1]/',
  'https://[::ffff:7f00:1]/',
  'https://[fd00:ec2::254]/',
  'https://[fe80::1]/',
  'https://[64:ff9b::a9fe:a9fe]/',
  'https://intranet/',
  'https://hooks.example.com:22/',
  'https://hooks.example.com:6379/',
  'http://hooks.example.com/',
];

/** A local receiver that counts what it got and answers `status` (with a Location when it redirects). */
async function receiver(status = 200, location?: string): Promise<{ port: number; hits: number; close(): Promise<void> }> {
  const state = { hits: 0 };
  const server: Server = createServer((req, res) => {
    state.hits++;
    req.resume();
    res.writeHead(status, location ? { Location: location } : {}).end();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: (server.address() as AddressInfo).port,
    get hits() {
      return state.hits;
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/** Issue 23, finding 3: outbound webhook URLs must not reach internal hosts in production. */
describe('outbound endpoints reach only the public internet in production', () => {
  let app: TestApp;
  let production: Server;
  let productionUrl = '';
  const shop = 'ssrf-hooks.myshopify.com';
  const customer = 9_400_001;

  beforeAll(async () => {
    app = await startTestApp('outbound-ssrf');
    await installShop(app, shop);
    await deliverAndDrain(app, [devstoreOf(app).addCustomer(shop, { id: customer, email: 'ada@example.com' })]);
    // The endpoints API as a production app serves it (behind the session-token check, which sets the shop).
    const productionCtx = { ...app.ctx, config: { ...app.ctx.config, mode: 'production' as const } };
    const routes = express()
      .use((_req, res, next) => {
        Object.assign(res.locals, { shop, staffId: '1' });
        next();
      })
      .use('/api', outboundRouter(productionCtx));
    production = createServer(routes);
    await new Promise<void>((resolve) => production.listen(0, '127.0.0.1', resolve));
    productionUrl = `http://127.0.0.1:${(production.address() as AddressInfo).port}/api/outbound/endpoints`;
  });
  afterAll(async () => {
    await new Promise<void>((resolve) => production.close(() => resolve()));
    await app.close();
  });

  const earnPoints = async () => {
    const devstore = devstoreOf(app);
    const order = devstore.createOrder(shop, { customerId: customer, lines: [{ priceMinor: 2_000 }] });
    await deliverAndDrain(app, devstore.pay(shop, order.id));
  };
  const pass = async (options: Parameters<typeof runOutbound>[2]) => {
    for (;;) if ((await runOutbound(app.ctx, shop, options)) !== null) return;
  };
  const logOf = async (endpointId: string) => {
    const { deliveries } = (await (await api(app, shop, '/outbound/deliveries')).json()) as {
      deliveries: Array<{ target: string; status: string; log: Array<{ status: number | null; error: string | null }> }>;
    };
    return deliveries.filter((delivery) => delivery.target === endpointId).flatMap((delivery) => delivery.log);
  };
  const addEndpoint = async (url: string) => {
    const created = await api(app, shop, '/outbound/endpoints', { method: 'POST', body: { url, events: ['points.earned'] } });
    expect(created.status).toBe(201);
    return ((await created.json()) as { id: string }).id;
  };
  const removeEndpoint = async (id: string) => expect((await api(app, shop, `/outbound/endpoints/${id}`, { method: 'DELETE' })).status).toBe(204);

  it('refuses, when saved in production, every URL that names an internal host, a metadata address or another port', async () => {
    const answers: Array<[string, number]> = [];
    for (const url of INTERNAL_URLS) {
      const response = await fetch(productionUrl, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ url }) });
      answers.push([url, response.status]);
    }
    expect(answers).toEqual(INTERNAL_URLS.map((url) => [url, 422]));
    for (const url of ['https://hooks.example.com/tally', 'https://hooks.example.com:8443/tally', 'https://93.184.216.34/'])
      expect({ url, problem: endpointUrlProblem(url, 'public') }).toEqual({ url, problem: null });
  });

  it('resolves the name as the connection opens and refuses it when any of its addresses is not public', async () => {
    const id = await addEndpoint('https://hooks.mixed.example/tally');
    await earnPoints();
    const asked: string[] = [];
    // One public address and the metadata service: refused before any connection, to either.
    const resolveHost: ResolveHost = async (hostname) => {
      asked.push(hostname);
      return [
        { address: '93.184.216.34', family: 4 },
        { address: '169.254.169.254', family: 4 },
      ];
    };
    await pass({ addressPolicy: 'public', resolveHost });
    expect(await logOf(id)).toEqual([expect.objectContaining({ status: null, error: 'refused: the endpoint does not resolve to a public address' })]);
    // Resolved once, by the connection itself: no earlier check whose answer a second lookup could contradict.
    expect(asked).toEqual(['hooks.mixed.example']);
    await removeEndpoint(id);
  });

  it('connects to the address the lookup returned, so a name is never resolved twice', async () => {
    const target = await receiver();
    const asked: string[] = [];
    const resolveHost: ResolveHost = async (hostname) => {
      asked.push(hostname);
      return [{ address: '127.0.0.1', family: 4 }];
    };
    const id = await addEndpoint(`http://receiver.tally-test:${target.port}/hooks`);
    await earnPoints();
    await pass({ addressPolicy: 'any', resolveHost });
    expect(target.hits).toBe(1);
    expect(asked).toEqual(['receiver.tally-test']);
    expect((await logOf(id)).map((attempt) => attempt.status)).toEqual([200]);
    await removeEndpoint(id);
    await target.close();
  });

  it('refuses at delivery an endpoint saved with an internal address before the check existed', async () => {
    const id = await addEndpoint('https://169.254.169.254/latest/meta-data');
    await earnPoints();
    await pass({ addressPolicy: 'public' });
    expect(await logOf(id)).toEqual([expect.objectContaining({ status: null, error: 'refused: the URL must be a public address' })]);
    await removeEndpoint(id);
  });

  it('never follows a redirect', async () => {
    const inside = await receiver();
    const redirecting = await receiver(302, `http://127.0.0.1:${inside.port}/admin`);
    const id = await addEndpoint(`http://127.0.0.1:${redirecting.port}/hooks`);
    await earnPoints();
    await pass({ addressPolicy: 'any' });
    expect([redirecting.hits, inside.hits]).toEqual([1, 0]);
    expect(await logOf(id)).toEqual([expect.objectContaining({ status: 302, error: 'the endpoint answered 302' })]);
    await removeEndpoint(id);
    await Promise.all([inside.close(), redirecting.close()]);
  });
});

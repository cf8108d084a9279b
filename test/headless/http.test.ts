import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiKeysRouter, headlessRouter } from '../../server/headless/index.js';
import { createApp } from '../../server/platform/http-app.js';
import { apiRouter } from '../../server/shops/index.js';
import { startTestApp, type TestApp } from '../support/app.js';
import { api, deliverAndDrain, devstoreOf, grantPoints, installShop, sessionToken } from '../support/shopify.js';

describe('the headless API: API keys per shop and /v1', () => {
  let app: TestApp;
  let server: Server;
  let url: string;
  const shop = 'headless-a.myshopify.com';
  const otherShop = 'headless-b.myshopify.com';
  const ada = 9_100_001;
  const stranger = 9_100_002;

  beforeAll(async () => {
    app = await startTestApp('headless-http');
    await installShop(app, shop);
    await installShop(app, otherShop);
    await deliverAndDrain(app, [devstoreOf(app).addCustomer(shop, { id: ada }), devstoreOf(app).addCustomer(otherShop, { id: stranger })]);
    await grantPoints(app, shop, ada, 1200);
    await grantPoints(app, otherShop, stranger, 700);
    // As the lead mounts them: keys behind the session token, /v1 on its own.
    server = createServer(createApp(app.ctx, [apiRouter(app.ctx, [apiKeysRouter(app.ctx)], []), headlessRouter(app.ctx, { requestsPerMinute: 50 })]));
    await new Promise<void>((resolve) => server.listen(0, resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    await new Promise<void>((resolve) => server.close(() => resolve()));
    await app.close();
  });

  async function admin(forShop: string, path: string, method = 'GET', body?: unknown): Promise<Response> {
    return fetch(`${url}/api${path}`, {
      method,
      headers: { Authorization: `Bearer ${sessionToken(app, forShop)}`, 'Content-Type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  }
  async function createKey(forShop: string, scopes: string[]): Promise<{ id: string; key: string }> {
    const response = await admin(forShop, '/api-keys', 'POST', { name: 'CRM sync', scopes });
    expect(response.status).toBe(201);
    return (await response.json()) as { id: string; key: string };
  }
  function v1(path: string, key: string | null, init: { method?: string; body?: unknown } = {}): Promise<Response> {
    return fetch(`${url}/v1${path}`, {
      method: init.method ?? 'GET',
      headers: { ...(key ? { Authorization: `Bearer ${key}` } : {}), 'Content-Type': 'application/json' },
      body: init.body === undefined ? undefined : JSON.stringify(init.body),
    });
  }

  it('shows a key once, keeps only a salted hash of it, and never lists the secret', async () => {
    const created = await createKey(shop, ['balances:read']);
    expect(created.key).toMatch(/^tly_[0-9a-f]{18}_[\w-]{43}$/);
    const stored = await app.connection.collection('api_keys').findOne({ _id: created.id as unknown as never });
    const secret = created.key.split('_').slice(2).join('_');
    expect(JSON.stringify(stored)).not.toContain(secret);
    expect(stored).toMatchObject({ shop, scopes: ['balances:read'] });
    const listed = (await (await admin(shop, '/api-keys')).json()) as { keys: Array<Record<string, unknown>> };
    expect(listed.keys.find((key) => key.id === created.id)).toMatchObject({ name: 'CRM sync', prefix: created.key.slice(0, 12) });
    expect(JSON.stringify(listed)).not.toContain(secret);
  });

  it('refuses an unknown scope with a field error', async () => {
    const response = await admin(shop, '/api-keys', 'POST', { name: 'x', scopes: ['everything'] });
    expect(response.status).toBe(422);
  });

  it('answers the balance for a valid key and 401 without one or with a wrong secret', async () => {
    const { key } = await createKey(shop, ['balances:read']);
    const ok = await v1(`/customers/${ada}/balance`, key);
    expect(ok.status).toBe(200);
    expect(await ok.json()).toEqual({ customerId: String(ada), balance: 1200, pending: 0, lifetimeEarned: 0 });
    expect((await v1(`/customers/${ada}/balance`, null)).status).toBe(401);
    const forged = `${key.slice(0, -4)}${key.endsWith('AAAA') ? 'BBBB' : 'AAAA'}`;
    expect((await v1(`/customers/${ada}/balance`, forged)).status).toBe(401);
  });

  it('never crosses shops: a key of one shop does not see a customer of another', async () => {
    const { key } = await createKey(shop, ['balances:read', 'history:read']);
    expect((await v1(`/customers/${stranger}/balance`, key)).status).toBe(404);
    expect((await v1(`/customers/${stranger}/history`, key)).status).toBe(404);
    const { key: otherKey } = await createKey(otherShop, ['balances:read']);
    expect(((await (await v1(`/customers/${stranger}/balance`, otherKey)).json()) as { balance: number }).balance).toBe(700);
  });

  it('answers 403 when the key lacks the scope', async () => {
    const { key } = await createKey(shop, ['balances:read']);
    const response = await v1(`/customers/${ada}/history`, key);
    expect(response.status).toBe(403);
    expect(((await response.json()) as { error: string }).error).toBe('insufficient_scope');
  });

  it('pages the history newest first with a cursor', async () => {
    await grantPoints(app, shop, ada, 10);
    await grantPoints(app, shop, ada, 20);
    const { key } = await createKey(shop, ['history:read']);
    const first = (await (await v1(`/customers/${ada}/history?limit=2`, key)).json()) as {
      entries: Array<{ points: number; seq: number }>;
      nextCursor: string | null;
    };
    expect(first.entries.map((entry) => entry.points)).toEqual([20, 10]);
    expect(first.nextCursor).not.toBeNull();
    const second = (await (await v1(`/customers/${ada}/history?limit=2&cursor=${first.nextCursor}`, key)).json()) as {
      entries: Array<{ points: number }>;
      nextCursor: string | null;
    };
    expect(second.entries.map((entry) => entry.points)).toEqual([1200]);
    expect(second.nextCursor).toBeNull();
  });

  it('redeems through the same rules as every surface, once per request key', async () => {
    const program = (await (await api(app, shop, '/program')).json()) as {
      rewards: Array<{ id: string; pointsCost: number; type: string; enabled?: boolean }>;
    };
    const reward = program.rewards.find((candidate) => candidate.type === 'amount_off' && candidate.enabled !== false)!;
    const { key } = await createKey(shop, ['redemptions:write', 'balances:read']);
    const before = ((await (await v1(`/customers/${ada}/balance`, key)).json()) as { balance: number }).balance;
    const body = { rewardId: reward.id, requestKey: 'headless-0001' };
    const redeemed = await v1(`/customers/${ada}/redemptions`, key, { method: 'POST', body });
    expect(redeemed.status).toBe(201);
    expect(((await redeemed.json()) as { balance: number }).balance).toBe(before - reward.pointsCost);
    const again = await v1(`/customers/${ada}/redemptions`, key, { method: 'POST', body });
    expect(((await again.json()) as { replayed: boolean }).replayed).toBe(true);
    expect(((await (await v1(`/customers/${ada}/balance`, key)).json()) as { balance: number }).balance).toBe(before - reward.pointsCost);
  });

  it('a revoked key stops working at once', async () => {
    const { id, key } = await createKey(shop, ['balances:read']);
    expect((await v1(`/customers/${ada}/balance`, key)).status).toBe(200);
    expect((await admin(shop, `/api-keys/${id}`, 'DELETE')).status).toBe(204);
    expect((await v1(`/customers/${ada}/balance`, key)).status).toBe(401);
    expect((await admin(otherShop, `/api-keys/${id}`, 'DELETE')).status).toBe(404);
  });

  it('rate-limits each key', async () => {
    const limited = createServer(createApp(app.ctx, [headlessRouter(app.ctx, { requestsPerMinute: 3 })]));
    await new Promise<void>((resolve) => limited.listen(0, resolve));
    try {
      const { key } = await createKey(shop, ['balances:read']);
      const target = `http://127.0.0.1:${(limited.address() as AddressInfo).port}/v1/customers/${ada}/balance`;
      const statuses: number[] = [];
      for (let index = 0; index < 4; index++) statuses.push((await fetch(target, { headers: { Authorization: `Bearer ${key}` } })).status);
      expect(statuses).toEqual([200, 200, 200, 429]);
    } finally {
      await new Promise<void>((resolve) => limited.close(() => resolve()));
    }
  });
});

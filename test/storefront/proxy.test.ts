import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signSessionToken } from '../../devstore/session-token.js';
import { appProxySignature, signAppProxyQuery } from '../../server/shopify/app-proxy.js';
import { startTestApp, type TestApp } from '../support/app.js';
import { deliverAndDrain, devstoreOf, grantPoints, installShop, proxy } from '../support/shopify.js';

interface ShopperAnswer {
  customerId: string | null;
  points: { balance: number; pending: number } | null;
  program: { pointsName: string; waysToEarn: Array<{ text: string }>; rewards: Array<{ id: string; pointsCost: number; value: string }> };
  codes: unknown[];
  history: Array<{ type: string; points: number }>;
}

describe('app proxy and extension endpoints: signed requests only, nothing personal leaks', () => {
  let app: TestApp;
  const shop = 'proxy.myshopify.com';
  const customer = 9_200_001;

  beforeAll(async () => {
    app = await startTestApp('proxy', { PROXY_RATE_LIMIT: '1000' });
    await installShop(app, shop);
    await deliverAndDrain(app, [devstoreOf(app).addCustomer(shop, { id: customer, email: 'shopper@example.com' })]);
    await grantPoints(app, shop, customer, 730);
  });
  afterAll(async () => {
    await app.close();
  });

  const now = () => Math.floor(Date.now() / 1000);
  const base = () => ({ shop, logged_in_customer_id: String(customer), path_prefix: '/apps/loyalty', timestamp: String(now()) });

  it('GET /proxy/customer answers the logged-in customer with balance, program and history, never cached', async () => {
    const response = await proxy(app, shop, '/customer', { customerId: customer });
    expect(response.status).toBe(200);
    expect(response.headers.get('cache-control')).toBe('private, no-store');
    const body = (await response.json()) as ShopperAnswer;
    expect(body.customerId).toBe(String(customer));
    expect(body.points).toEqual({ balance: 730, pending: 0, lifetimeEarned: 0, shops: 1 });
    expect(body.history).toEqual([expect.objectContaining({ type: 'adjust', points: 730 })]);
    expect(body.program.waysToEarn[0]!.text).toBe('1 point per $1 spent');
    expect(body.program.rewards.map((reward) => [reward.id, reward.pointsCost, reward.value])).toEqual([
      ['five-off', 500, '$5 off'],
      ['free-shipping', 300, 'Free shipping'],
    ]);
  });

  it('a guest sees the program only, cacheable', async () => {
    const response = await proxy(app, shop, '/customer');
    expect(response.status).toBe(200);
    expect(response.headers.get('cache-control')).toBe('public, max-age=60');
    const body = (await response.json()) as ShopperAnswer;
    expect(body).toMatchObject({ customerId: null, points: null, codes: [], history: [] });
    expect(JSON.stringify(body)).not.toContain('shopper@example.com');
  });

  it('forged, stale, missing and repeated parameters are 401 and reveal nothing', async () => {
    const forged = new URLSearchParams(base());
    forged.set('signature', appProxySignature(forged, 'not-the-secret'));
    const tampered = new URLSearchParams(signAppProxyQuery(base(), app.config.shopifyApiSecret));
    tampered.set('logged_in_customer_id', '9200002');
    const stale = signAppProxyQuery({ ...base(), timestamp: String(now() - 91) }, app.config.shopifyApiSecret);
    const future = signAppProxyQuery({ ...base(), timestamp: String(now() + 91) }, app.config.shopifyApiSecret);
    const { signature: _signature, ...unsigned } = Object.fromEntries(new URLSearchParams(signAppProxyQuery(base(), app.config.shopifyApiSecret)));
    const withoutShop = new URLSearchParams(base());
    withoutShop.delete('shop');
    withoutShop.set('signature', appProxySignature(withoutShop, app.config.shopifyApiSecret));
    const repeated = new URLSearchParams(base());
    repeated.append('logged_in_customer_id', '9200002');
    repeated.set('signature', appProxySignature(repeated, app.config.shopifyApiSecret));
    const injected = `shop[$gt]=&${signAppProxyQuery(base(), app.config.shopifyApiSecret)}`;

    for (const [name, query] of Object.entries({
      forged: forged.toString(),
      tampered: tampered.toString(),
      stale,
      future,
      unsigned: new URLSearchParams(unsigned).toString(),
      withoutShop: withoutShop.toString(),
      repeated: repeated.toString(),
      injected,
      empty: '',
    })) {
      const response = await fetch(`${app.url}/proxy/customer?${query}`);
      expect(response.status, name).toBe(401);
      const text = await response.text();
      expect(text, name).not.toContain('730');
      expect(text, name).not.toContain('shopper@example.com');
    }
  });

  it('extra parameters are covered by the signature, repeated ones joined with commas as Shopify signs them', async () => {
    const query = new URLSearchParams(base());
    query.append('tag', 'a');
    query.append('tag', 'b');
    query.set('signature', appProxySignature(query, app.config.shopifyApiSecret));
    expect((await fetch(`${app.url}/proxy/customer?${query.toString()}`)).status).toBe(200);
    query.set('tag', 'a,b');
    expect((await fetch(`${app.url}/proxy/customer?${query.toString()}`)).status).toBe(200);
    query.set('tag', 'c');
    expect((await fetch(`${app.url}/proxy/customer?${query.toString()}`)).status).toBe(401);
  });

  it('rate-limits one customer per minute', async () => {
    const limited = await startTestApp('proxy-limit', { PROXY_RATE_LIMIT: '3' }, { dbName: app.dbName });
    try {
      const statuses = [];
      for (let i = 0; i < 5; i++) statuses.push((await proxy(limited, shop, '/customer', { customerId: customer })).status);
      expect(statuses).toEqual([200, 200, 200, 429, 429]);
    } finally {
      await limited.close();
    }
  });

  describe('checkout and customer-account extensions, with their session tokens', () => {
    const token = (claims: Record<string, unknown>, secret = app.config.shopifyApiSecret) =>
      signSessionToken({
        shop,
        apiKey: app.config.shopifyApiKey,
        apiSecret: secret,
        claims: { iss: undefined, sid: undefined, dest: shop, ...claims },
      });
    const call = (path: string, bearer: string, init: RequestInit = {}) =>
      fetch(`${app.url}/extensions${path}`, {
        ...init,
        headers: { Authorization: `Bearer ${bearer}`, 'Content-Type': 'application/json', ...init.headers },
      });

    it('a buyer token (sub = customer GID) reads the balance and redeems at checkout', async () => {
      const buyer = token({ sub: `gid://shopify/Customer/${customer}` });
      const view = (await (await call('/customer', buyer)).json()) as ShopperAnswer;
      expect(view.points?.balance).toBe(730);
      const redeemed = await call('/redemptions', buyer, { method: 'POST', body: JSON.stringify({ rewardId: 'free-shipping' }) });
      expect(redeemed.status).toBe(201);
      expect(await redeemed.json()).toMatchObject({ status: 'issued', source: 'checkout', balance: 430 });
    });

    it('a token without a buyer sees the program; it cannot redeem', async () => {
      const anonymous = token({ sub: undefined });
      expect(((await (await call('/customer', anonymous)).json()) as ShopperAnswer).points).toBeNull();
      expect((await call('/redemptions', anonymous, { method: 'POST', body: JSON.stringify({ rewardId: 'free-shipping' }) })).status).toBe(401);
    });

    it('forged, expired, wrong-audience and odd-subject tokens are 401; CORS preflight is answered', async () => {
      const sub = `gid://shopify/Customer/${customer}`;
      for (const [name, bad] of Object.entries({
        forged: token({ sub }, 'wrong-secret'),
        expired: token({ sub, exp: now() - 60, nbf: now() - 120 }),
        audience: token({ sub, aud: 'another-app' }),
        subject: token({ sub: 'gid://shopify/StaffMember/1' }),
        dest: token({ sub, dest: 'evil.example.com' }),
      })) {
        const response = await call('/customer', bad);
        expect(response.status, name).toBe(401);
        expect(await response.text(), name).not.toContain('730');
      }
      const preflight = await fetch(`${app.url}/extensions/redemptions`, {
        method: 'OPTIONS',
        headers: { Origin: 'https://extensions.shopifycdn.com', 'Access-Control-Request-Method': 'POST' },
      });
      expect(preflight.status).toBe(204);
      expect(preflight.headers.get('access-control-allow-headers')).toContain('Authorization');
    });
  });
});

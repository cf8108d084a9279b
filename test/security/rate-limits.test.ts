import type { IncomingMessage } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signSessionToken } from '../../devstore/session-token.js';
import { bootTally } from '../../server/boot.js';
import { loadConfig, type Config } from '../../server/platform/config.js';
import { createLogger } from '../../server/platform/logger.js';
import { clientAddress, rateLimiter } from '../../server/platform/rate-limit.js';
import { signAppProxyQuery } from '../../server/shopify/app-proxy.js';
import { redemptionModel } from '../../server/redemption/store.js';
import { freshDbName, sharedDatabase } from '../support/database.js';
import { startTestApp, type TestApp } from '../support/app.js';
import { api, grantPoints, installShop, proxy } from '../support/shopify.js';

const requestFrom = (socket: string, forwardedFor?: string) =>
  ({ socket: { remoteAddress: socket }, headers: forwardedFor ? { 'x-forwarded-for': forwardedFor } : {} }) as unknown as IncomingMessage;

describe('the limiter and the client address', () => {
  it('is a sliding window: an allowance spent at the end of a minute is not granted again at the start of the next', () => {
    const allow = rateLimiter(3, 60_000);
    const end = 59_900;
    expect([allow('ip', end), allow('ip', end), allow('ip', end)]).toEqual([true, true, true]);
    expect(allow('ip', 60_100)).toBe(false);
    // Half a window later half of the previous minute's requests still count.
    expect([allow('ip', 90_000), allow('ip', 90_000)]).toEqual([true, false]);
    expect(allow('ip', 240_000)).toBe(true);
    expect(allow('other', 60_100)).toBe(true);
  });

  it('believes X-Forwarded-For only as far as the configured hops', () => {
    const forged = requestFrom('10.0.0.1', '6.6.6.6, 203.0.113.9');
    expect(clientAddress(forged, 0)).toBe('10.0.0.1');
    expect(clientAddress(forged, 1)).toBe('203.0.113.9');
    expect(clientAddress(forged, 2)).toBe('6.6.6.6');
    expect(clientAddress(requestFrom('10.0.0.1'), 2)).toBe('10.0.0.1');
  });
});

describe('rotating X-Forwarded-For does not escape the limits', () => {
  let app: TestApp;
  const shop = 'limits.myshopify.com';
  let counter = 0;
  const rotating = () => ({ 'X-Forwarded-For': `198.51.100.${++counter % 250}` });

  beforeAll(async () => {
    app = await startTestApp('rate-limits', { PROXY_RATE_LIMIT: '2' });
    await installShop(app, shop);
  });
  afterAll(async () => {
    await app?.close();
  });

  const checkoutToken = (sub?: string) =>
    signSessionToken({
      shop,
      apiKey: app.config.shopifyApiKey,
      apiSecret: app.config.shopifyApiSecret,
      claims: { iss: undefined, sid: undefined, dest: shop, sub },
    });
  const extension = (token: string, headers: Record<string, string> = {}) =>
    fetch(`${app.url}/extensions/customer`, { headers: { Authorization: `Bearer ${token}`, ...rotating(), ...headers } });

  it("a shop's guests share one allowance on the app proxy (50 x PROXY_RATE_LIMIT a minute)", async () => {
    const guest = () =>
      signAppProxyQuery(
        { shop, logged_in_customer_id: '', path_prefix: '/apps/loyalty', timestamp: String(Math.floor(Date.now() / 1000)) },
        app.config.shopifyApiSecret,
      );
    const statuses: number[] = [];
    for (let i = 0; i < 101; i++) statuses.push((await fetch(`${app.url}/proxy/customer?${guest()}`, { headers: rotating() })).status);
    expect(statuses.slice(0, 100).every((status) => status === 200)).toBe(true);
    expect(statuses.at(-1)).toBe(429);
  });

  it('/extensions limits each buyer, whatever the address', async () => {
    const token = checkoutToken('gid://shopify/Customer/31');
    const statuses = [];
    for (let i = 0; i < 3; i++)
      statuses.push((await fetch(`${app.url}/extensions/customer`, { headers: { Authorization: `Bearer ${token}`, ...rotating() } })).status);
    expect(statuses).toEqual([200, 200, 429]);
  });

  it('/extensions limits each address (the socket peer when no proxy is trusted), forged X-Forwarded-For or not', async () => {
    const statuses = [];
    // Buyers differ so that only the per-address limit (10 x 2 a minute) can refuse; the buyer limit ran above.
    for (let i = 0; i < 21; i++) statuses.push((await extension(checkoutToken(`gid://shopify/Customer/${1000 + i}`))).status);
    expect(statuses.filter((status) => status === 429).length).toBeGreaterThan(0);
    expect(statuses.at(-1)).toBe(429);
  });
});

describe("TRUST_PROXY_HOPS: the address the operator's load balancer saw", () => {
  it('rotating the left part of X-Forwarded-For behind one trusted hop changes nothing', async () => {
    const config: Config & { trustProxyHops: number } = {
      ...loadConfig({ PORT: '0', LOG_LEVEL: 'silent', PROXY_RATE_LIMIT: '1' }),
      trustProxyHops: 1,
    };
    const app = await bootTally({ config, logger: createLogger('silent'), database: sharedDatabase(), dbName: freshDbName('trust-hops') });
    const shop = 'hops.myshopify.com';
    const token = (customer: number) =>
      signSessionToken({
        shop,
        apiKey: config.shopifyApiKey,
        apiSecret: config.shopifyApiSecret,
        claims: { iss: undefined, sid: undefined, dest: shop, sub: `gid://shopify/Customer/${customer}` },
      });
    try {
      const fromBalancer = async (client: string, forged: string) =>
        (
          await fetch(`${app.url}/extensions/redemptions`, {
            method: 'POST',
            headers: {
              Authorization: `Bearer ${token(Math.floor(Math.random() * 1e9))}`,
              'Content-Type': 'application/json',
              'X-Forwarded-For': `${forged}, ${client}`,
            },
            body: '{}',
          })
        ).status;
      const sameClient = [];
      for (let i = 0; i < 11; i++) sameClient.push(await fromBalancer('203.0.113.7', `10.9.8.${i}`));
      expect(sameClient.at(-1)).toBe(429);
      expect(await fromBalancer('203.0.113.8', '10.9.8.1')).not.toBe(429);
    } finally {
      await app.close();
    }
  });
});

describe('refused redemptions leave nothing behind', () => {
  let app: TestApp;
  const shop = 'refusals.myshopify.com';
  beforeAll(async () => {
    app = await startTestApp('refusals', { PROXY_RATE_LIMIT: '1000' });
    await installShop(app, shop);
  });
  afterAll(async () => {
    await app?.close();
  });

  it("409, 422 and 404 store no redemption, and the real one stays in the merchant's history", async () => {
    await grantPoints(app, shop, 77, 350);
    expect((await proxy(app, shop, '/redemptions', { customerId: 77, method: 'POST', body: { rewardId: 'free-shipping' } })).status).toBe(201);
    const refused = [];
    for (let i = 0; i < 20; i++)
      refused.push((await proxy(app, shop, '/redemptions', { customerId: 77, method: 'POST', body: { rewardId: 'five-off' } })).status);
    refused.push((await proxy(app, shop, '/redemptions', { customerId: 77, method: 'POST', body: { rewardId: 'no-such-reward' } })).status);
    refused.push((await proxy(app, shop, '/redemptions', { customerId: 77, method: 'POST', body: { rewardId: 'not a reward id!' } })).status);
    refused.push(
      (await proxy(app, shop, '/redemptions', { customerId: 77, method: 'POST', body: { rewardId: 'five-off', requestKey: 'same-key-twice' } }))
        .status,
    );
    refused.push(
      (await proxy(app, shop, '/redemptions', { customerId: 77, method: 'POST', body: { rewardId: 'five-off', requestKey: 'same-key-twice' } }))
        .status,
    );
    expect(new Set(refused)).toEqual(new Set([409, 404, 422]));
    expect(await redemptionModel(app.connection).countDocuments({ shop, customerId: '77' })).toBe(1);
    const view = (await (await api(app, shop, '/customers/77')).json()) as { redemptions: Array<{ rewardId: string; status: string }> };
    expect(view.redemptions).toEqual([expect.objectContaining({ rewardId: 'free-shipping', status: 'issued' })]);
  });
});

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signSessionToken } from '../../devstore/session-token.js';
import { startTestApp, type TestApp } from '../support/app.js';
import { installShop, sessionToken } from '../support/shopify.js';

describe('session tokens carry exactly what Shopify issues', () => {
  let app: TestApp;
  const shop = 'tokens.myshopify.com';
  beforeAll(async () => {
    app = await startTestApp('session-tokens', { PROXY_RATE_LIMIT: '1000' });
    await installShop(app, shop);
  });
  afterAll(async () => {
    await app?.close();
  });

  const admin = async (token: string) => (await fetch(`${app.url}/api/program`, { headers: { Authorization: `Bearer ${token}` } })).status;
  const checkout = async (token: string) => (await fetch(`${app.url}/extensions/customer`, { headers: { Authorization: `Bearer ${token}` } })).status;
  const checkoutToken = (claims: Record<string, unknown>, ttlSeconds?: number) =>
    signSessionToken({
      shop,
      apiKey: app.config.shopifyApiKey,
      apiSecret: app.config.shopifyApiSecret,
      ttlSeconds,
      claims: { iss: undefined, sid: undefined, dest: shop, sub: 'gid://shopify/Customer/12', ...claims },
    });

  it('an admin token as App Bridge issues it (60 s, iss = dest/admin, numeric sub) is accepted', async () => {
    expect(await admin(sessionToken(app, shop))).toBe(200);
  });

  it('admin tokens valid for too long, without iss, with a foreign iss, a non-numeric sub or no iat are 401', async () => {
    const year = 365 * 86_400;
    const iat = Math.floor(Date.now() / 1000);
    for (const [name, token] of Object.entries({
      validForAYear: sessionToken(app, shop, { ttlSeconds: year }),
      validForTwoMinutes: sessionToken(app, shop, { ttlSeconds: 120 }),
      noIssuer: sessionToken(app, shop, { claims: { iss: undefined } }),
      issuerOfAnotherShop: sessionToken(app, shop, { claims: { iss: 'https://other.myshopify.com/admin' } }),
      issuerNotAdmin: sessionToken(app, shop, { claims: { iss: `https://${shop}` } }),
      subjectNotAUserId: sessionToken(app, shop, { claims: { sub: 'gid://shopify/Customer/1' } }),
      subjectNumber: sessionToken(app, shop, { claims: { sub: 9001 } }),
      noIssuedAt: sessionToken(app, shop, { claims: { iat: undefined } }),
      issuedInTheFuture: sessionToken(app, shop, { claims: { iat: iat + 3600, nbf: iat, exp: iat + 3650 } }),
    })) {
      expect({ name, status: await admin(token) }).toEqual({ name, status: 401 });
    }
  });

  it('checkout and customer-account tokens live up to 5 minutes, as Shopify documents; longer is 401', async () => {
    expect(await checkout(checkoutToken({}, 300))).toBe(200);
    expect(await checkout(checkoutToken({ sub: undefined }, 60))).toBe(200);
    expect(await checkout(checkoutToken({}, 301))).toBe(401);
    expect(await checkout(checkoutToken({}, 365 * 86_400))).toBe(401);
    expect(await checkout(checkoutToken({ iat: undefined }))).toBe(401);
  });
});

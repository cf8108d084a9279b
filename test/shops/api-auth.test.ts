import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { programModel } from '../../server/program/store.js';
import { offlineAccessToken, shopModel } from '../../server/shops/store.js';
import { startTestApp, type TestApp } from '../support/app.js';
import { api, devstoreOf, installShop, sessionToken } from '../support/shopify.js';

describe('admin API session tokens and install', () => {
  let app: TestApp;
  const shopA = 'alpha.myshopify.com';
  const shopB = 'bravo.myshopify.com';
  beforeAll(async () => {
    app = await startTestApp('api-auth');
  });
  afterAll(async () => {
    await app.close();
  });

  async function withToken(token: string, path = '/program'): Promise<Response> {
    return fetch(`${app.url}/api${path}`, { headers: { Authorization: `Bearer ${token}` } });
  }

  it('installs a shop on its first valid token: offline token by token exchange, shop details, default program', async () => {
    devstoreOf(app).ensureShop(shopA, { currency: 'EUR', name: 'Alpha' });
    const response = await api(app, shopA, '/program');
    expect(response.status).toBe(200);
    const program = (await response.json()) as {
      earning: { pointsPerCurrencyUnit: number };
      rewards: Array<{ id: string; type: string; pointsCost: number }>;
      currency: string;
    };
    expect(program.earning.pointsPerCurrencyUnit).toBe(1);
    expect(program.currency).toBe('EUR');
    expect(program.rewards.length).toBeGreaterThan(0);
    expect(program.rewards[0]).toMatchObject({ id: expect.any(String), type: expect.any(String), pointsCost: expect.any(Number) });

    const stored = await shopModel(app.connection).findOne({ shop: shopA }).lean();
    expect(stored).toMatchObject({ status: 'installed', currency: 'EUR', name: 'Alpha' });
    // Stored sealed, never in plain text (issue 14, item 3): it opens to the token the devstore issued.
    expect(stored?.accessToken).toBeUndefined();
    const token = await offlineAccessToken(app.ctx, shopA);
    expect(token).toMatch(/^shpat_/);
    expect(stored?.encryptedAccessToken).not.toContain(token);
    expect(devstoreOf(app).shop(shopA)?.accessTokens.has(token)).toBe(true);
  });

  it('installs once when the first requests of a shop arrive together', async () => {
    devstoreOf(app).ensureShop('charlie.myshopify.com');
    const responses = await Promise.all(Array.from({ length: 5 }, () => api(app, 'charlie.myshopify.com', '/program')));
    expect(responses.map((response) => response.status)).toEqual([200, 200, 200, 200, 200]);
    expect(await shopModel(app.connection).countDocuments({ shop: 'charlie.myshopify.com' })).toBe(1);
    expect(await programModel(app.connection).countDocuments({ shop: 'charlie.myshopify.com' })).toBe(1);
  });

  it('answers 401 without a token, and for forged, expired, not-yet-valid, wrong-audience and wrong-dest tokens', async () => {
    await installShop(app, shopA);
    const now = Date.now();
    const tokens = {
      none: '',
      garbage: 'not.a.jwt',
      forged: sessionToken(app, shopA, { secret: 'someone-elses-secret' }),
      expired: sessionToken(app, shopA, { now: new Date(now - 120_000), ttlSeconds: 60 }),
      notYetValid: sessionToken(app, shopA, { now: new Date(now + 60_000) }),
      wrongAudience: sessionToken(app, shopA, { claims: { aud: 'another-app' } }),
      wrongDest: sessionToken(app, shopA, { claims: { dest: 'https://evil.example.com' } }),
      issuerMismatch: sessionToken(app, shopA, { claims: { iss: `https://${shopB}/admin` } }),
      noExpiry: sessionToken(app, shopA, { claims: { exp: undefined } }),
    };
    for (const [name, token] of Object.entries(tokens)) {
      const response = await withToken(token);
      expect({ name, status: response.status }).toEqual({ name, status: 401 });
    }
  });

  it('accepts a token whose times are within the 10 s skew', async () => {
    await installShop(app, shopA);
    const response = await withToken(sessionToken(app, shopA, { now: new Date(Date.now() + 5_000) }));
    expect(response.status).toBe(200);
  });

  it('never lets a token of shop A read or write shop B', async () => {
    await installShop(app, shopA);
    await installShop(app, shopB);
    const adjust = await api(app, shopB, '/customers/5550001/adjustments', { method: 'POST', body: { points: 40, reason: 'welcome gift' } });
    expect(adjust.status).toBe(201);

    const fromA = await api(app, shopA, '/customers/5550001');
    expect(await fromA.json()).toMatchObject({ points: { balance: 0, pending: 0 }, ledger: [] });
    await api(app, shopA, '/customers/5550001/adjustments', { method: 'POST', body: { points: -5, reason: 'A only' } });
    const fromB = (await (await api(app, shopB, '/customers/5550001')).json()) as { points: { balance: number } };
    expect(fromB.points.balance).toBe(40);
  });

  it('reinstalls after app/uninstalled: tokens removed, data kept, a new token exchanged on the next visit', async () => {
    devstoreOf(app).ensureShop('delta.myshopify.com');
    await installShop(app, 'delta.myshopify.com');
    await api(app, 'delta.myshopify.com', '/customers/42/adjustments', { method: 'POST', body: { points: 7, reason: 'kept' } });
    const events = devstoreOf(app).uninstall('delta.myshopify.com');
    await devstoreOf(app).send(events, { retryDelaysMs: [] });
    await app.worker.drain();
    const uninstalled = await shopModel(app.connection).findOne({ shop: 'delta.myshopify.com' }).lean();
    expect(uninstalled).toMatchObject({ status: 'uninstalled' });
    expect(uninstalled?.encryptedAccessToken).toBeUndefined();

    const back = await api(app, 'delta.myshopify.com', '/customers/42');
    expect(back.status).toBe(200);
    expect(await back.json()).toMatchObject({ points: { balance: 7 } });
    const reinstalled = await shopModel(app.connection).findOne({ shop: 'delta.myshopify.com' }).lean();
    expect(reinstalled).toMatchObject({ status: 'installed' });

    // The same uninstall delivered late (a Shopify retry) must not undo the reinstall.
    await devstoreOf(app).send(
      events.map((event) => ({ ...event, eventId: `${event.eventId}-late` })),
      { retryDelaysMs: [] },
    );
    await app.worker.drain();
    expect(await shopModel(app.connection).findOne({ shop: 'delta.myshopify.com' }).lean()).toMatchObject({ status: 'installed' });
  });
});

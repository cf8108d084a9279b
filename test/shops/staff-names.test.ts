import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { STAFF_REFRESH_MS, staffMemberModel } from '../../server/shops/staff.js';
import { startTestApp, type TestApp } from '../support/app.js';
import { api, devstoreOf, installShop, sessionToken } from '../support/shopify.js';

interface LedgerLine {
  type: string;
  reason: string;
  staffId: string | null;
  staffName: string | null;
}

const DAY_MS = 86_400_000;

describe('staff members named by Shopify’s online token exchange', () => {
  let app: TestApp;
  let now = new Date('2026-11-02T09:00:00Z');
  const shop = 'staff-names.myshopify.com';
  const customer = '9400001';

  beforeAll(async () => {
    app = await startTestApp('staff-names', {}, { clock: () => now });
    await installShop(app, shop);
  });
  afterAll(async () => {
    await app?.close();
  });

  const onlineTokens = () => [...devstoreOf(app).shop(shop)!.accessTokens.values()].filter((kind) => kind.startsWith('online:')).length;
  const adjust = (points: number, reason: string, userId?: string) =>
    api(app, shop, `/customers/${customer}/adjustments`, { method: 'POST', body: { points, reason }, userId });
  const ledger = async () => ((await (await api(app, shop, `/customers/${customer}`)).json()) as { ledger: LedgerLine[] }).ledger;

  it('the devstore answers an online token request with the staff member as associated_user', async () => {
    const response = await fetch(`${app.url}/devstore/shops/${shop}/admin/oauth/access_token`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({
        client_id: app.config.shopifyApiKey,
        client_secret: app.config.shopifyApiSecret,
        grant_type: 'urn:ietf:params:oauth:grant-type:token-exchange',
        subject_token: sessionToken(app, shop, { userId: '1' }),
        subject_token_type: 'urn:ietf:params:oauth:token-type:id_token',
        requested_token_type: 'urn:shopify:params:oauth:token-type:online-access-token',
      }),
    });
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({
      access_token: expect.any(String),
      expires_in: expect.any(Number),
      associated_user_scope: expect.any(String),
      associated_user: { id: 1, first_name: 'Morgan', last_name: 'Reyes', account_owner: true, email: expect.any(String) },
    });
  });

  it('an adjustment is shown with the name of the staff member who made it, asked of Shopify once', async () => {
    const before = onlineTokens();
    const first = await adjust(100, 'Welcome gift');
    expect(first.status).toBe(201);
    expect(await first.json()).toMatchObject({ staffId: '9001', staffName: 'Sam Okafor' });
    expect((await adjust(-20, 'Typo in the first grant')).status).toBe(201);
    expect(onlineTokens() - before).toBe(1);
    expect((await ledger()).slice(0, 2)).toEqual([
      expect.objectContaining({ type: 'adjust', reason: 'Typo in the first grant', staffId: '9001', staffName: 'Sam Okafor' }),
      expect.objectContaining({ type: 'adjust', reason: 'Welcome gift', staffId: '9001', staffName: 'Sam Okafor' }),
    ]);
    expect(await staffMemberModel(app.connection).countDocuments({ shop })).toBe(1);
  });

  it('a name changed in Shopify is picked up once the stored one is older than the refresh period', async () => {
    devstoreOf(app).shop(shop)!.staff!.get('9001')!.lastName = 'Okafor-Reyes';
    await adjust(5, 'Still within the week');
    expect((await ledger())[0]?.staffName).toBe('Sam Okafor');
    const before = onlineTokens();
    now = new Date(now.getTime() + STAFF_REFRESH_MS + DAY_MS);
    await adjust(5, 'A week later');
    expect(onlineTokens() - before).toBe(1);
    expect((await ledger()).slice(0, 2).map((line) => line.staffName)).toEqual(['Sam Okafor-Reyes', 'Sam Okafor-Reyes']);
  });

  it('when Shopify cannot name the staff member, the adjustment still lands and carries only the id', async () => {
    const response = await adjust(7, 'From a session Shopify does not know', '4242');
    expect(response.status).toBe(201);
    expect(await response.json()).toMatchObject({ staffId: '4242', staffName: null });
    expect((await ledger())[0]).toMatchObject({ reason: 'From a session Shopify does not know', staffId: '4242', staffName: null });
  });
});

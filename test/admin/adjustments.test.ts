import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ledgerEntryModel } from '../../server/ledger/store.js';
import { startTestApp, type TestApp } from '../support/app.js';
import { installShop, sessionToken } from '../support/shopify.js';

describe('staff adjustments without a request key', () => {
  let app: TestApp;
  const shop = 'adjust-keys.myshopify.com';
  beforeAll(async () => {
    app = await startTestApp('adjust-keys');
    await installShop(app, shop);
  });
  afterAll(async () => {
    await app.close();
  });

  async function adjust(token: string, body: { points: number; reason: string }): Promise<{ status: number; balance: number }> {
    const response = await fetch(`${app.url}/api/customers/6100001/adjustments`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' },
      body: JSON.stringify(body),
    });
    return { status: response.status, balance: ((await response.json()) as { balance: number }).balance };
  }

  it('credits a request sent twice once, and a new request (another session token) again', async () => {
    const token = sessionToken(app, shop);
    expect(await adjust(token, { points: 40, reason: 'goodwill' })).toEqual({ status: 201, balance: 40 });
    expect(await adjust(token, { points: 40, reason: 'goodwill' })).toEqual({ status: 201, balance: 40 });
    expect(await adjust(sessionToken(app, shop), { points: 40, reason: 'goodwill' })).toEqual({ status: 201, balance: 80 });
    expect(await adjust(token, { points: 5, reason: 'goodwill' })).toEqual({ status: 201, balance: 85 });
    const keys = (await ledgerEntryModel(app.connection).find({ shop, customerId: '6100001' }).lean()).map((entry) => entry.key);
    expect(keys).toHaveLength(3);
    expect(keys.every((key) => /^adjust:6100001:session-[\w-]{22}$/.test(key))).toBe(true);
  });
});

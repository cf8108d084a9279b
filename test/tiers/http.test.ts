import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../server/platform/http-app.js';
import { ledgerEntryModel } from '../../server/ledger/store.js';
import { loadProgram, type Program } from '../../server/program/index.js';
import { apiRouter } from '../../server/shops/index.js';
import {
  evaluateCustomer,
  recordQualifyingOrder,
  recordQualifyingReversal,
  revisitTiers,
  tierEntryKey,
  tiersRouter,
  type Tier,
  type TierPreview,
} from '../../server/tiers/index.js';
import { startTestApp, type TestApp } from '../support/app.js';
import { api, deliverAndDrain, devstoreOf, installShop, proxy, sessionToken } from '../support/shopify.js';

const perks = { rewardDiscountPercent: 0, freeShipping: false, birthdayBonus: 0 };
const tiers: Tier[] = [
  { id: 'bronze', name: 'Bronze', threshold: 0, earnMultiplier: 1, entryReward: 0, perks },
  { id: 'silver', name: 'Silver', threshold: 10_000, earnMultiplier: 1.25, entryReward: 0, perks },
  { id: 'gold', name: 'Gold', threshold: 50_000, earnMultiplier: 1.5, entryReward: 250, perks },
];

interface TierAnswer {
  tier: { id: string; name: string } | null;
  nextTier: { id: string; name: string; remaining: number } | null;
  membership: { active: boolean; until: string | null };
  tierProgress: { value: number; nextText: string | null; keep: { name: string; remainingText: string; by: string } | null } | null;
  points: { balance: number } | null;
}

describe('tiers over HTTP: the shopper view and the admin preview', () => {
  let app: TestApp;
  let tiersApi: Server;
  let tiersUrl: string;
  const shop = 'tiers-http.myshopify.com';
  const silver = 9_300_001;
  const gold = 9_300_002;
  const newcomer = 9_300_003;
  const member = 9_300_004;
  const day = (offset: number) => new Date(Date.now() + offset * 86_400_000);

  beforeAll(async () => {
    app = await startTestApp('tiers-http', { PROXY_RATE_LIMIT: '1000' });
    await installShop(app, shop);
    await deliverAndDrain(
      app,
      [silver, gold, newcomer, member].map((id) => devstoreOf(app).addCustomer(shop, { id })),
    );
    // The tiers router as the lead wires it into boot.ts: behind the admin API's session-token check.
    const server = createServer(createApp(app.ctx, [apiRouter(app.ctx, [tiersRouter(app.ctx)], [])]));
    await new Promise<void>((resolve) => server.listen(0, resolve));
    tiersApi = server;
    tiersUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    await new Promise<void>((resolve) => tiersApi.close(() => resolve()));
    await app.close();
  });

  async function saveTiers(change: Partial<Program>): Promise<Program> {
    const current = (await (await api(app, shop, '/program')).json()) as Program;
    const response = await api(app, shop, '/program', { method: 'PUT', body: { ...current, ...change } });
    expect(response.status).toBe(200);
    return (await response.json()) as Program;
  }

  async function customerView(customerId: number | null): Promise<TierAnswer> {
    const response = await proxy(app, shop, '/customer', { customerId });
    expect(response.status).toBe(200);
    return (await response.json()) as TierAnswer;
  }

  it('a program without tiers shows no tier and no membership', async () => {
    const view = await customerView(silver);
    expect(view).toMatchObject({ tier: null, nextTier: null, membership: { active: false, until: null }, tierProgress: null });
  });

  it('GET /proxy/customer shows the tier, what is left to the next one and what keeps it', async () => {
    const program = await saveTiers({ tiers, tierRules: { metric: 'spend', period: 'rolling_12_months', downgrade: 'immediate', graceDays: 0 } });
    const paidAt = day(-30);
    await recordQualifyingOrder(app.ctx, {
      shop,
      customerId: String(silver),
      orderId: '501',
      points: 120,
      spend: 12_000,
      lineVariantIds: [],
      paidAt,
      program,
    });
    // The order leaves the 12-month window a year after it was paid; the day before is the last to spend on.
    const lastDay = new Date(
      Date.UTC(
        paidAt.getUTCFullYear() + 1,
        paidAt.getUTCMonth(),
        paidAt.getUTCDate(),
        paidAt.getUTCHours(),
        paidAt.getUTCMinutes(),
        paidAt.getUTCSeconds(),
        paidAt.getUTCMilliseconds(),
      ) - 1,
    );
    await recordQualifyingOrder(app.ctx, {
      shop,
      customerId: String(gold),
      orderId: '502',
      points: 600,
      spend: 60_000,
      lineVariantIds: [],
      paidAt: day(-2),
      program,
    });

    const view = await customerView(silver);
    expect(view.tier).toEqual({ id: 'silver', name: 'Silver' });
    expect(view.nextTier).toEqual({ id: 'gold', name: 'Gold', remaining: 38_000 });
    expect(view.membership).toEqual({ active: false, until: null });
    expect(view.tierProgress?.nextText).toBe('$380');
    expect(view.tierProgress?.keep).toMatchObject({ name: 'Silver', remainingText: '$100', by: lastDay.toISOString().slice(0, 10) });

    expect((await customerView(gold)).tier).toEqual({ id: 'gold', name: 'Gold' });
    expect((await customerView(gold)).nextTier).toBeNull();
    const fresh = await customerView(newcomer);
    expect(fresh.tier).toEqual({ id: 'bronze', name: 'Bronze' });
    expect(fresh.nextTier).toEqual({ id: 'silver', name: 'Silver', remaining: 10_000 });
  });

  it('reaching a tier with an entry reward credits it once, in the customer ledger', async () => {
    const entries = await ledgerEntryModel(app.connection)
      .find({ shop, customerId: String(gold), key: tierEntryKey(String(gold), 'gold') })
      .lean();
    expect(entries.map((entry) => [entry.type, entry.available])).toEqual([['bonus', 250]]);
    await evaluateCustomer(app.ctx, (await loadProgram(app.connection, shop))!, shop, String(gold), new Date(), 'again');
    expect(await ledgerEntryModel(app.connection).countDocuments({ shop, key: tierEntryKey(String(gold), 'gold') })).toBe(1);
  });

  it('a refund below the threshold moves the customer down in the shopper view (immediate policy)', async () => {
    await recordQualifyingReversal(app.ctx, {
      shop,
      customerId: String(silver),
      orderId: '501',
      reversalKey: 'reverse:refund:9001',
      points: 30,
      spend: 3_000,
      orders: 0,
      lineVariantIds: [],
      reversedAt: day(-1),
    });
    expect((await customerView(silver)).tier).toEqual({ id: 'bronze', name: 'Bronze' });
  });

  it('membership bought with the chosen variant shows as active until its end', async () => {
    const program = await saveTiers({ membership: { enabled: true, variantId: '777', days: 30, earnMultiplier: 2, combine: 'highest', perks } });
    const paidAt = day(-5);
    await recordQualifyingOrder(app.ctx, {
      shop,
      customerId: String(member),
      orderId: '601',
      points: 10,
      spend: 1_000,
      lineVariantIds: ['777'],
      paidAt,
      program,
    });
    const view = await customerView(member);
    expect(view.membership).toEqual({ active: true, until: new Date(paidAt.getTime() + 30 * 86_400_000).toISOString() });
    await recordQualifyingReversal(app.ctx, {
      shop,
      customerId: String(member),
      orderId: '601',
      reversalKey: 'reverse:refund:9002',
      points: 10,
      spend: 1_000,
      orders: 0,
      lineVariantIds: ['777'],
      reversedAt: day(-1),
      program,
    });
    expect((await customerView(member)).membership).toEqual({ active: false, until: null });
  });

  it('a guest sees no tier of their own', async () => {
    const view = await customerView(null);
    expect(view).toMatchObject({ tier: null, nextTier: null, membership: { active: false, until: null } });
  });

  it('the tiers job re-evaluates after a program change and leaves a synced-or-pending state', async () => {
    const synced: string[] = [];
    const result = await revisitTiers(app.ctx, shop, new Date(), async (_ctx, state) => {
      synced.push(`${state.customerId}:${state.tierId}`);
      return true;
    });
    expect(result.evaluated).toBeGreaterThan(0);
    expect(synced).toEqual(expect.arrayContaining([`${silver}:bronze`, `${gold}:gold`]));
  });

  async function preview(body: unknown, userToken = sessionToken(app, shop)): Promise<Response> {
    return fetch(`${tiersUrl}/api/tiers/preview`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${userToken}`, 'Content-Type': 'application/json' },
      body: JSON.stringify(body),
    });
  }

  it('the preview counts current customers per tier of a draft and how many the change would move', async () => {
    const draft = {
      tiers: [tiers[0], { ...tiers[1]!, threshold: 5_000 }, { ...tiers[2]!, threshold: 70_000 }],
      tierRules: { metric: 'spend', period: 'rolling_12_months', downgrade: 'immediate', graceDays: 0 },
    };
    const response = await preview(draft);
    expect(response.status).toBe(200);
    const body = (await response.json()) as TierPreview;
    expect(body.customers).toBe(4);
    // silver (9,000 after the refund) rises to Silver; gold (60,000) falls to Silver; the rest stay Bronze.
    expect(body.tiers.map((tier) => [tier.id, tier.customers])).toEqual([
      ['bronze', 2],
      ['silver', 2],
      ['gold', 0],
    ]);
    expect(body.moved).toEqual({ total: 2, up: 1, down: 1 });

    const viaGet = await fetch(`${tiersUrl}/api/tiers/preview?draft=${encodeURIComponent(JSON.stringify(draft))}`, {
      headers: { Authorization: `Bearer ${sessionToken(app, shop)}` },
    });
    expect(await viaGet.json()).toEqual(body);
  });

  it('the preview refuses an invalid draft per field and a request without a session token', async () => {
    const invalid = await preview({ tiers: [{ ...tiers[1] }], tierRules: { metric: 'visits', period: 'lifetime', downgrade: 'immediate' } });
    expect(invalid.status).toBe(422);
    expect(Object.keys(((await invalid.json()) as { errors: Record<string, string> }).errors).sort()).toEqual(['tierRules.metric', 'tiers']);
    const anonymous = await fetch(`${tiersUrl}/api/tiers/preview`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: '{}' });
    expect(anonymous.status).toBe(401);
  });
});

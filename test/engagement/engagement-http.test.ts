import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { completeTransfers, reviewSigningSecret, signReview, transferPoints } from '../../server/engagement/index.js';
import { loadProgram, type Program } from '../../server/program/index.js';
import type { TestApp } from '../support/app.js';
import { api, deliverAndDrain, devstoreOf, grantPoints, installShop, proxy } from '../support/shopify.js';
import { startEngagementApp } from './harness.js';

interface LedgerView {
  points: { balance: number };
  ledger: Array<{ key?: string; type: string; points?: number; available?: number; reason: string }>;
}

describe('engagement at the app proxy: transfers, actions, NPS, donations (signed requests, real database)', () => {
  let app: TestApp;
  let booted: TestApp;
  let close: () => Promise<void>;
  const shop = 'engage.myshopify.com';
  const [alice, bob, carol] = [7_100_001, 7_100_002, 7_100_003];

  const balance = async (customer: number) => ((await (await api(booted, shop, `/customers/${customer}`)).json()) as LedgerView).points.balance;
  const post = (customer: number | null, path: string, body: unknown) => proxy(app, shop, path, { customerId: customer, method: 'POST', body });
  const program = async (): Promise<Program> => {
    const found = await loadProgram(app.ctx.connection, shop);
    if (!found) throw new Error('no program');
    return found;
  };
  const saveProgram = async (change: (program: Program) => Program) => {
    const current = (await (await api(booted, shop, '/program')).json()) as Program;
    const response = await api(booted, shop, '/program', { method: 'PUT', body: change(current) });
    expect(response.status, await response.clone().text()).toBe(200);
  };

  beforeAll(async () => {
    ({ app, booted, close } = await startEngagementApp('engagement-http'));
    await installShop(booted, shop);
    const devstore = devstoreOf(booted);
    await deliverAndDrain(
      booted,
      [alice, bob, carol].map((id) => devstore.addCustomer(shop, { id, email: `c${id}@example.com` })),
    );
    await grantPoints(booted, shop, alice, 1000);
  });
  afterAll(async () => {
    await close();
  });

  describe('transfers', () => {
    it('20 concurrent identical requests move the points exactly once, and both histories show it', async () => {
      const [aliceBefore, bobBefore] = [await balance(alice), await balance(bob)];
      const request = { toCustomerId: String(bob), points: 150, requestKey: 'gift-bob-0001' };
      const responses = await Promise.all(Array.from({ length: 20 }, () => post(alice, '/transfers', request)));
      expect(responses.map((response) => response.status)).toEqual(Array(20).fill(201));
      const bodies = (await Promise.all(responses.map((response) => response.json()))) as Array<{ points: number; replayed: boolean }>;
      expect(bodies.filter((body) => !body.replayed)).toHaveLength(1);
      expect(await balance(alice)).toBe(aliceBefore - 150);
      expect(await balance(bob)).toBe(bobBefore + 150);
      const aliceLedger = (await (await api(booted, shop, `/customers/${alice}`)).json()) as LedgerView;
      const bobLedger = (await (await api(booted, shop, `/customers/${bob}`)).json()) as LedgerView;
      expect(JSON.stringify(aliceLedger.ledger)).toContain(`points sent to customer ${bob}`);
      expect(JSON.stringify(bobLedger.ledger)).toContain(`points from customer ${alice}`);
    });

    it('refuses a balance too low with 409, a transfer to oneself or a stranger with 422, a guest with 401', async () => {
      const before = await balance(carol);
      expect((await post(carol, '/transfers', { toCustomerId: String(alice), points: 5, requestKey: 'carol-broke-01' })).status).toBe(409);
      expect((await post(alice, '/transfers', { toCustomerId: String(alice), points: 5, requestKey: 'self-gift-0001' })).status).toBe(422);
      expect((await post(alice, '/transfers', { toCustomerId: '7100999', points: 5, requestKey: 'stranger-0001' })).status).toBe(422);
      expect((await post(null, '/transfers', { toCustomerId: String(bob), points: 5, requestKey: 'guest-gift-01' })).status).toBe(401);
      expect(await balance(carol)).toBe(before);
    });

    it('a request key reused for another amount is refused and moves nothing', async () => {
      expect((await post(alice, '/transfers', { toCustomerId: String(carol), points: 10, requestKey: 'reuse-key-001' })).status).toBe(201);
      const [aliceBefore, carolBefore] = [await balance(alice), await balance(carol)];
      const reused = await post(alice, '/transfers', { toCustomerId: String(carol), points: 11, requestKey: 'reuse-key-001' });
      expect(reused.status).toBe(422);
      expect([await balance(alice), await balance(carol)]).toEqual([aliceBefore, carolBefore]);
    });

    it('enforces the merchant limits per transfer and per month', async () => {
      await saveProgram((current) => ({ ...current, transfers: { enabled: true, minPoints: 5, maxPerTransfer: 100, maxPerMonth: 300 } }));
      expect((await post(alice, '/transfers', { toCustomerId: String(carol), points: 4, requestKey: 'limit-min-001' })).status).toBe(422);
      expect((await post(alice, '/transfers', { toCustomerId: String(carol), points: 101, requestKey: 'limit-max-001' })).status).toBe(422);
      // 160 already sent this month (150 + 10): 100 more fits, the next 100 does not.
      expect((await post(alice, '/transfers', { toCustomerId: String(carol), points: 100, requestKey: 'limit-month-01' })).status).toBe(201);
      const over = await post(alice, '/transfers', { toCustomerId: String(carol), points: 100, requestKey: 'limit-month-02' });
      expect(over.status).toBe(409);
      expect(((await over.json()) as { error: string }).error).toBe('monthly_limit');
      await saveProgram((current) => ({ ...current, transfers: { enabled: true, minPoints: 1, maxPerTransfer: 10_000, maxPerMonth: 50_000 } }));
    });

    it('a crash between debit and credit is completed by the same request again: never a credit without a debit, never two', async () => {
      const [aliceBefore, bobBefore] = [await balance(alice), await balance(bob)];
      const request = { shop, fromCustomerId: String(alice), toCustomerId: String(bob), points: 40, requestKey: 'crash-retry-01' };
      const crash = new Error('process died after the debit');
      await expect(transferPoints(app.ctx, await program(), request, new Date(), { afterDebit: () => Promise.reject(crash) })).rejects.toBe(crash);
      expect([await balance(alice), await balance(bob)]).toEqual([aliceBefore - 40, bobBefore]);
      const retries = await Promise.all(
        Array.from({ length: 5 }, () => post(alice, '/transfers', { toCustomerId: String(bob), points: 40, requestKey: 'crash-retry-01' })),
      );
      expect(retries.map((response) => response.status)).toEqual(Array(5).fill(201));
      expect([await balance(alice), await balance(bob)]).toEqual([aliceBefore - 40, bobBefore + 40]);
    });

    it('a crash never retried by the shopper is completed by the reconciliation job, once', async () => {
      const [aliceBefore, bobBefore] = [await balance(alice), await balance(bob)];
      const crashedAt = new Date();
      const request = { shop, fromCustomerId: String(alice), toCustomerId: String(bob), points: 25, requestKey: 'crash-job-001' };
      await expect(
        transferPoints(app.ctx, await program(), request, crashedAt, { afterDebit: () => Promise.reject(new Error('crash')) }),
      ).rejects.toThrow('crash');
      const later = new Date(crashedAt.getTime() + 5 * 60_000);
      const runs = await Promise.all([
        completeTransfers(app.ctx, shop, later),
        completeTransfers(app.ctx, shop, later),
        completeTransfers(app.ctx, shop, later),
      ]);
      expect(runs.reduce((sum, count) => sum + count, 0)).toBeGreaterThanOrEqual(1);
      expect([await balance(alice), await balance(bob)]).toEqual([aliceBefore - 25, bobBefore + 25]);
      expect(await completeTransfers(app.ctx, shop, later)).toBe(0);
      expect([await balance(alice), await balance(bob)]).toEqual([aliceBefore - 25, bobBefore + 25]);
    });
  });

  describe('actions', () => {
    it('newsletter and a social follow are rewarded once each: 201 with the points, then 409', async () => {
      const before = await balance(carol);
      const first = await post(carol, '/actions', { type: 'newsletter' });
      expect(first.status).toBe(201);
      expect(await first.json()).toMatchObject({ type: 'newsletter', points: 50 });
      expect((await post(carol, '/actions', { type: 'newsletter' })).status).toBe(409);
      expect((await post(carol, '/actions', { type: 'social_follow', network: 'instagram' })).status).toBe(201);
      expect((await post(carol, '/actions', { type: 'social_follow', network: 'instagram' })).status).toBe(409);
      expect((await post(carol, '/actions', { type: 'social_follow', network: 'myspace' })).status).toBe(422);
      expect(await balance(carol)).toBe(before + 50 + 25);
    });

    it('a birthday in this month is credited once; it cannot be changed after', async () => {
      const thisMonth = new Date().toISOString().slice(5, 7);
      const before = await balance(bob);
      const first = await post(bob, '/actions', { type: 'birthday', birthday: `1990-${thisMonth}-01` });
      expect(first.status).toBe(201);
      expect(await first.json()).toMatchObject({ points: 100 });
      expect((await post(bob, '/actions', { type: 'birthday', birthday: `${thisMonth}-01` })).status).toBe(409);
      const other = thisMonth === '01' ? '02' : '01';
      expect(((await (await post(bob, '/actions', { type: 'birthday', birthday: `${other}-05` })).json()) as { error: string }).error).toBe(
        'birthday_already_set',
      );
      expect((await post(alice, '/actions', { type: 'birthday', birthday: '02-30' })).status).toBe(422);
      expect(await balance(bob)).toBe(before + 100);
    });

    it('a review is not claimable by the shopper; the signed review endpoint credits it once per review id', async () => {
      expect((await post(carol, '/actions', { type: 'review' })).status).toBe(403);
      const before = await balance(carol);
      const body = JSON.stringify({ shop, customerId: String(carol), reviewId: 'rev-42' });
      const secret = reviewSigningSecret(app.config.shopifyApiSecret, shop);
      const send = (signature: string) =>
        fetch(`${app.url}/engagement/reviews`, {
          method: 'POST',
          headers: { 'Content-Type': 'application/json', 'X-Tally-Hmac-Sha256': signature },
          body,
        });
      expect((await send(signReview('wrong-secret', body))).status).toBe(401);
      expect((await send(createHash('sha256').update(body).digest('base64'))).status).toBe(401);
      expect((await send(signReview(secret, body))).status).toBe(201);
      expect((await send(signReview(secret, body))).status).toBe(200);
      expect(await balance(carol)).toBe(before + 50);
    });

    it('the admin sees the review secret masked; a new one is shown once and the old one stops working', async () => {
      const old = reviewSigningSecret(app.config.shopifyApiSecret, shop);
      const shown = (await (await api(app, shop, '/engagement/review-endpoint')).json()) as Record<string, unknown>;
      expect(shown).toMatchObject({ header: 'X-Tally-Hmac-Sha256', secretHint: `••••••••${old.slice(-4)}`, rotatedAt: null });
      expect(JSON.stringify(shown)).not.toContain(old);
      const rotated = await api(app, shop, '/engagement/review-endpoint/rotate', { method: 'POST' });
      expect(rotated.status).toBe(201);
      const { secret } = (await rotated.json()) as { secret: string };
      expect(secret).not.toBe(old);
      expect(JSON.stringify(await (await api(app, shop, '/engagement/review-endpoint')).json())).not.toContain(secret);
      const body = JSON.stringify({ shop, customerId: String(carol), reviewId: 'rev-43' });
      const send = (key: string) =>
        fetch(`${app.url}/engagement/reviews`, {
          method: 'POST',
          headers: { 'Content-Type': 'application/json', 'X-Tally-Hmac-Sha256': signReview(key, body) },
          body,
        });
      expect((await send(old)).status).toBe(401);
      expect((await send(secret)).status).toBe(201);
    });
  });

  describe('NPS survey', () => {
    it('pays once per period, refuses a second answer, and the admin sees the score, counts and comments', async () => {
      const answers: Array<[number, number]> = [
        [alice, 10],
        [bob, 9],
        [carol, 3],
      ];
      for (const [customer, score] of answers) {
        const response = await post(customer, '/surveys/nps', { score, comment: `I rate ${score}` });
        expect(response.status).toBe(201);
        expect(await response.json()).toMatchObject({ points: 25 });
      }
      expect((await post(alice, '/surveys/nps', { score: 0 })).status).toBe(409);
      expect((await post(alice, '/surveys/nps', { score: 11 })).status).toBe(422);
      const report = (await (await api(app, shop, '/nps')).json()) as {
        score: number;
        responses: number;
        promoters: number;
        passives: number;
        detractors: number;
        trend: unknown[];
        comments: Array<{ comment: string }>;
      };
      expect(report).toMatchObject({ score: 33, responses: 3, promoters: 2, passives: 0, detractors: 1 });
      expect(report.trend).toHaveLength(1);
      expect(report.comments.map((comment) => comment.comment).sort()).toEqual(['I rate 10', 'I rate 3', 'I rate 9']);
    });
  });

  describe('donations', () => {
    it('gives points to a cause once per request key, 409 when too few, and the admin totals points and money (CSV too)', async () => {
      await saveProgram((current) => ({
        ...current,
        causes: [{ id: 'trees', name: 'Plant trees', description: 'One tree per 1,000 points', enabled: true, moneyPer1000Points: 250 }],
      }));
      await grantPoints(booted, shop, carol, 2000);
      const before = await balance(carol);
      const request = { causeId: 'trees', points: 1500, requestKey: 'donate-trees-1' };
      const responses = await Promise.all(Array.from({ length: 5 }, () => post(carol, '/donations', request)));
      expect(responses.map((response) => response.status)).toEqual(Array(5).fill(201));
      expect(await balance(carol)).toBe(before - 1500);
      expect((await post(carol, '/donations', { causeId: 'trees', points: before, requestKey: 'donate-trees-2' })).status).toBe(409);
      expect((await post(carol, '/donations', { causeId: 'whales', points: 1, requestKey: 'donate-whale-1' })).status).toBe(422);
      const causes = (await (await api(app, shop, '/causes')).json()) as {
        causes: Array<{ id: string; points: number; money: number; donations: number }>;
      };
      expect(causes.causes).toEqual([expect.objectContaining({ id: 'trees', points: 1500, money: 375, donations: 1 })]);
      const csv = await (await api(app, shop, '/causes?format=csv')).text();
      expect(csv.split('\r\n')[1]).toBe('trees,Plant trees,true,1,1500,375,USD');
    });
  });

  it('GET /proxy/engagement shows badges, actions, the survey state, causes and transfer limits; unsigned is 401', async () => {
    const view = (await (await proxy(app, shop, '/engagement', { customerId: carol })).json()) as {
      badges: Array<{ id: string }>;
      nps: { due: boolean };
      causes: Array<{ id: string }>;
    };
    expect(view.badges.map((badge) => badge.id)).toEqual(['first-order', 'five-orders', 'reviewer', 'ambassador']);
    expect(view.badges).toContainEqual(expect.objectContaining({ id: 'reviewer', earned: true }));
    expect(view.nps.due).toBe(false);
    expect(view.causes.map((cause) => cause.id)).toEqual(['trees']);
    expect((await fetch(`${app.url}/proxy/engagement?shop=${shop}&logged_in_customer_id=${carol}`)).status).toBe(401);
    expect((await fetch(`${app.url}/proxy/transfers?shop=${shop}&logged_in_customer_id=${carol}`, { method: 'POST' })).status).toBe(401);
  });
});

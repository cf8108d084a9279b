import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { issueOffers, lapsedMembers, openOffers, rewardAction, useOffers } from '../../server/engagement/index.js';
import { applyEntry, balanceOf, ledgerKeys } from '../../server/ledger/index.js';
import { loadProgram } from '../../server/program/index.js';
import type { TestApp } from '../support/app.js';
import { api, installShop, proxy } from '../support/shopify.js';
import { saveOfferSettings, startEngagementApp } from './harness.js';

const DAY = 86_400_000;

describe('personalised offers: win-back and birthday month, issued once, paid once on the next order (real database)', () => {
  let app: TestApp;
  let booted: TestApp;
  let close: () => Promise<void>;
  const shop = 'offers.myshopify.com';
  const [lapsed, recent, birthdayGirl] = ['7300001', '7300002', '7300003'];
  // The launcher view reads the app's own clock, so the offers are issued against it.
  const now = new Date();
  const month = now.toISOString().slice(5, 7);
  const year = String(now.getUTCFullYear());
  const points = async (customerId: string) => (await balanceOf(app.ctx.connection, shop, customerId)).available;
  const earn = (customerId: string, orderId: string, at: Date) =>
    applyEntry(
      app.ctx.connection,
      {
        shop,
        customerId,
        key: ledgerKeys.orderEarned(orderId),
        type: 'earn',
        available: 10,
        pending: 0,
        reason: 'order',
        source: 'test',
        guard: 'none',
        orderId,
      },
      at,
    );

  beforeAll(async () => {
    ({ app, booted, close } = await startEngagementApp('engagement-offers'));
    await installShop(booted, shop);
    await saveOfferSettings(app, shop, { winBack: { enabled: true, title: 'We miss you', afterDays: 60, points: 200, validDays: 30 } });
    await earn(lapsed, '9001', new Date(now.getTime() - 200 * DAY));
    await earn(lapsed, '9002', new Date(now.getTime() - 90 * DAY));
    await earn(recent, '9003', new Date(now.getTime() - 10 * DAY));
    const program = (await loadProgram(app.ctx.connection, shop))!;
    await rewardAction(app.ctx, program, shop, birthdayGirl, { type: 'birthday', birthday: `${month}-02` }, new Date(now.getTime() - 45 * DAY));
  });
  afterAll(async () => {
    await close();
  });

  it('finds the members whose last order is older than the lapse, by their last order', () => {
    const at = (days: number) => new Date(now.getTime() - days * DAY);
    const members = lapsedMembers(
      [
        { customerId: 'a', orderId: '1', at: at(100) },
        { customerId: 'a', orderId: '2', at: at(70) },
        { customerId: 'b', orderId: '3', at: at(100) },
        { customerId: 'b', orderId: '4', at: at(5) },
      ],
      60,
      now,
    );
    expect(members).toEqual([{ customerId: 'a', lastOrderId: '2' }]);
  });

  it('issues each offer once, however many job runs race, and only to the lapsed member and the birthday month', async () => {
    const runs = await Promise.all(Array.from({ length: 5 }, () => issueOffers(app.ctx, shop, now)));
    const issued = runs.flat().map((offer) => `${offer.kind}:${offer.customerId}:${offer.period}`);
    expect(issued.sort()).toEqual([`birthday:${birthdayGirl}:${year}`, `win_back:${lapsed}:9002`]);
    expect(await issueOffers(app.ctx, shop, new Date(now.getTime() + DAY))).toEqual([]);
    expect(await openOffers(app.ctx, shop, recent, now)).toEqual([]);
  });

  it('the launcher view shows the open offer with its end', async () => {
    const view = (await (await proxy(app, shop, '/engagement', { customerId: lapsed })).json()) as { offers: unknown[] };
    expect(view.offers).toEqual([
      { kind: 'win_back', title: 'We miss you', points: 200, expiresAt: new Date(now.getTime() + 30 * DAY).toISOString() },
    ]);
  });

  it('the next paid order earns the offer once, even when the order is delivered again or another races it', async () => {
    const before = await points(lapsed);
    const paidAt = new Date(now.getTime() + 3 * DAY);
    const credited = await Promise.all([
      useOffers(app.ctx, { shop, customerId: lapsed, orderId: '9100', paidAt }, paidAt),
      useOffers(app.ctx, { shop, customerId: lapsed, orderId: '9100', paidAt }, paidAt),
      useOffers(app.ctx, { shop, customerId: lapsed, orderId: '9101', paidAt }, paidAt),
    ]);
    expect(credited.reduce((sum, value) => sum + value, 0)).toBe(200);
    expect(await points(lapsed)).toBe(before + 200);
    expect(await openOffers(app.ctx, shop, lapsed, paidAt)).toEqual([]);
    expect(await useOffers(app.ctx, { shop, customerId: lapsed, orderId: '9102', paidAt }, paidAt)).toBe(0);
  });

  it('an order after the offer ends earns nothing from it', async () => {
    const late = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() + 1, 1));
    expect(await useOffers(app.ctx, { shop, customerId: birthdayGirl, orderId: '9200', paidAt: late }, late)).toBe(0);
    expect(await points(birthdayGirl)).toBe(0);
  });

  it('an edit from an older settings version is refused', async () => {
    const stale = await api(app, shop, '/engagement/offers', {
      method: 'PUT',
      body: {
        version: 0,
        settings: {
          winBack: { enabled: false, title: 'x', afterDays: 60, points: 1, validDays: 1 },
          birthday: { enabled: false, title: 'y', points: 1 },
        },
      },
    });
    expect(stale.status).toBe(409);
  });
});

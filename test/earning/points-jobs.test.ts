import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { earningJobs, expireInactivePoints, releasePendingPoints } from '../../server/earning/index.js';
import { expiryReminderModel } from '../../server/earning/reminders.js';
import { runDueJobs } from '../../server/platform/jobs.js';
import { startTestApp, type TestApp } from '../support/app.js';
import { api, deliverAndDrain, devstoreOf, installShop } from '../support/shopify.js';

const DAY = 86_400_000;

describe('scheduled points jobs', () => {
  let app: TestApp;
  let now = new Date('2026-11-01T12:00:00Z');
  const shop = 'jobs.myshopify.com';
  beforeAll(async () => {
    app = await startTestApp('points-jobs', {}, { clock: () => now });
    await installShop(app, shop);
  });
  afterAll(async () => {
    await app.close();
  });

  async function points(customerId: number): Promise<{ balance: number; pending: number }> {
    return ((await (await api(app, shop, `/customers/${customerId}`)).json()) as { points: { balance: number; pending: number } }).points;
  }

  async function setProgram(change: Record<string, unknown>): Promise<void> {
    const current = (await (await api(app, shop, '/program')).json()) as Record<string, unknown>;
    expect((await api(app, shop, '/program', { method: 'PUT', body: { ...current, ...change } })).status).toBe(200);
  }

  it('makes pending points available once the return window closes, once however often the job runs', async () => {
    await setProgram({ pendingDays: 14 });
    const devstore = devstoreOf(app);
    await deliverAndDrain(app, [devstore.addCustomer(shop, { id: 301 })]);
    const order = devstore.createOrder(shop, { customerId: 301, lines: [{ priceMinor: 7_000 }, { priceMinor: 3_000 }] });
    await deliverAndDrain(app, devstore.pay(shop, order.id));
    await deliverAndDrain(app, devstore.refund(shop, order.id, [{ lineId: order.lines[1]!.id, quantity: 1 }]));
    expect(await points(301)).toEqual({ balance: 0, pending: 70 });

    expect(await releasePendingPoints(app.ctx, shop, new Date(now.getTime() + 13 * DAY))).toBe(0);
    now = new Date(now.getTime() + 15 * DAY);
    await Promise.all([runDueJobs(app.ctx, earningJobs, [shop], now), runDueJobs(app.ctx, earningJobs, [shop], now)]);
    expect(await releasePendingPoints(app.ctx, shop, now)).toBe(0);
    expect(await points(301)).toEqual({ balance: 70, pending: 0 });
    await setProgram({ pendingDays: 0 });
  });

  it('reminds before inactivity expiry and then expires the balance once', async () => {
    await setProgram({ expiry: { mode: 'inactivity', days: 30, reminderDaysBefore: 7 } });
    const response = await api(app, shop, '/customers/302/adjustments', { method: 'POST', body: { points: 120, reason: 'welcome' } });
    expect(response.status).toBe(201);

    expect(await expireInactivePoints(app.ctx, shop, new Date(now.getTime() + 10 * DAY))).toEqual({ expired: 0, reminded: 0 });
    expect((await expireInactivePoints(app.ctx, shop, new Date(now.getTime() + 25 * DAY))).reminded).toBeGreaterThanOrEqual(1);
    expect(await expiryReminderModel(app.connection).countDocuments({ shop, customerId: '302' })).toBe(1);
    await expireInactivePoints(app.ctx, shop, new Date(now.getTime() + 26 * DAY));
    expect(await expiryReminderModel(app.connection).countDocuments({ shop, customerId: '302' })).toBe(1);

    const later = new Date(now.getTime() + 31 * DAY);
    await expireInactivePoints(app.ctx, shop, later);
    await expireInactivePoints(app.ctx, shop, later);
    expect((await points(302)).balance).toBe(0);
  });

  it('expires each earned batch N days after it was earned, counting spending against the oldest', async () => {
    await setProgram({ expiry: { mode: 'batch', days: 60, reminderDaysBefore: 7 } });
    const start = now;
    await api(app, shop, '/customers/303/adjustments', { method: 'POST', body: { points: 100, reason: 'first batch' } });
    now = new Date(start.getTime() + 40 * DAY);
    await api(app, shop, '/customers/303/adjustments', { method: 'POST', body: { points: 50, reason: 'second batch' } });
    await api(app, shop, '/customers/303/adjustments', { method: 'POST', body: { points: -30, reason: 'spent' } });
    now = new Date(start.getTime() + 61 * DAY);
    await expireInactivePoints(app.ctx, shop, now);
    await expireInactivePoints(app.ctx, shop, now);
    expect((await points(303)).balance).toBe(50);
    await setProgram({ expiry: { mode: 'none', days: 365, reminderDaysBefore: 30 } });
  });
});

import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import type { Browser, FrameLocator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { drainImports } from '../../server/imports/index.js';
import { startTestApp, type TestApp } from '../support/app.js';
import { BROWSER_STEP_TIMEOUT_MS, launchBrowser } from '../support/browser.js';
import { api, deliverAndDrain, devstoreOf, onboardShop } from '../support/shopify.js';

const POLL = { timeout: 15_000 };
const SHOTS = path.resolve('.tmp/screens/figures');
const A = 7_950_001;
const B = 7_950_002;
const C = 7_950_003;

/** "$1,234.56" → 123456 minor units; "245" → 245. */
const minor = (text: string | null): number => Math.round(Number((text ?? '').replace(/[^0-9.-]/g, '')) * 100);
const whole = (text: string | null): number => Number((text ?? '').replace(/[^0-9-]/g, ''));

/**
 * One shop with orders, a refund, a reward code used on an order, an import that sets a balance
 * and staff adjustments; every figure read from each page that shows it (Home, the economics
 * panel, Analytics, the customer page) through the browser, against the real database, agrees
 * with the others and with the figure worked out by hand below.
 */
describe('every page shows the same figure for the same thing (issue 27)', () => {
  let app: TestApp;
  let browser: Browser;
  const shop = 'figures-agree.myshopify.com';

  // Worked out by hand from the story in beforeAll:
  // orders: A $120, B $45.50, a guest $30, C $59, A $20 with a $5 code ($15 earns): 5 orders.
  const ORDERS = 5;
  // revenue: 12,000 + 4,550 + 3,000 + 5,900 + 1,500, less the 6,000 refunded to A.
  const REVENUE = 12_000 + 4_550 + 3_000 + 5_900 + 1_500 - 6_000;
  // points: A 120 − 60 + 500 − 500 + 15 = 75; B 45 + 25 = 70; C 59, then set to 100 by the import.
  const HELD = 75 + 70 + 100;
  // The default catalog values a point at its $5-for-500 reward: 1 cent, so 1,000 per 1,000 points.
  const PER_THOUSAND = 1_000;
  const LIABILITY = HELD;
  // The one reward given: the $5 the code took off A's order.
  const PROGRAM_COST = 500;

  beforeAll(async () => {
    app = await startTestApp('figures-agree');
    browser = await launchBrowser();
    await mkdir(SHOTS, { recursive: true });
    await onboardShop(app, shop);
    const devstore = devstoreOf(app);
    await deliverAndDrain(app, [
      devstore.addCustomer(shop, { id: A, firstName: 'Ada', lastName: 'Lovelace' }),
      devstore.addCustomer(shop, { id: B, firstName: 'Grace', lastName: 'Hopper' }),
      devstore.addCustomer(shop, { id: C, firstName: 'Alan', lastName: 'Turing' }),
    ]);
    const pay = async (customerId: number | null, lines: Array<{ priceMinor: number; quantity?: number }>, discountCode?: string) => {
      const order = devstore.createOrder(shop, { customerId, lines, discountCode });
      await deliverAndDrain(app, devstore.pay(shop, order.id));
      return order;
    };
    const big = await pay(A, [{ priceMinor: 6_000, quantity: 2 }]);
    await pay(B, [{ priceMinor: 4_550 }]);
    await pay(null, [{ priceMinor: 3_000 }]);
    await pay(C, [{ priceMinor: 5_900 }]);
    await deliverAndDrain(app, devstore.refund(shop, big.id, [{ lineId: big.lines[0]!.id, quantity: 1 }]));
    const adjust = async (customerId: number, points: number, reason: string) =>
      expect((await api(app, shop, `/customers/${customerId}/adjustments`, { method: 'POST', body: { points, reason } })).status).toBe(201);
    await adjust(B, 25, 'Late parcel, ticket #4411');
    await adjust(A, 500, 'Welcome back');
    const redeemed = await api(app, shop, `/customers/${A}/redemptions`, { method: 'POST', body: { rewardId: 'five-off', requestKey: 'figures-1' } });
    expect(redeemed.status).toBe(201);
    await pay(A, [{ priceMinor: 2_000 }], ((await redeemed.json()) as { code: string }).code);
    const imported = await api(app, shop, '/imports', { method: 'POST', body: { format: 'generic', csv: `customer_id,balance\n${C},100\n` } });
    expect(imported.status).toBe(202);
    await drainImports(app.ctx);
  });
  afterAll(async () => {
    await browser?.close();
    await app?.close();
  });

  async function open(hash: string, width = 1366): Promise<{ page: Page; frame: FrameLocator }> {
    const page = await browser.newPage({ viewport: { width, height: 900 } });
    page.setDefaultTimeout(BROWSER_STEP_TIMEOUT_MS);
    await page.goto(`${app.url}/devstore/shops/${shop}/admin${hash}`);
    return { page, frame: page.frameLocator('#app') };
  }

  const text = (frame: FrameLocator, id: string) => frame.locator(`#${id}`).textContent();

  it('the server answers the same figures on /api/stats, /api/analytics, /api/accounting/daily and the customer insight', async () => {
    const balances = await Promise.all(
      [A, B, C].map(async (id) => ((await (await api(app, shop, `/customers/${id}`)).json()) as { points: { balance: number } }).points.balance),
    );
    expect(balances).toEqual([75, 70, 100]);
    const stats = (await (await api(app, shop, '/stats')).json()) as {
      pointsHeld: number;
      liability: number;
      pointValue: number;
      recent: { orders: number; revenue: number; refunded: number; programCost: number; averageOrder: number };
      asOf: string;
    };
    const today = new Date().toISOString().slice(0, 10);
    const analytics = (await (await api(app, shop, `/analytics?from=${today}&to=${today}`)).json()) as {
      orders: number;
      revenue: number;
      programCost: number;
      averageOrder: number;
    };
    const accounting = (await (await api(app, shop, `/accounting/daily?from=${today}&to=${today}`)).json()) as {
      pointsHeld: number;
      liability: number;
      pointValue: number;
    };
    expect(stats).toMatchObject({ pointsHeld: HELD, liability: LIABILITY, pointValue: PER_THOUSAND });
    expect(stats.recent).toMatchObject({
      orders: ORDERS,
      revenue: REVENUE,
      refunded: 6_000,
      programCost: PROGRAM_COST,
      averageOrder: REVENUE / ORDERS,
    });
    expect(analytics).toMatchObject({ orders: ORDERS, revenue: REVENUE, programCost: PROGRAM_COST, averageOrder: REVENUE / ORDERS });
    expect(accounting).toMatchObject({ pointsHeld: HELD, liability: LIABILITY, pointValue: PER_THOUSAND });
    expect(Date.parse(stats.asOf)).toBeLessThanOrEqual(Date.now());

    const insight = async (id: number) =>
      (await (await api(app, shop, `/customers/${id}/insight`)).json()) as {
        orders: number;
        lifetimeValue: number;
        goodwill: { points: number; value: number };
      };
    expect(await insight(A)).toMatchObject({ orders: 2, lifetimeValue: 12_000 - 6_000 + 1_500, goodwill: { points: 500, value: 500 } });
    expect(await insight(B)).toMatchObject({ orders: 1, lifetimeValue: 4_550, goodwill: { points: 25, value: 25 } });
    // The import set C's balance: it is no goodwill.
    expect(await insight(C)).toMatchObject({ orders: 1, lifetimeValue: 5_900, goodwill: { points: 0, value: 0 } });
  });

  it('Home, the economics panel, Analytics and the customer page show those figures, each with its as-of time', async () => {
    const home = await open('#/');
    await expect.poll(() => text(home.frame, 'home-held'), POLL).toBe(String(HELD));
    expect(minor(await text(home.frame, 'home-liability'))).toBe(LIABILITY);
    expect(minor(await text(home.frame, 'home-revenue'))).toBe(REVENUE);
    expect(await text(home.frame, 'home-as-of')).toMatch(/Figures as of \d{2}:\d{2}/);
    await home.page.screenshot({ path: path.join(SHOTS, 'home.png') });
    await home.page.close();

    const panel = await open('#/program');
    await expect.poll(() => text(panel.frame, 'economics-liability'), POLL).toMatch(/\$/);
    expect(minor(await text(panel.frame, 'economics-liability'))).toBe(LIABILITY);
    expect(minor(await text(panel.frame, 'economics-average'))).toBe(Math.round(REVENUE / ORDERS));
    expect(minor(await text(panel.frame, 'economics-actual-cost'))).toBe(PROGRAM_COST);
    // The panel shows 100 points' worth; accounting 1,000 points'.
    expect(minor(await text(panel.frame, 'economics-point-value')) * 10).toBe(PER_THOUSAND);
    expect(await text(panel.frame, 'economics-basis')).toMatch(
      new RegExp(`your ${ORDERS} orders of the last 30 days.*the ${HELD} points customers hold.*Figures as of`),
    );
    await panel.frame.locator('#economics-panel').screenshot({ path: path.join(SHOTS, 'economics-panel.png') });
    await panel.page.close();

    const analytics = await open('#/analytics');
    await expect.poll(() => text(analytics.frame, 'analytics-orders'), POLL).toBe(String(ORDERS));
    expect(minor(await text(analytics.frame, 'analytics-revenue'))).toBe(REVENUE);
    expect(minor(await text(analytics.frame, 'analytics-averageOrder'))).toBe(Math.round(REVENUE / ORDERS));
    expect(minor(await text(analytics.frame, 'analytics-programCost'))).toBe(PROGRAM_COST);
    expect(whole(await text(analytics.frame, 'accounting-points-held'))).toBe(HELD);
    expect(minor(await text(analytics.frame, 'accounting-liability'))).toBe(LIABILITY);
    expect(minor(await text(analytics.frame, 'accounting-point-value'))).toBe(PER_THOUSAND);
    expect(await text(analytics.frame, 'analytics-as-of')).toMatch(/Figures as of/);
    await analytics.page.screenshot({ path: path.join(SHOTS, 'analytics.png'), fullPage: true });
    await analytics.page.close();

    const customer = await open(`#/customers/${A}`);
    await expect.poll(() => text(customer.frame, 'insight-orders'), POLL).toBe('2');
    expect(minor(await text(customer.frame, 'insight-lifetime'))).toBe(12_000 - 6_000 + 1_500);
    expect(await text(customer.frame, 'insight-goodwill')).toBe('Goodwill granted by staff: 500 points ($5)');
    await customer.page.close();
    const imported = await open(`#/customers/${C}`);
    await expect.poll(() => text(imported.frame, 'insight-goodwill'), POLL).toBe('Goodwill granted by staff: 0 points ($0)');
    await imported.page.close();
  });

  it('an adjustment shows at once: the customer insight and, after it, Home', async () => {
    const { page, frame } = await open(`#/customers/${B}`);
    await expect.poll(() => text(frame, 'insight-goodwill'), POLL).toBe('Goodwill granted by staff: 25 points ($0.25)');
    await frame.getByLabel('Points', { exact: true }).fill('30');
    await frame.getByLabel('Reason').fill('Broken mug, ticket #4412');
    await frame.getByRole('button', { name: 'Adjust points…' }).click();
    await frame.getByRole('button', { name: 'Confirm adjustment' }).click();
    await expect.poll(() => text(frame, 'insight-goodwill'), POLL).toBe('Goodwill granted by staff: 55 points ($0.55)');
    await frame.getByRole('tab', { name: 'Home' }).click();
    await expect.poll(() => text(frame, 'home-held'), POLL).toBe(String(HELD + 30));
    await page.close();
  });
});

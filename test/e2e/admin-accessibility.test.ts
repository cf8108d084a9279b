import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../support/app.js';
import { seriousViolations } from '../support/axe.js';
import { BROWSER_STEP_TIMEOUT_MS, launchBrowser } from '../support/browser.js';
import { api, deliverAndDrain, devstoreOf, grantPoints, onboardShop } from '../support/shopify.js';

const SHOTS = path.resolve('.tmp/screens/admin');
const CUSTOMER = 7_960_001;

/** Every page of the admin, each at its own URL, with what shows it has loaded. */
const PAGES = [
  { name: 'home', hash: '#/', ready: '#home-held' },
  { name: 'program', hash: '#/program', ready: '#economics-give-back' },
  { name: 'engagement', hash: '#/engagement', ready: 'text=Ways to earn' },
  { name: 'customers', hash: '#/customers', ready: 'text=Ada Lovelace' },
  { name: 'customer', hash: `#/customers/${CUSTOMER}`, ready: '#insight-goodwill' },
  { name: 'activity', hash: '#/activity', ready: 'text=Webhook deliveries' },
  { name: 'analytics', hash: '#/analytics', ready: '#accounting-liability' },
  { name: 'imports', hash: '#/imports', ready: 'text=Imports and integrations' },
] as const;

/**
 * axe-core on every admin page, on a 1366 px desktop and a 390 px phone, with data on them (a
 * customer with orders, a refund, an adjustment and a redemption): no serious or critical
 * violation. Each page is photographed for a person to look at (.tmp/screens/admin).
 */
describe('the admin passes axe-core on every page at both widths (issue 27)', () => {
  let app: TestApp;
  let browser: Browser;
  const shop = 'admin-axe.myshopify.com';

  beforeAll(async () => {
    app = await startTestApp('admin-accessibility');
    browser = await launchBrowser();
    await mkdir(SHOTS, { recursive: true });
    await onboardShop(app, shop);
    const devstore = devstoreOf(app);
    const events = [devstore.addCustomer(shop, { id: CUSTOMER, firstName: 'Ada', lastName: 'Lovelace', email: 'ada@example.com' })];
    const order = devstore.createOrder(shop, { customerId: CUSTOMER, lines: [{ priceMinor: 6_000, quantity: 2 }] });
    events.push(...devstore.pay(shop, order.id));
    await deliverAndDrain(app, events);
    await deliverAndDrain(app, devstore.refund(shop, order.id, [{ lineId: order.lines[0]!.id, quantity: 1 }]));
    await grantPoints(app, shop, CUSTOMER, 500);
    expect(
      (await api(app, shop, `/customers/${CUSTOMER}/redemptions`, { method: 'POST', body: { rewardId: 'five-off', requestKey: 'axe-test-0001' } }))
        .status,
    ).toBe(201);
  });
  afterAll(async () => {
    await browser?.close();
    await app?.close();
  });

  for (const viewport of [
    { label: 'desktop', width: 1366, height: 900 },
    { label: 'phone', width: 390, height: 844 },
  ] as const) {
    it(`${viewport.label} (${viewport.width} px): no serious or critical violation on any page`, async () => {
      // axe-core's Playwright runner needs a page of a context of its own.
      const context = await browser.newContext({ viewport: { width: viewport.width, height: viewport.height } });
      const page = await context.newPage();
      page.setDefaultTimeout(BROWSER_STEP_TIMEOUT_MS);
      const found: Record<string, unknown> = {};
      try {
        for (const entry of PAGES) {
          await page.goto('about:blank');
          await page.goto(`${app.url}/devstore/shops/${shop}/admin${entry.hash}`);
          await page.frameLocator('#app').locator(entry.ready).first().waitFor();
          await page.waitForTimeout(300);
          await page.screenshot({ path: path.join(SHOTS, `${entry.name}-${viewport.label}.png`) });
          const violations = await seriousViolations(page);
          if (violations.length > 0) found[entry.name] = violations;
        }
      } finally {
        await context.close();
      }
      expect(found).toEqual({});
    }, 240_000);
  }
});

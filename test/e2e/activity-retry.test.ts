import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newAccessToken } from '../../devstore/state.js';
import { balanceOf } from '../../server/ledger/store.js';
import type { Program } from '../../server/program/program.js';
import { ensureDefaultProgram } from '../../server/program/store.js';
import { saveInstall } from '../../server/shops/store.js';
import { startTestApp, type TestApp } from '../support/app.js';
import { BROWSER_STEP_TIMEOUT_MS, launchBrowser } from '../support/browser.js';
import { api, deliverAndDrain, devstoreOf } from '../support/shopify.js';

describe('activity page: a failed webhook delivery retried by the merchant', () => {
  let app: TestApp;
  let browser: Browser;
  const shop = 'activity-retry.myshopify.com';
  const customer = 7_600_001;

  beforeAll(async () => {
    app = await startTestApp('activity-retry');
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    await app?.close();
  });

  it('shows the failed delivery, and after Retry shows it processed with the points credited', async () => {
    // An install whose program was not created yet (its install hook had not run): the shop is
    // installed, so Shopify's orders/paid is stored, and the handler fails it for good.
    const devstore = devstoreOf(app);
    const devShop = devstore.ensureShop(shop);
    const accessToken = newAccessToken();
    devShop.accessTokens.set(accessToken, 'offline');
    devShop.appInstalled = true;
    await saveInstall(
      app.ctx,
      shop,
      { accessToken, scope: '' },
      { name: devShop.name, currency: devShop.currency, timezone: devShop.timezone, shopifyPlus: false },
      new Date(),
    );
    devstore.addCustomer(shop, { id: customer });
    const order = devstore.createOrder(shop, { customerId: customer, lines: [{ priceMinor: 4_200 }] });
    await deliverAndDrain(
      app,
      devstore.pay(shop, order.id).filter((event) => event.topic === 'orders/paid'),
    );
    expect((await balanceOf(app.connection, shop, String(customer))).available).toBe(0);

    // The program exists now (the hook ran later); the merchant has been through onboarding.
    await ensureDefaultProgram(app.connection, shop, devShop.currency, new Date());
    const program = (await (await api(app, shop, '/program')).json()) as Program;
    expect((await api(app, shop, '/program', { method: 'PUT', body: { ...program, onboarded: true } })).status).toBe(200);

    const page = await browser.newPage({ viewport: { width: 1400, height: 1000 } });
    page.setDefaultTimeout(BROWSER_STEP_TIMEOUT_MS);
    await page.goto(`${app.url}/devstore/shops/${shop}/admin`);
    const frame = page.frameLocator('#app');
    await frame.getByRole('tab', { name: 'Activity' }).click();
    const row = frame.locator('tr', { hasText: 'Order paid' });
    await row.getByText('Failed', { exact: true }).waitFor();
    await row.getByText(/has no program/).waitFor();

    await row.getByRole('button', { name: 'Retry the order paid delivery' }).click();
    await row.getByText('Processed', { exact: true }).waitFor();
    await row.getByText(`Order #${order.number}: 42 points credited`).waitFor();
    expect(await row.getByRole('button', { name: 'Retry the order paid delivery' }).count()).toBe(0);
    expect((await balanceOf(app.connection, shop, String(customer))).available).toBe(42);
    await page.close();
  });
});

import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../support/app.js';
import { BROWSER_STEP_TIMEOUT_MS, launchBrowser } from '../support/browser.js';
import { api, deliverAndDrain, devstoreOf, grantPoints, installShop } from '../support/shopify.js';

const viewports = [
  { suffix: '', options: { viewport: { width: 1280, height: 900 } } },
  { suffix: '-phone', options: { viewport: { width: 390, height: 844 }, deviceScaleFactor: 2, isMobile: true, hasTouch: true } },
] as const;

/**
 * Issue 23, finding 1, as the shopper does it in the devstore storefronts: signed in at the coffee
 * shop, Ada gets a code on her account page; signed in at the tea shop, she enters it on her
 * account page there, and her points are shared. Photographed into docs/screenshots/storefront-group-link*.png.
 */
describe('linking accounts across a program group’s storefronts', () => {
  let app: TestApp;
  let browser: Browser;
  const coffee = 'link-coffee.myshopify.com';
  const tea = 'link-tea.myshopify.com';
  const ada = { coffee: 7_900_001, tea: 7_900_002 };
  const grace = { coffee: 7_900_011, tea: 7_900_012 };

  beforeAll(async () => {
    app = await startTestApp('group-link-storefront');
    const devstore = devstoreOf(app);
    devstore.ensureShop(coffee, { name: 'Harbour Coffee' });
    devstore.ensureShop(tea, { name: 'Harbour Tea' });
    for (const shop of [coffee, tea]) await installShop(app, shop);
    await deliverAndDrain(app, [
      devstore.addCustomer(coffee, { id: ada.coffee, firstName: 'Ada', email: 'ada@example.com' }),
      devstore.addCustomer(tea, { id: ada.tea, firstName: 'Ada', email: 'ada@example.com' }),
      devstore.addCustomer(coffee, { id: grace.coffee, firstName: 'Grace', email: 'grace@example.com' }),
      devstore.addCustomer(tea, { id: grace.tea, firstName: 'Grace', email: 'grace@example.com' }),
    ]);
    for (const customer of [ada, grace]) {
      await grantPoints(app, coffee, customer.coffee, 800);
      await grantPoints(app, tea, customer.tea, 150);
    }
    expect((await api(app, coffee, '/group', { method: 'POST', body: { name: 'Harbour' } })).status).toBe(201);
    const invite = (await (await api(app, coffee, '/group/invites', { method: 'POST' })).json()) as { code: string };
    expect((await api(app, tea, '/group/join', { method: 'POST', body: { code: invite.code } })).status).toBe(200);
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    await app?.close();
  });

  /** Signed in at `shop`, on the customer account page, where the account block shows the group section. */
  async function accountOf(page: Page, shop: string, customerId: number) {
    const store = `${app.url}/devstore/shops/${shop}/storefront`;
    await page.goto(`${store}/account`);
    await page.selectOption('select[name=customerId]', String(customerId));
    await page.click('button[type=submit]');
    const group = page.locator('.tally-account [data-tally-group]');
    await group.locator('h3').waitFor();
    return group;
  }

  it.each(viewports.map((viewport, index) => ({ ...viewport, customer: index === 0 ? ada : grace })))(
    'gets a code signed in at one shop and links by entering it signed in at the other$suffix',
    async ({ suffix, options, customer }) => {
      const context = await browser.newContext(options);
      const page = await context.newPage();
      page.setDefaultTimeout(BROWSER_STEP_TIMEOUT_MS);

      const atCoffee = await accountOf(page, coffee, customer.coffee);
      const teaRow = atCoffee.locator(`[data-tally-shop="${tea}"]`);
      expect(await teaRow.textContent()).toContain(`${tea}: not linked`);
      await teaRow.getByRole('button', { name: 'Get a code' }).click();
      const code = (await teaRow.locator('[data-tally-link-code]').textContent()) ?? '';
      expect(code).toMatch(/^[A-Z2-9]{4}-[A-Z2-9]{4}$/);
      expect(await teaRow.textContent()).toContain('Never give it to anyone');
      await teaRow.scrollIntoViewIfNeeded();
      await page.screenshot({ path: `docs/screenshots/storefront-group-code${suffix}.png` });

      const atTea = await accountOf(page, tea, customer.tea);
      await page.locator('[data-tally-account-body]', { hasText: '150 points available' }).waitFor();
      const coffeeRow = atTea.locator(`[data-tally-shop="${coffee}"]`);
      await coffeeRow.getByLabel(`Code from ${coffee}`).fill(code);
      await coffeeRow.getByRole('button', { name: 'Link' }).click();
      await page.locator('[data-tally-account-body]', { hasText: '950 points available' }).waitFor();
      await page.locator(`[data-tally-group] [data-tally-shop="${coffee}"]`, { hasText: 'linked, your points there count here' }).waitFor();
      await page.locator('[data-tally-group]').scrollIntoViewIfNeeded();
      await page.screenshot({ path: `docs/screenshots/storefront-group-linked${suffix}.png` });
      await context.close();
    },
  );
});

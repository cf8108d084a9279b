import type { Browser, FrameLocator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Program } from '../../server/program/program.js';
import { balanceOf } from '../../server/ledger/store.js';
import { loadProgram } from '../../server/program/store.js';
import { startTestApp, type TestApp } from '../support/app.js';
import { BROWSER_STEP_TIMEOUT_MS, launchBrowser } from '../support/browser.js';
import { api, deliverAndDrain, devstoreOf, installShop } from '../support/shopify.js';

/** The browser and the app share a busy machine with other test files: give the page time to react. */
const POLL = { timeout: 10_000 };

describe('merchant admin, embedded in the devstore admin frame', () => {
  let app: TestApp;
  let browser: Browser;

  beforeAll(async () => {
    app = await startTestApp('admin-ui');
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    await app?.close();
  });

  async function openAdmin(shop: string): Promise<{ page: Page; frame: FrameLocator }> {
    const page = await browser.newPage({ viewport: { width: 1400, height: 1000 } });
    page.setDefaultTimeout(BROWSER_STEP_TIMEOUT_MS);
    await page.goto(`${app.url}/devstore/shops/${shop}/admin`);
    return { page, frame: page.frameLocator('#app') };
  }

  async function onboarded(shop: string): Promise<void> {
    await installShop(app, shop);
    const program = (await (await api(app, shop, '/program')).json()) as Program;
    const saved = await api(app, shop, '/program', { method: 'PUT', body: { ...program, onboarded: true } });
    expect(saved.status).toBe(200);
  }

  it('onboarding with a preset: the coffee shop launches as it is, with a drink at 100 points and no variant id to look up', async () => {
    const shop = 'admin-onboarding.myshopify.com';
    devstoreOf(app).ensureShop(shop);
    const { page, frame } = await openAdmin(shop);
    await frame.getByRole('heading', { name: 'Set up your loyalty program' }).waitFor();
    await frame.getByText(/^Coffee shop/).click();
    expect(await frame.getByLabel(/variant/i).count()).toBe(0);
    await expect.poll(() => frame.locator('#economics-verdict').textContent(), POLL).toContain('Balanced');
    await frame.getByRole('button', { name: 'Launch the program' }).click();
    await frame.getByRole('tab', { name: 'Customers' }).waitFor();

    const program = await loadProgram(app.connection, shop);
    expect(program).toMatchObject({ onboarded: true, pointsName: 'Beans', earning: { pointsPerCurrencyUnit: 1, punchCard: { enabled: true } } });
    expect(program?.rewards).toEqual([expect.objectContaining({ type: 'amount_off', pointsCost: 100, amountOff: 400 })]);
    await page.close();
  });

  it('changing the earn rate moves the economics panel before anything is saved, and saving stores it', async () => {
    const shop = 'admin-economics.myshopify.com';
    await onboarded(shop);
    const { page, frame } = await openAdmin(shop);
    await frame.getByRole('tab', { name: 'Program' }).click();
    const giveBack = frame.locator('#economics-give-back');
    // 1 point per $1; the best-value reward is free shipping (300 points for about $4 on a $50 order).
    await expect.poll(() => giveBack.textContent(), POLL).toBe('1.3 %');
    await frame.getByLabel('Points per 1 USD spent').fill('3');
    await expect.poll(() => giveBack.textContent(), POLL).toBe('4.0 %');
    await frame.getByLabel('Points per 1 USD spent').fill('30');
    await expect.poll(() => frame.getByText('Too generous').count(), POLL).toBe(1);
    await frame.getByLabel('Points per 1 USD spent').fill('3');
    // App Bridge's save bar, drawn by the admin around the app's frame.
    await page.getByRole('region', { name: 'Unsaved changes' }).getByRole('button', { name: 'Save' }).click();
    await expect.poll(async () => (await loadProgram(app.connection, shop))?.earning.pointsPerCurrencyUnit, POLL).toBe(3);
    await page.close();
  });

  it('a server field error (422) is shown beside its field in people’s words, and the banner’s link takes the merchant there', async () => {
    const shop = 'admin-errors.myshopify.com';
    await onboarded(shop);
    const { page, frame } = await openAdmin(shop);
    await frame.getByRole('tab', { name: 'Program' }).click();
    await frame.getByRole('textbox', { name: 'Launcher colour' }).fill('blue');
    await frame.getByLabel('Reward name').first().fill('');
    await page.getByRole('region', { name: 'Unsaved changes' }).getByRole('button', { name: 'Save' }).click();
    await frame
      .getByText(/fields? needs? attention/)
      .first()
      .waitFor();
    await page.screenshot({ path: '/tmp/errors.png' });
    expect(await frame.getByText(/Too small|expected string|request failed/).count()).toBe(0);
    // Beside the field: the input's own error text.
    await frame.locator('#field-widget-primaryColor').getByText('A colour such as #1f6feb').waitFor();
    await frame.getByText("Can't be empty").first().waitFor();
    await frame.getByRole('button', { name: 'Launcher colour', exact: true }).click();
    await expect
      .poll(() => frame.getByRole('textbox', { name: 'Launcher colour' }).evaluate((input) => input === document.activeElement), POLL)
      .toBe(true);
    expect((await loadProgram(app.connection, shop))?.widget.primaryColor).toBe('#1f6feb');
    await page.close();
  });

  it('adjusting a customer’s points: search, confirm, and the ledger shows it with the staff member', async () => {
    const shop = 'admin-customers.myshopify.com';
    await onboarded(shop);
    await deliverAndDrain(app, [
      devstoreOf(app).addCustomer(shop, { id: 7_400_001, firstName: 'Katherine', lastName: 'Johnson', email: 'katherine@example.com' }),
    ]);
    const { page, frame } = await openAdmin(shop);
    await frame.getByRole('tab', { name: 'Customers' }).click();
    await frame.getByPlaceholder('Search by name, email or customer id').fill('kather');
    await frame.getByText('Katherine Johnson').click();
    await frame.getByLabel('Points', { exact: true }).fill('250');
    await frame.getByLabel('Reason').fill('Apology for a late parcel');
    await frame.getByRole('button', { name: 'Adjust points…' }).click();
    await frame.getByRole('button', { name: 'Confirm adjustment' }).click();
    await expect.poll(() => frame.locator('#customer-balance').textContent(), POLL).toBe('250');
    // The devstore's admin is its owner's (user 1): Shopify's online token exchange names them.
    await frame.getByText('Apology for a late parcel · Adjusted by Morgan Reyes (you)').waitFor();
    expect((await balanceOf(app.connection, shop, '7400001')).available).toBe(250);
    await page.close();
  });

  it('the activity page lists each webhook delivery with its outcome', async () => {
    const shop = 'admin-activity.myshopify.com';
    const devstore = devstoreOf(app);
    await onboarded(shop);
    devstore.addCustomer(shop, { id: 7_500_001 });
    const order = devstore.createOrder(shop, { customerId: 7_500_001, lines: [{ priceMinor: 4_200 }] });
    await deliverAndDrain(app, devstore.pay(shop, order.id).slice(0, 1));
    const { page, frame } = await openAdmin(shop);
    await frame.getByRole('tab', { name: 'Activity' }).click();
    await frame.getByText(`Order #${order.number}: 42 points credited`).waitFor();
    expect(page.url()).toMatch(/#\/activity$/);
    await page.close();
  });
});

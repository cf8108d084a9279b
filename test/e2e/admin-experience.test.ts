import type { Browser, FrameLocator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Program } from '../../server/program/program.js';
import { loadProgram } from '../../server/program/store.js';
import { startTestApp, type TestApp } from '../support/app.js';
import { BROWSER_STEP_TIMEOUT_MS, launchBrowser } from '../support/browser.js';
import { api, deliverAndDrain, devstoreOf, grantPoints, installShop } from '../support/shopify.js';

/** The browser and the app share a busy machine with other test files: give the page time to react. */
const POLL = { timeout: 10_000 };

describe('what a new merchant stumbles on in the admin (issue 15)', () => {
  let app: TestApp;
  let browser: Browser;

  beforeAll(async () => {
    app = await startTestApp('admin-experience');
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    await app?.close();
  });

  async function openAdmin(shop: string, hash = '', viewport = { width: 1400, height: 1000 }): Promise<{ page: Page; frame: FrameLocator }> {
    const page = await browser.newPage({ viewport });
    page.setDefaultTimeout(BROWSER_STEP_TIMEOUT_MS);
    await page.goto(`${app.url}/devstore/shops/${shop}/admin${hash}`);
    return { page, frame: page.frameLocator('#app') };
  }

  async function onboarded(shop: string, change: (program: Program) => Program = (program) => program): Promise<void> {
    await installShop(app, shop);
    const program = (await (await api(app, shop, '/program')).json()) as Program;
    const saved = await api(app, shop, '/program', { method: 'PUT', body: change({ ...program, onboarded: true }) });
    expect(saved.status).toBe(200);
  }

  const saveBar = (page: Page) => page.getByRole('region', { name: 'Unsaved changes' });

  it('the economics panel: a 0-point reward shows no Infinity, the punch card raises the give-back, 1 order is "1 order", band and verdict agree', async () => {
    const shop = 'admin-x-economics.myshopify.com';
    await onboarded(shop);
    const { page, frame } = await openAdmin(shop, '#/program');
    const giveBack = frame.locator('#economics-give-back');
    const verdict = frame.locator('#economics-verdict');
    await expect.poll(() => giveBack.textContent(), POLL).toBe('1.3 %');
    await frame.getByLabel('Points needed').last().fill('0');
    await expect.poll(() => verdict.textContent(), POLL).toContain('Not enough to estimate yet');
    expect(await frame.locator('body').textContent()).not.toMatch(/Infinity|∞|NaN/);
    // Free shipping at 40 points on a $50 order: about $4 for 50 points' spend, 10 % back, one order to get there.
    await frame.getByLabel('Points needed').last().fill('40');
    await expect.poll(() => giveBack.textContent(), POLL).toBe('10.0 %');
    await expect.poll(() => verdict.textContent(), POLL).toContain('Generous');
    expect(await verdict.textContent()).toContain('above the usual 1–5 % band');
    expect(await frame.locator('#economics-orders').textContent()).toBe('1 order');
    await frame.getByLabel('Punch card: bonus on every nth order').check();
    await frame.getByLabel('Bonus points').fill('100');
    // 10 bonus points per order on average: 60 points a $50 order, 12 % back.
    await expect.poll(() => giveBack.textContent(), POLL).toBe('12.0 %');
    await expect.poll(() => verdict.textContent(), POLL).toContain('Too generous');
    await frame.getByLabel('Points needed').last().fill('300');
    await frame.getByLabel('Punch card: bonus on every nth order').uncheck();
    await expect.poll(() => verdict.textContent(), POLL).toMatch(/^Balanced.*within the usual 1–5 % band/);
    await page.close();
  });

  it('presets launch as they are: Boutique keeps a reward a customer with 355 points can redeem; Cash back shows no points fields', async () => {
    const shop = 'admin-x-presets.myshopify.com';
    devstoreOf(app).ensureShop(shop);
    const { page, frame } = await openAdmin(shop);
    await frame.getByRole('heading', { name: 'Set up your loyalty program' }).waitFor();
    await expect.poll(() => frame.locator('#economics-verdict').textContent(), POLL).toContain('Balanced');
    await frame.getByText(/^Cash back 2 %/).click();
    await expect.poll(() => frame.getByLabel('Cash back', { exact: true }).count(), POLL).toBe(1);
    expect(await frame.getByLabel(/Points per|Points needed|Name of your points/).count()).toBe(0);
    await frame.getByText(/^Boutique/).click();
    await frame.getByRole('button', { name: 'Launch the program' }).click();
    await frame.getByRole('tab', { name: 'Customers' }).waitFor();
    await page.close();

    const program = await loadProgram(app.connection, shop);
    const reachable = program!.rewards.filter((reward) => reward.enabled && reward.pointsCost <= 355);
    expect(reachable.length).toBeGreaterThan(0);
    await deliverAndDrain(app, [devstoreOf(app).addCustomer(shop, { id: 7_600_001, firstName: 'Ada', lastName: 'Lovelace' })]);
    await grantPoints(app, shop, 7_600_001, 355);
    const redeemed = await api(app, shop, '/customers/7600001/redemptions', {
      method: 'POST',
      body: { rewardId: reachable[0]!.id, requestKey: 'ada-redeems-1' },
    });
    expect(redeemed.status).toBe(201);
  });

  it('a free product is chosen with App Bridge’s resource picker and saved through the save bar', async () => {
    const shop = 'admin-x-picker.myshopify.com';
    await onboarded(shop);
    devstoreOf(app).addProduct(shop, { id: 801, title: 'House blend, 250 g', priceMinor: 1_450, tags: ['coffee'], giftCard: false });
    const { page, frame } = await openAdmin(shop, '#/program');
    await frame.getByLabel('Type').last().selectOption('free_product');
    await frame.getByRole('button', { name: 'Choose product: Product given away' }).click();
    const dialog = page.getByRole('dialog');
    await dialog.getByText('House blend, 250 g').click();
    await dialog.getByRole('button', { name: 'Select' }).click();
    await frame.getByText('House blend, 250 g - Default Title').waitFor();
    await saveBar(page).getByRole('button', { name: 'Save' }).click();
    await expect
      .poll(async () => (await loadProgram(app.connection, shop))?.rewards.find((reward) => reward.type === 'free_product'), POLL)
      .toMatchObject({ variantId: '8011' });
    await expect.poll(() => saveBar(page).isVisible(), POLL).toBe(false);
    await page.close();
  });

  it('unsaved edits: the save bar shows, leaving asks first (Stay keeps them), and each page has its own URL that survives a reload', async () => {
    const shop = 'admin-x-navigation.myshopify.com';
    await onboarded(shop);
    await deliverAndDrain(app, [
      devstoreOf(app).addCustomer(shop, { id: 7_700_001, firstName: 'Grace', lastName: 'Hopper', email: 'grace@example.com' }),
    ]);
    const { page, frame } = await openAdmin(shop, '#/program');
    await frame.getByLabel('Points per 1 USD spent').fill('4');
    await saveBar(page).waitFor();
    await frame.getByRole('tab', { name: 'Customers' }).click();
    await page.getByRole('dialog').getByText('Leave page with unsaved changes?').waitFor();
    await page.getByRole('button', { name: 'Stay' }).click();
    expect(await frame.getByLabel('Points per 1 USD spent').inputValue()).toBe('4');
    await frame.getByRole('tab', { name: 'Customers' }).click();
    await page.getByRole('button', { name: 'Leave page' }).click();
    await frame.getByText('Grace Hopper').click();
    await frame.locator('#customer-balance').waitFor();
    expect(page.url()).toMatch(/#\/customers\/7700001$/);
    await page.reload();
    await frame.locator('#customer-balance').waitFor();
    await frame.getByRole('heading', { name: 'Grace Hopper' }).waitFor();
    await frame.getByRole('tab', { name: 'Customers' }).click();
    await frame.getByPlaceholder('Search by name, email or customer id').waitFor();
    expect(page.url()).toMatch(/#\/customers$/);
    expect((await loadProgram(app.connection, shop))?.earning.pointsPerCurrencyUnit).toBe(1);
    await page.close();
  });

  it('manual adjustment: fractions refused in the field, the disabled button says why, a negative balance is warned about, no Rejected card', async () => {
    const shop = 'admin-x-adjust.myshopify.com';
    await onboarded(shop);
    await deliverAndDrain(app, [devstoreOf(app).addCustomer(shop, { id: 7_800_001, firstName: 'Alan', lastName: 'Turing' })]);
    await grantPoints(app, shop, 7_800_001, 100);
    // A staff reward the customer cannot afford is refused (409) and must leave no card behind.
    const program = (await (await api(app, shop, '/program')).json()) as Program;
    expect(
      (
        await api(app, shop, '/customers/7800001/redemptions', {
          method: 'POST',
          body: { rewardId: program.rewards[0]!.id, requestKey: 'too-dear-0001' },
        })
      ).status,
    ).toBe(409);
    const { page, frame } = await openAdmin(shop, '#/customers/7800001');
    await expect.poll(() => frame.locator('#customer-balance').textContent(), POLL).toBe('100');
    expect(await frame.getByText('Rejected').count()).toBe(0);
    await frame.getByText('No rewards redeemed yet.').waitFor();
    await frame
      .locator('#issue-blocker')
      .getByText(/needs \d+ more points/)
      .waitFor();
    const button = frame.getByRole('button', { name: 'Adjust points…' });
    await frame.locator('#adjust-blocker').getByText('Enter a whole number of points to add or remove.').waitFor();
    await frame.getByLabel('Points', { exact: true }).fill('2.5');
    await frame.getByText('Enter a whole number (no fractions)').waitFor();
    expect(await button.isDisabled()).toBe(true);
    await frame.getByLabel('Points', { exact: true }).fill('-150');
    await frame.locator('#adjust-blocker').getByText('Give a reason').waitFor();
    await frame.getByLabel('Reason').fill('Returned without receipt');
    await frame.locator('#adjust-below-zero').getByText('from 100 to -50, below zero').waitFor();
    expect(await button.isDisabled()).toBe(false);
    await page.close();
  });

  it('Home shows members, points issued and redeemed this month and the latest webhooks', async () => {
    const shop = 'admin-x-home.myshopify.com';
    await onboarded(shop);
    const devstore = devstoreOf(app);
    const events = [devstore.addCustomer(shop, { id: 7_900_001 })];
    const order = devstore.createOrder(shop, { customerId: 7_900_001, lines: [{ priceMinor: 6_000 }] });
    events.push(...devstore.pay(shop, order.id));
    await deliverAndDrain(app, events);
    const { page, frame } = await openAdmin(shop);
    await frame.getByRole('heading', { name: 'Home' }).waitFor();
    await expect.poll(() => frame.locator('#home-held').textContent(), POLL).toBe('60');
    await expect.poll(() => frame.locator('#home-issued').textContent(), POLL).toBe('60');
    expect(await frame.locator('#home-members').textContent()).toMatch(/^\d+$/);
    await frame.getByText('Order paid').first().waitFor();
    await frame.getByText('Latest webhooks').waitFor();
    await page.close();
  });
});

import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import type { Browser, FrameLocator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../support/app.js';
import { BROWSER_STEP_TIMEOUT_MS, launchBrowser } from '../support/browser.js';
import { deliverAndDrain, devstoreOf, grantPoints, onboardShop, proxy } from '../support/shopify.js';

const POLL = { timeout: 15_000 };
const SHOTS = path.resolve('.tmp/screens/frictions');

/** The frictions of issue 27 a merchant meets in the admin, each as they would meet it, at 1366 px (and 390 px where it is about phones). */
describe('what a new merchant stumbles on, fixed (issue 27)', () => {
  let app: TestApp;
  let browser: Browser;

  beforeAll(async () => {
    app = await startTestApp('admin-frictions');
    browser = await launchBrowser();
    await mkdir(SHOTS, { recursive: true });
  });
  afterAll(async () => {
    await browser?.close();
    await app?.close();
  });

  const onboarded = (shop: string) => onboardShop(app, shop);
  async function open(shop: string, hash: string, width = 1366): Promise<{ page: Page; frame: FrameLocator }> {
    const page = await browser.newPage({ viewport: { width, height: width > 500 ? 900 : 844 } });
    page.setDefaultTimeout(BROWSER_STEP_TIMEOUT_MS);
    await page.goto(`${app.url}/devstore/shops/${shop}/admin${hash}`);
    return { page, frame: page.frameLocator('#app') };
  }

  it('a checkout hold reads "Held for checkout" in the history, never a translation key', async () => {
    const shop = 'frictions-hold.myshopify.com';
    await onboarded(shop);
    await deliverAndDrain(app, [devstoreOf(app).addCustomer(shop, { id: 7_970_001, firstName: 'Ada', lastName: 'Lovelace' })]);
    await grantPoints(app, shop, 7_970_001, 600);
    const hold = await proxy(app, shop, '/holds', { customerId: 7_970_001, method: 'POST', body: { points: 500, requestKey: 'frictions-hold-1' } });
    expect(hold.status).toBe(201);
    const { page, frame } = await open(shop, '#/customers/7970001');
    await frame.locator('td', { hasText: 'Held for checkout' }).first().waitFor();
    expect(await frame.locator('body').textContent()).not.toMatch(/ledgerType\.|\{\w+\}/);
    await page.close();
  });

  it('a new VIP tier starts above the highest one, with the base tier, and says how many customers saving moves', async () => {
    const shop = 'frictions-tiers.myshopify.com';
    await onboarded(shop);
    const devstore = devstoreOf(app);
    const events = [devstore.addCustomer(shop, { id: 7_970_101 }), devstore.addCustomer(shop, { id: 7_970_102 })];
    events.push(...devstore.pay(shop, devstore.createOrder(shop, { customerId: 7_970_101, lines: [{ priceMinor: 5_000 }] }).id));
    await deliverAndDrain(app, events);
    const { page, frame } = await open(shop, '#/program');
    await frame.getByRole('button', { name: 'Add a tier' }).click();
    const thresholds = frame.getByLabel('Threshold');
    await expect.poll(() => thresholds.count(), POLL).toBe(2);
    expect(await thresholds.nth(0).inputValue()).toBe('0');
    expect(Number(await thresholds.nth(1).inputValue())).toBe(100);
    await frame.getByRole('button', { name: 'Add a tier' }).click();
    await expect.poll(() => thresholds.count(), POLL).toBe(3);
    expect(Number(await thresholds.nth(2).inputValue())).toBe(200);
    // Nobody has spent $100 yet: everyone stays in the base tier, and the preview says so before saving.
    await expect.poll(() => frame.locator('#tiers-moved').textContent(), POLL).toMatch(/Saving moves \d+ of your 2 customers/);
    expect(await frame.locator('body').textContent()).not.toMatch(/\{customers\}/);
    await frame.locator('#tiers-moved').screenshot({ path: path.join(SHOTS, 'tiers-moved.png') });
    await page.close();
  });

  it('onboarding says a negative rate is wrong under the field at once, Launch waits, and no reward-type caption or “” shows', async () => {
    const shop = 'frictions-onboarding.myshopify.com';
    devstoreOf(app).ensureShop(shop);
    const { page, frame } = await open(shop, '');
    await frame.getByRole('heading', { name: 'Set up your loyalty program' }).waitFor();
    await frame.getByText(/^Boutique/).click();
    expect(await frame.getByText('Free shipping', { exact: true }).count()).toBe(0);
    await frame.getByLabel('Points per 1 USD spent').fill('-1');
    await frame.getByText('Enter 0 or more').first().waitFor();
    expect(await frame.getByRole('button', { name: 'Launch the program' }).isDisabled()).toBe(true);
    await frame.getByLabel('Points per 1 USD spent').fill('2');
    await frame.getByLabel('Reward name').first().fill('');
    await frame.getByText("Can't be empty").first().waitFor();
    expect(await frame.locator('#economics-verdict').textContent()).not.toContain('“”');
    await page.screenshot({ path: path.join(SHOTS, 'onboarding-errors.png') });
    await page.close();
  });

  it('imports: set or add is chosen before the import, a failed file shows no "0 of 0", and one row to fix is "1 row"', async () => {
    const shop = 'frictions-imports.myshopify.com';
    await onboarded(shop);
    const { page, frame } = await open(shop, '#/imports');
    await frame.getByText('Set each customer’s balance to the file’s').waitFor();
    await frame.getByText(/Smile\.io’s customer export: email/).waitFor();
    const upload = (csv: string) =>
      frame.locator('input[type=file]').setInputFiles({ name: 'export.csv', mimeType: 'text/csv', buffer: Buffer.from(csv) });
    // A file without the columns an import needs.
    await upload('name\nAda\n');
    await frame.getByRole('button', { name: 'Preview import' }).click();
    await frame.getByText('The file could not be previewed').waitFor();
    expect(await frame.locator('body').textContent()).not.toMatch(/0 of 0 customers/);
    // One row to fix.
    await deliverAndDrain(app, [devstoreOf(app).addCustomer(shop, { id: 7_970_301, email: 'ada@example.com' })]);
    await upload('email,points\nada@example.com,100\nada-at-example,50\n');
    await frame.getByRole('button', { name: 'Preview import' }).click();
    await frame.getByText('1 row to fix in the file').waitFor();
    await frame.locator('#import-summary').getByText('1 customer of 1 would change: +100 / −0 points. Balances set to the file’s.').waitFor();
    await page.screenshot({ path: path.join(SHOTS, 'imports.png') });
    await page.close();
  });

  it('headless API keys: created with scopes, shown once, revoked', async () => {
    const shop = 'frictions-keys.myshopify.com';
    await onboarded(shop);
    const { page, frame } = await open(shop, '#/imports');
    await frame.getByLabel('Key name').fill('Mobile app');
    await frame.getByLabel('Redeem rewards').check();
    await frame.getByRole('button', { name: 'Create key' }).click();
    const shown = frame.getByLabel('New API key');
    await expect.poll(() => shown.inputValue(), POLL).toMatch(/^tly_[0-9a-f]{18}_/);
    const key = await shown.inputValue();
    const balance = await fetch(`${app.url}/v1/customers/1/balance`, { headers: { Authorization: `Bearer ${key}` } });
    expect(balance.status).not.toBe(401);
    await frame.locator('#api-key-created').screenshot({ path: path.join(SHOTS, 'api-key-created.png') });
    await page.reload();
    await frame.getByRole('button', { name: 'Revoke Mobile app' }).waitFor();
    expect(await frame.locator('body').textContent()).not.toContain(key);
    await frame.getByRole('button', { name: 'Revoke Mobile app' }).click();
    await frame.getByRole('button', { name: 'Revoke key' }).click();
    await frame.getByText('No keys yet.').waitFor();
    expect((await fetch(`${app.url}/v1/customers/1/balance`, { headers: { Authorization: `Bearer ${key}` } })).status).toBe(401);
    await page.close();
  });

  it('engagement: the review secret is masked until a new one is made, which shows once; challenge dates are typed', async () => {
    const shop = 'frictions-engagement.myshopify.com';
    await onboarded(shop);
    const { page, frame } = await open(shop, '#/engagement');
    const secret = frame.locator('#review-secret');
    await expect.poll(() => secret.textContent(), POLL).toMatch(/^•+[0-9a-f]{4}$/);
    await frame.getByRole('button', { name: 'Make a new secret' }).click();
    await expect.poll(() => secret.textContent(), POLL).toMatch(/^[0-9a-f]{64}$/);
    await page.reload();
    await expect.poll(() => secret.textContent(), POLL).toMatch(/^•+[0-9a-f]{4}$/);
    expect(await frame.getByRole('button', { name: /Save surveys|Save offers/ }).count()).toBe(0);
    await page.close();
  });

  it('on a phone the tabs are a page list and the economics panel’s verdict stays in sight', async () => {
    const shop = 'frictions-phone.myshopify.com';
    await onboarded(shop);
    const { page, frame } = await open(shop, '#/program', 390);
    await frame
      .locator('#economics-summary')
      .getByText(/Give-back rate: .* · /)
      .waitFor();
    await page.screenshot({ path: path.join(SHOTS, 'program-phone.png') });
    await frame.getByRole('button', { name: 'See the figures' }).click();
    await expect.poll(() => frame.locator('#economics-verdict').isVisible(), POLL).toBe(true);
    await frame.getByLabel('Page').selectOption('analytics');
    await frame.locator('#accounting-liability').waitFor();
    expect(page.url()).toMatch(/#\/analytics$/);
    await page.close();
  });
});

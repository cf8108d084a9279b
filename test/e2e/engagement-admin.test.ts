import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Program } from '../../server/program/program.js';
import { loadProgram } from '../../server/program/store.js';
import { startTestApp, type TestApp } from '../support/app.js';
import { BROWSER_STEP_TIMEOUT_MS, launchBrowser } from '../support/browser.js';
import { api, devstoreOf, installShop, proxy } from '../support/shopify.js';

const POLL = { timeout: 10_000 };

/** The Engagement page in the devstore admin frame: settings saved with the program, NPS results beside them. */
describe('engagement admin page', () => {
  let app: TestApp;
  let browser: Browser;
  const shop = 'engagement-admin.myshopify.com';

  beforeAll(async () => {
    app = await startTestApp('engagement-admin');
    devstoreOf(app).ensureShop(shop, { name: 'Harbour Coffee' });
    await installShop(app, shop);
    const program = (await (await api(app, shop, '/program')).json()) as Program;
    expect((await api(app, shop, '/program', { method: 'PUT', body: { ...program, onboarded: true } })).status).toBe(200);
    for (const [customerId, score, comment] of [
      [7_600_001, 10, 'Best beans in town'],
      [7_600_002, 9, ''],
      [7_600_003, 3, 'Delivery was late'],
    ] as const) {
      const answered = await proxy(app, shop, '/surveys/nps', { customerId, method: 'POST', body: { score, comment } });
      expect(answered.status).toBe(201);
    }
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    await app?.close();
  });

  it('shows the NPS from the answers and saves referral, cause and transfer settings into the program', async () => {
    const page = await browser.newPage({ viewport: { width: 1400, height: 1000 } });
    page.setDefaultTimeout(BROWSER_STEP_TIMEOUT_MS);
    await page.goto(`${app.url}/devstore/shops/${shop}/admin`);
    const frame = page.frameLocator('#app');
    await frame.getByRole('tab', { name: 'Engagement' }).click();
    await frame.getByRole('heading', { name: 'Net Promoter Score (last 12 months)' }).waitFor();
    // Two promoters and one detractor of three: (2 - 1) / 3 = 33.
    await expect.poll(() => frame.getByText('Delivery was late').count(), POLL).toBe(1);
    const figures = await frame.locator('.Polaris-InlineGrid p').allTextContents();
    expect(figures.slice(0, 4)).toEqual(['NPS', '33', 'Responses', '3']);
    await page.screenshot({ path: 'docs/screenshots/engagement-admin.png' });

    await frame.getByLabel('Points for the referrer').fill('750');
    await frame.getByRole('button', { name: 'Add cause' }).click();
    await frame.getByLabel('Name').last().fill('Coral reef restoration');
    await frame.getByLabel('Most points per transfer').fill('2000');
    // A challenge's dates are typed or picked like any field.
    await frame.getByRole('button', { name: 'Add challenge' }).click();
    await frame.getByLabel('Starts', { exact: true }).last().fill('2027-03-01');
    await frame.getByLabel('Ends', { exact: true }).last().fill('2027-03-31');
    await page.screenshot({ path: 'docs/screenshots/engagement-admin-edit.png' });
    await page.getByRole('region', { name: 'Unsaved changes' }).getByRole('button', { name: 'Save' }).click();
    await expect.poll(async () => (await loadProgram(app.connection, shop))?.referrals.referrerPoints, POLL).toBe(750);
    const saved = await loadProgram(app.connection, shop);
    expect(saved?.causes).toEqual([expect.objectContaining({ name: 'Coral reef restoration', enabled: true, moneyPer1000Points: 500 })]);
    expect(saved?.transfers.maxPerTransfer).toBe(2_000);
    expect(saved?.challenges.at(-1)).toMatchObject({ startsAt: '2027-03-01T00:00:00.000Z', endsAt: '2027-03-31T23:59:59.000Z' });

    await frame.getByRole('button', { name: 'Add survey' }).click();
    await frame.getByLabel('Question').fill('Freshness');
    // The surveys save through the admin's save bar too, as every other setting does.
    await page.getByRole('region', { name: 'Unsaved changes' }).getByRole('button', { name: 'Save' }).click();
    await expect
      .poll(async () => ((await (await api(app, shop, '/engagement/surveys')).json()) as { version: number; surveys: unknown[] }).surveys, POLL)
      .toEqual([
        expect.objectContaining({ id: 'how-did-we-do', enabled: true, questions: [expect.objectContaining({ id: 'q1', label: 'Freshness' })] }),
      ]);
    await page.close();
  });
});

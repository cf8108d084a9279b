import type { Browser, FrameLocator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Program } from '../../server/program/program.js';
import type { GroupReport } from '../../server/groups/index.js';
import { moneyFormatter } from '../../server/platform/money.js';
import { startTestApp, type TestApp } from '../support/app.js';
import { BROWSER_STEP_TIMEOUT_MS, launchBrowser } from '../support/browser.js';
import { api, deliverAndDrain, devstoreOf, grantPoints, installShop } from '../support/shopify.js';

const POLL = { timeout: 10_000 };
const count = (value: number) => value.toLocaleString('en');

/** Program groups in the devstore admin frame: one shop creates a group and an invite, another joins with it, then leaves. */
describe('program group admin', () => {
  let app: TestApp;
  let browser: Browser;
  const coffee = 'group-admin-coffee.myshopify.com';
  const tea = 'group-admin-tea.myshopify.com';

  const groupOf = async (shop: string): Promise<GroupReport | null> =>
    ((await (await api(app, shop, '/group')).json()) as { group: GroupReport | null }).group;

  async function openGroupCard(shop: string): Promise<{ page: Page; frame: FrameLocator }> {
    const page = await browser.newPage({ viewport: { width: 1400, height: 1000 } });
    page.setDefaultTimeout(BROWSER_STEP_TIMEOUT_MS);
    await page.goto(`${app.url}/devstore/shops/${shop}/admin`);
    const frame = page.frameLocator('#app');
    await frame.getByRole('tab', { name: 'Imports' }).click();
    await frame.getByRole('heading', { name: 'Shared points across your shops' }).scrollIntoViewIfNeeded();
    return { page, frame };
  }

  /** The member table's rows as the merchant reads them: shop cell (with its badges), then the figures. */
  async function memberRows(frame: FrameLocator): Promise<string[][]> {
    const rows = await frame.locator('table').filter({ hasText: 'Outstanding points' }).locator('tbody tr').all();
    return Promise.all(rows.map((row) => row.locator('th, td').allTextContents()));
  }

  /** What the table must show for a group, formatted as the admin formats it. */
  function expectedRows(group: GroupReport, viewer: string): string[][] {
    return group.shops.map((share) => [
      `${share.shop}${share.shop === group.ownerShop ? 'Owner' : ''}${share.shop === viewer ? 'This shop' : ''}`,
      count(share.accounts),
      count(share.linkedAccounts),
      count(share.awaitingConfirmation),
      count(share.outstandingPoints),
      moneyFormatter(share.currency)(share.liabilityMinor),
      count(share.movedInPoints),
      count(share.movedOutPoints),
    ]);
  }

  beforeAll(async () => {
    app = await startTestApp('program-group-admin');
    for (const [shop, name, currency] of [
      [coffee, 'Harbour Coffee', 'USD'],
      [tea, 'Harbour Tea', 'EUR'],
    ] as const) {
      devstoreOf(app).ensureShop(shop, { name, currency });
      await installShop(app, shop, { currency });
      const program = (await (await api(app, shop, '/program')).json()) as Program;
      expect((await api(app, shop, '/program', { method: 'PUT', body: { ...program, onboarded: true } })).status).toBe(200);
    }
    await grantPoints(app, coffee, 7_700_001, 500);
    await grantPoints(app, tea, 7_700_002, 300);
    // The same verified email in both shops links nothing by itself: the admin shows it awaiting the customer.
    await deliverAndDrain(app, [
      devstoreOf(app).addCustomer(coffee, { id: 7_700_001, email: 'mara@example.com' }),
      devstoreOf(app).addCustomer(tea, { id: 7_700_002, email: 'mara@example.com' }),
    ]);
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    await app?.close();
  });

  it('creates a group and an invite in one shop, joins it from another, lists both shops with their own liability, and leaves', async () => {
    const a = await openGroupCard(coffee);
    await a.frame.getByLabel('Start a group with this shop').fill('Harbour shops');
    await a.frame.getByRole('button', { name: 'Create group' }).click();
    await a.frame.getByRole('heading', { name: 'Harbour shops' }).waitFor();
    await a.frame.getByRole('button', { name: 'Create invite code' }).click();
    const code = await a.frame.getByLabel('Invite code', { exact: true }).inputValue();
    expect(code).not.toBe('');

    const b = await openGroupCard(tea);
    await b.frame.getByLabel('Or join a group with an invite code').fill(code);
    await b.frame.getByRole('button', { name: 'Join group' }).click();
    await b.frame.getByRole('heading', { name: 'Harbour shops' }).waitFor();

    const group = await groupOf(tea);
    expect(group?.shops.map((share) => [share.shop, share.currency, share.outstandingPoints, share.awaitingConfirmation]).sort()).toEqual([
      [coffee, 'USD', 500, 1],
      [tea, 'EUR', 300, 1],
    ]);
    await expect.poll(() => memberRows(b.frame), POLL).toEqual(expectedRows(group!, tea));
    const liabilities = (await memberRows(b.frame)).map((row) => row[5]);
    expect(liabilities.some((cell) => cell?.startsWith('$'))).toBe(true);
    expect(liabilities.some((cell) => cell?.startsWith('€'))).toBe(true);

    await a.page.reload();
    await a.frame.getByRole('tab', { name: 'Imports' }).click();
    await a.frame.getByRole('heading', { name: 'Harbour shops' }).scrollIntoViewIfNeeded();
    await expect.poll(() => memberRows(a.frame), POLL).toEqual(expectedRows((await groupOf(coffee))!, coffee));
    await a.frame.getByRole('button', { name: 'Create invite code' }).click();
    expect(await a.frame.getByLabel('Invite code', { exact: true }).inputValue()).not.toBe(code);
    await a.frame.getByRole('button', { name: 'Leave group' }).scrollIntoViewIfNeeded();
    await a.page.screenshot({ path: 'docs/screenshots/admin-program-group.png' });

    await b.frame.getByRole('button', { name: 'Leave group' }).click();
    const dialog = b.frame.getByRole('dialog');
    await dialog.getByText('no longer combined').waitFor();
    await dialog.getByRole('button', { name: 'Leave group' }).click();
    await b.frame.getByRole('button', { name: 'Create group' }).waitFor();
    expect(await groupOf(tea)).toBeNull();
    expect((await groupOf(coffee))?.shops.map((share) => share.shop)).toEqual([coffee]);
    await a.page.close();
    await b.page.close();
  });
});

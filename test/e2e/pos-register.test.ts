import type { Browser, FrameLocator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_SHOP, seedDemoShop } from '../../devstore/demo.js';
import { balanceOf } from '../../server/ledger/index.js';
import { ledgerEntryModel } from '../../server/ledger/store.js';
import { startTestApp, type TestApp } from '../support/app.js';
import { BROWSER_STEP_TIMEOUT_MS, launchBrowser } from '../support/browser.js';
import type { Program } from '../../server/program/index.js';
import { api, devstoreOf, sessionToken } from '../support/shopify.js';

const viewports = [
  { suffix: '', options: { viewport: { width: 1024, height: 900 } } },
  { suffix: '-phone', options: { viewport: { width: 390, height: 844 }, deviceScaleFactor: 2, isMobile: true, hasTouch: true } },
] as const;

/**
 * The demo coffee shop's register (`npm start` → /devstore → Point of sale), with Tally's POS
 * extension in its frames: a customer signed onto the sale, a free coffee redeemed onto the cart,
 * a refusal on screen, the sale charged and then partly refunded, and the balance the screen shows
 * checked against the ledger at each step, on a tablet and on a 390 px phone.
 */
describe('the devstore register runs Tally’s POS extension (docs/screenshots/pos-*.png)', () => {
  let app: TestApp;
  let browser: Browser;

  beforeAll(async () => {
    app = await startTestApp('pos-register-e2e');
    await seedDemoShop(devstoreOf(app), app.url);
    await app.worker.drain();
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    await app?.close();
  });

  const balance = async (customerId: number) => (await balanceOf(app.connection, DEMO_SHOP, String(customerId))).available;

  /** The register as a whole page; the modal as the screen shows it. */
  async function shot(page: Page, name: string, width: number, fullPage = true): Promise<void> {
    expect(await page.evaluate(() => document.documentElement.scrollWidth), `${name} scrolls sideways`).toBeLessThanOrEqual(width);
    await page.screenshot({ path: `docs/screenshots/${name}.png`, fullPage });
  }

  const tile = (page: Page) => page.frameLocator('iframe[data-extension="pos.home.tile.render"]').locator('s-tile');
  const modal = (page: Page): FrameLocator => page.frameLocator('iframe[data-extension="pos.home.modal.render"]');

  async function tileReads(page: Page, text: string): Promise<void> {
    await expect.poll(() => tile(page).getAttribute('subheading'), { timeout: 10_000 }).toBe(text);
  }

  for (const [index, { suffix, options }] of viewports.entries()) {
    const width = options.viewport.width;
    // Ada on the tablet, Grace on the phone: each run starts from the demo's own history.
    const customer =
      index === 0 ? { id: 7001001, name: 'Ada Lovelace', option: 'Ada Lovelace' } : { id: 7001002, name: 'Grace Hopper', option: 'Grace Hopper' };

    it(`${customer.name} at the counter${suffix ? ' on a phone' : ''}: sign on, redeem a free coffee, a refusal, charge, refund part, the balance at each step`, async () => {
      const page = await browser.newPage(options);
      page.setDefaultTimeout(BROWSER_STEP_TIMEOUT_MS);
      await page.goto(`${app.url}/devstore`);
      await page.click(`a[href="/devstore/shops/${DEMO_SHOP}/pos"]`);
      await page.waitForURL(/\/pos\/\w+$/);
      await tileReads(page, 'Look up or enrol a customer');
      // A cashier is pinned in: Sam Okafor (staff 9001), whom the program gives the default role.
      await Promise.all([page.waitForEvent('load'), page.selectOption('#staff', '9001')]);
      await tileReads(page, 'Look up or enrol a customer');

      await page.click('button.product:has-text("Flat white")');
      await page.click('button.product:has-text("Flat white")');
      await page.selectOption('#pick-customer', String(customer.id));
      const signedOn = await balance(customer.id);
      await tileReads(page, `${customer.name} · ${signedOn} points`);
      const block = page.frameLocator('iframe[data-extension="pos.customer-details.block.render"]');
      await expect.poll(() => block.locator('s-text[type=strong]').textContent()).toBe(`${signedOn} points`);
      expect(await block.locator('s-text', { hasText: 'Punch card' }).textContent()).toMatch(
        /^Punch card \d of 10 · \d+ more orders? to 50 bonus points$/,
      );
      await shot(page, `pos-register-customer${suffix}`, width);

      await tile(page).click();
      const sheet = modal(page);
      await sheet.locator('s-section[heading^="' + customer.name + '"]').waitFor();
      expect(await sheet.locator('s-section').first().getAttribute('heading')).toBe(`${customer.name} · ${signedOn} points`);
      await sheet.locator('s-stack[direction=inline]', { hasText: 'Free flat white' }).locator('s-button').click();
      await sheet.locator('s-banner[tone=success]').waitFor();
      expect(await sheet.locator('s-banner[tone=success]').textContent()).toMatch(
        new RegExp(`^Free flat white applied \\(TALLY-[\\w-]+\\)\\. Balance: ${signedOn - 50}\\.$`),
      );
      expect(await balance(customer.id)).toBe(signedOn - 50);
      await expect.poll(() => page.locator('#lines li').count()).toBe(3);
      expect(await page.locator('[data-discount]').textContent()).toMatch(/Discount TALLY-[\w-]+: −4\.50/);
      expect(await page.textContent('[data-total]')).toBe('9.00 USD');
      await sheet.locator('s-section[heading="On this sale"]').waitFor();
      await tileReads(page, `${customer.name} · ${signedOn - 50} points`);
      await shot(page, `pos-register-redeem${suffix}`, width, false);

      // The cashier asks for more than a cashier may adjust: refused on screen, nothing changes.
      await sheet.locator('s-number-field[label^="Points"] input').fill('500');
      await sheet.locator('s-text-field[label="Reason"] input').fill('Birthday goodwill');
      await sheet.locator('s-button', { hasText: 'Adjust' }).click();
      await sheet.locator('s-banner[tone=critical]').waitFor();
      expect(await sheet.locator('s-banner[tone=critical]').textContent()).toBe(
        'Cashier staff can adjust at most 100 points at a time; ask a manager for 500',
      );
      expect(await balance(customer.id)).toBe(signedOn - 50);
      await shot(page, `pos-register-refusal${suffix}`, width, false);
      await page.click('#close-modal');

      await page.click('#charge');
      await page.locator('#complete:not([hidden])').waitFor();
      await app.worker.drain();
      const paid = await balance(customer.id);
      // Three flat whites, one free: $9.00 earns 9 points (and the punch card's bonus if this is a tenth order).
      expect([signedOn - 50 + 9, signedOn - 50 + 9 + 50]).toContain(paid);
      const post = page.frameLocator('iframe[data-extension="pos.purchase.post.block.render"]');
      await expect
        .poll(() => post.locator('s-text').textContent(), { timeout: 15_000 })
        .toBe(`50 points spent. This sale earned ${paid - (signedOn - 50)} points. Balance: ${paid}.`);
      const redeemed = await ledgerEntryModel(app.connection)
        .findOne({ shop: DEMO_SHOP, customerId: String(customer.id), type: 'redeem', source: 'pos' })
        .lean();
      expect(redeemed).toMatchObject({ available: -50, staffId: '9001' });
      await shot(page, `pos-register-sale${suffix}`, width);

      await page.locator('#sales li').first().locator('button', { hasText: 'Refund 1 × Flat white' }).first().click();
      await expect.poll(async () => (await app.worker.drain(), balance(customer.id)), { timeout: 10_000 }).toBeLessThan(paid);
      const refunded = await balance(customer.id);
      // One of three lines, each carrying a third of the discount: $3.00 of $9.00 refunded takes 3 points back.
      expect(paid - refunded).toBe(3);
      await page.click('#new-sale');
      await page.selectOption('#pick-customer', String(customer.id));
      await tileReads(page, `${customer.name} · ${refunded} points`);
      await shot(page, `pos-register-refund${suffix}`, width);
      await page.close();
    }, 90_000);
  }

  it('a guest sale, then the modal without a customer: an email in use refused on screen, Alan found by name and signed on, the guest sale attached once', async () => {
    const page = await browser.newPage(viewports[0].options);
    page.setDefaultTimeout(BROWSER_STEP_TIMEOUT_MS);
    await page.goto(`${app.url}/devstore/shops/${DEMO_SHOP}/pos`);
    await page.waitForURL(/\/pos\/\w+$/);
    if (await page.locator('#remove-customer').count()) await page.click('#remove-customer');
    await tileReads(page, 'Look up or enrol a customer');
    await page.click('button.product:has-text("Croissant")');
    await page.click('#charge');
    await page.locator('#complete:not([hidden])').waitFor();
    await app.worker.drain();
    const post = page.frameLocator('iframe[data-extension="pos.purchase.post.block.render"]');
    await expect
      .poll(() => post.locator('s-text').textContent(), { timeout: 15_000 })
      .toMatch(/^No customer on this sale: attach one from the Tally tile until \d{4}-\d{2}-\d{2}\.$/);
    await page.click('#new-sale');

    await tile(page).click();
    const sheet = modal(page);
    await sheet.locator('s-text-field[label="First name"] input').fill('Ada');
    await sheet.locator('s-text-field[label="Last name"] input').fill('Again');
    await sheet.locator('s-email-field[label="Email"] input').fill('ada@example.com');
    await sheet.locator('s-button', { hasText: 'Enrol and add to the sale' }).click();
    await expect
      .poll(() => sheet.locator('s-banner[tone=critical]').textContent())
      .toBe('A customer with ada@example.com already exists: look them up instead');
    expect(await page.locator('#pick-customer').count()).toBe(1);

    const alan = 7001003;
    const before = await balance(alan);
    await sheet.locator('s-search-field input').fill('Alan');
    const match = sheet.locator('s-button', { hasText: 'Alan Turing' });
    expect(await match.textContent()).toBe(`Alan Turing · ${before} points`);
    await shot(page, 'pos-register-find', viewports[0].options.viewport.width, false);
    await match.click();
    await expect.poll(() => page.locator('[data-customer]').textContent()).toBe('Customer: Alan Turing');
    await sheet.locator(`s-section[heading="Alan Turing · ${before} points"]`).waitFor();

    const guest = sheet.locator('s-section[heading="Recent guest sales"] s-stack', { hasText: '3.50 USD' });
    await guest.locator('s-button', { hasText: 'Attach to Alan Turing' }).click();
    await sheet.locator('s-banner[tone=success]').waitFor();
    const after = await balance(alan);
    expect(after).toBeGreaterThan(before);
    expect(await sheet.locator('s-banner[tone=success]').textContent()).toMatch(new RegExp(`^#\\d+ attached: \\d+ points\\. Balance: ${after}\\.$`));
    await sheet.locator(`s-section[heading="Alan Turing · ${after} points"]`).waitFor();
    expect(await sheet.locator('s-section[heading="Recent guest sales"]').count()).toBe(0);
    await page.close();
  }, 60_000);

  it('the admin’s Point of sale card: staff seen at the register get a role, and the register then allows what the role allows', async () => {
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    page.setDefaultTimeout(BROWSER_STEP_TIMEOUT_MS);
    await page.goto(`${app.url}/devstore/shops/${DEMO_SHOP}/admin#/program`);
    const admin = page.frameLocator('#app');
    const card = admin.locator('#pos-settings');
    await card.getByText('Recent register activity').waitFor();
    expect(await card.textContent()).toMatch(/Staff 9001 \(signed in as Morgan Reyes\) redeemed -50 · Free flat white/);
    await card.getByLabel('Staff 9001').selectOption('manager');
    await card.getByLabel('Morgan Reyes').selectOption('manager');
    await card.getByLabel('Sales at the register earn').selectOption('own_rate');
    await card.getByLabel('Points per USD 1 at the register').fill('2');
    await card.screenshot({ path: 'docs/screenshots/admin-pos-settings.png' });
    await page.getByRole('button', { name: 'Save' }).click();
    await expect
      .poll(async () => ((await (await api(app, DEMO_SHOP, '/program')).json()) as Program).pos)
      .toMatchObject({
        earning: 'own_rate',
        pointsPerCurrencyUnit: 2,
        staff: expect.arrayContaining([
          { staffId: '9001', roleId: 'manager' },
          { staffId: '1', roleId: 'manager' },
        ]),
      });
    const adjusted = await fetch(`${app.url}/pos/customers/7001003/adjustments`, {
      method: 'POST',
      headers: {
        Authorization: `Bearer ${sessionToken(app, DEMO_SHOP, { userId: '1' })}`,
        'X-Tally-Staff-Member-Id': '9001',
        'Content-Type': 'application/json',
      },
      body: JSON.stringify({ points: 500, reason: 'Manager goodwill', requestKey: 'e2e-manager-500' }),
    });
    expect(adjusted.status).toBe(201);
    await page.close();
  }, 60_000);
});

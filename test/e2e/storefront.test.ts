import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Program } from '../../server/program/program.js';
import { redemptionModel } from '../../server/redemption/store.js';
import { startTestApp, type TestApp } from '../support/app.js';
import { BROWSER_STEP_TIMEOUT_MS, launchBrowser } from '../support/browser.js';
import { api, deliverAndDrain, devstoreOf, grantPoints, installShop } from '../support/shopify.js';

describe('storefront: the theme extension in the devstore online store', () => {
  let app: TestApp;
  let browser: Browser;
  const shop = 'storefront.myshopify.com';
  const customer = 7_300_001;
  let store: string;

  beforeAll(async () => {
    app = await startTestApp('storefront');
    const devstore = devstoreOf(app);
    devstore.ensureShop(shop, { name: 'Bean There' });
    await installShop(app, shop);
    devstore.addProduct(shop, { id: 901, title: 'Espresso beans', priceMinor: 1_450, tags: [], giftCard: false });
    await deliverAndDrain(app, [devstore.addCustomer(shop, { id: customer, firstName: 'Rosa', lastName: 'Parks', email: 'rosa@example.com' })]);
    await grantPoints(app, shop, customer, 600);
    store = `${app.url}/devstore/shops/${shop}/storefront`;
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    await app?.close();
  });

  async function openLauncher(page: Page): Promise<void> {
    await page.click('.tally__button');
    await page.waitForSelector('.tally__panel:not([hidden]) h3');
  }

  it('a guest sees "earn N points" on the product without a request, and the program in the launcher after one cacheable request', async () => {
    const page = await browser.newPage();
    const proxyCalls: string[] = [];
    page.on('request', (request) => {
      if (request.url().includes('/apps/loyalty/')) proxyCalls.push(request.url());
    });
    await page.goto(`${store}/products/901`);
    expect(await page.textContent('.tally-earn')).toBe('Earn 14 points with this purchase');
    await page.waitForLoadState('networkidle');
    expect(proxyCalls).toEqual([]);
    await openLauncher(page);
    const panel = await page.textContent('.tally__panel');
    expect(panel).toContain('Join our rewards program');
    expect(await page.textContent('[data-way=purchase]')).toBe('Earn points on every order: 1 per $1 spent');
    // A guest can afford nothing: the cheapest reward first.
    expect(await page.$$eval('.tally__reward', (rows) => rows.map((row) => row.textContent))).toEqual([
      'Free shipping300 points',
      '$5 off your order500 points',
    ]);
    expect(await page.getAttribute('.tally__panel a.tally__cta', 'href')).toBe(`/devstore/shops/${shop}/storefront/account/login`);
    expect(proxyCalls).toHaveLength(1);
    await page.close();
  });

  it('a signed-in customer sees the balance, redeems, applies the code at checkout, and the code is used', async () => {
    const page = await browser.newPage();
    page.setDefaultTimeout(BROWSER_STEP_TIMEOUT_MS);
    // Seen as a guest first: the cacheable guest view must not be what the signed-in customer gets.
    await page.goto(`${store}/products/901`);
    await openLauncher(page);
    await page.goto(`${store}/account`);
    await page.selectOption('select[name=customerId]', String(customer));
    await page.click('button[type=submit]');
    await page.waitForSelector('[data-tally-account] ul');
    expect(await page.textContent('[data-tally-account-body]')).toBe('600 points available');
    await page.waitForFunction(() => document.querySelector('.tally__label')?.textContent === '600 points available');

    await page.goto(`${store}/products/901`);
    await page.click('button:has-text("Add to cart")');
    await page.waitForURL(/\/cart$/);
    expect(await page.textContent('.tally-earn')).toBe("You'll earn 14 points with this order");

    await openLauncher(page);
    await page.click('[data-reward="five-off"]');
    await page.click('[data-confirm="five-off"]');
    // The new code appears where the shopper clicked, with the focus on it.
    await page.waitForSelector('[data-tally-outcome="five-off"] code');
    const code = (await page.textContent('[data-tally-outcome] code'))!;
    expect(await page.evaluate(() => document.activeElement?.getAttribute('data-tally-outcome'))).toBe('five-off');
    expect(code).toMatch(/^TALLY-/);
    expect(await page.textContent('[data-tally-balance]')).toBe('100 points available');
    await page.click('[data-tally-outcome] a');
    await page.waitForURL(/\/cart$/);
    expect(await page.inputValue('input[name=discountCode]')).toBe(code);

    await page.click('button:has-text("Check out")');
    await page.click('button:has-text("Pay now")');
    await page.waitForSelector('[data-order-id]');
    expect(await page.textContent('main')).toContain(`Discount ${code} applied: −5.00 USD`);
    await app.worker.drain();

    expect(await redemptionModel(app.connection).findOne({ shop, code }).lean()).toMatchObject({ status: 'used' });
    await page.goto(`${store}/account`);
    await page.waitForSelector('[data-tally-account] ul');
    expect(await page.textContent('[data-tally-account-body]')).toBe('109 points available');
    await openLauncher(page);
    expect(await page.$('.tally__code')).toBeNull();
    await page.close();
  });

  it('the page paints before Tally asks for anything, and nothing on it moves when the core arrives: a guest on the product and cart pages, a signed-in shopper on the product page', async () => {
    const context = await browser.newContext({ viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true });
    const page = await context.newPage();
    page.setDefaultTimeout(BROWSER_STEP_TIMEOUT_MS);
    // Layout shifts and paints from the page's first moment, before any of the page's own scripts.
    await context.addInitScript(() => {
      const seen: { shifts: number[]; paint?: number } = { shifts: [] };
      (window as unknown as { __seen: typeof seen }).__seen = seen;
      new PerformanceObserver((list) => {
        for (const entry of list.getEntries()) seen.shifts.push((entry as PerformanceEntry & { value: number }).value);
      }).observe({ type: 'layout-shift', buffered: true });
      new PerformanceObserver((list) => {
        const paint = list.getEntriesByName('first-contentful-paint')[0];
        if (paint) seen.paint = paint.startTime;
      }).observe({ type: 'paint', buffered: true });
    });
    const visit = async (url: string) => {
      const html = await (await page.goto(url))!.text();
      // Nothing of Tally's in the head: no stylesheet or script there holds the first paint.
      expect(html.slice(0, html.indexOf('<body'))).not.toMatch(/theme-assets/);
      // The core has started and its idle work (colours, referral) has run.
      await page.waitForFunction(() => (window as unknown as { Tally?: { t?: unknown } }).Tally?.t !== undefined);
      await page.evaluate(() => new Promise((resolve) => requestIdleCallback(() => setTimeout(resolve, 100), { timeout: 3_000 })));
      return page.evaluate(() => {
        const seen = (window as unknown as { __seen: { shifts: number[]; paint?: number } }).__seen;
        const core = performance.getEntriesByType('resource').find((entry) => /\/theme-assets\/tally\.js/.test(entry.name));
        return { shifts: seen.shifts, paint: seen.paint ?? null, coreRequested: core?.startTime ?? null };
      });
    };
    const check = (seen: { shifts: number[]; paint: number | null; coreRequested: number | null }, where: string) => {
      expect(seen.shifts, where).toEqual([]);
      expect(seen.paint, where).not.toBeNull();
      expect(seen.coreRequested, where).not.toBeNull();
      expect(seen.coreRequested!, where).toBeGreaterThan(seen.paint!);
    };
    check(await visit(`${store}/products/901`), 'guest, product');
    await page.click('button:has-text("Add to cart")');
    await page.waitForURL(/\/cart$/);
    check(await visit(`${store}/cart`), 'guest, cart');
    await page.goto(`${store}/account`);
    await page.selectOption('select[name=customerId]', String(customer));
    await page.click('button[type=submit]');
    await page.waitForSelector('[data-tally-account] ul');
    check(await visit(`${store}/products/901`), 'signed in, product');
    await page.waitForFunction(() => /available$/.test(document.querySelector('.tally__label')?.textContent ?? ''));
    const shifts = await page.evaluate(() => (window as unknown as { __seen: { shifts: number[] } }).__seen.shifts);
    expect(shifts, 'signed in, product, with the balance on the button').toEqual([]);
    await context.close();
  });

  it('the launcher takes the colours and position set in the admin', async () => {
    const program = (await (await api(app, shop, '/program')).json()) as Program;
    const saved = await api(app, shop, '/program', {
      method: 'PUT',
      body: { ...program, widget: { ...program.widget, primaryColor: '#aa3300', position: 'bottom-left' } },
    });
    expect(saved.status).toBe(200);
    const page = await browser.newPage();
    await page.goto(`${store}/products/901`);
    expect(await page.getAttribute('#tally-launcher', 'class')).toContain('tally--bottom-left');
    expect(await page.$eval('.tally__button', (button) => getComputedStyle(button).backgroundColor)).toBe('rgb(170, 51, 0)');
    await page.close();
  });

  it('the launcher speaks the storefront language when the merchant offers it', async () => {
    const program = (await (await api(app, shop, '/program')).json()) as Program;
    expect(
      (await api(app, shop, '/program', { method: 'PUT', body: { ...program, widget: { ...program.widget, languages: ['en', 'fr'] } } })).status,
    ).toBe(200);
    const page = await browser.newPage();
    await page.goto(`${store}/fr/products/901`);
    expect(await page.textContent('.tally-earn')).toBe('Gagnez 14 points avec cet achat');
    expect(await page.textContent('.tally__label')).toBe('Récompenses');
    await page.close();
  });
});

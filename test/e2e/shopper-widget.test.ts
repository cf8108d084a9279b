import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { entryForKey, ledgerKeys } from '../../server/ledger/index.js';
import type { Program } from '../../server/program/program.js';
import { startTestApp, type TestApp } from '../support/app.js';
import { BROWSER_STEP_TIMEOUT_MS, launchBrowser } from '../support/browser.js';
import { api, deliverAndDrain, devstoreOf, grantPoints, installShop, proxy } from '../support/shopify.js';

/** The shopper's widget in the devstore storefront: what a shopper reads and clicks, in a real browser. */
describe('shopper widget', () => {
  let app: TestApp;
  let browser: Browser;
  const shop = 'shopper-widget.myshopify.com';
  const ada = 7_400_001;
  const grace = 7_400_002;
  let store: string;

  beforeAll(async () => {
    app = await startTestApp('shopper-widget');
    const devstore = devstoreOf(app);
    devstore.ensureShop(shop, { name: 'Widget Roasters' });
    await installShop(app, shop);
    devstore.addProduct(shop, { id: 951, title: 'Ceramic mug', priceMinor: 2_200, tags: [], giftCard: false });
    await deliverAndDrain(app, [
      devstore.addCustomer(shop, { id: ada, firstName: 'Ada', lastName: 'Lovelace', email: 'ada@example.com' }),
      devstore.addCustomer(shop, { id: grace, firstName: 'Grace', lastName: 'Hopper', email: 'grace@example.com' }),
    ]);
    await grantPoints(app, shop, ada, 565);
    await grantPoints(app, shop, grace, 1_000);
    store = `${app.url}/devstore/shops/${shop}/storefront`;
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    await app?.close();
  });

  async function signedIn(customerId: number, viewport = { width: 1100, height: 900 }): Promise<Page> {
    const page = await browser.newPage({ viewport });
    page.setDefaultTimeout(BROWSER_STEP_TIMEOUT_MS);
    await page.goto(`${store}/account`);
    await page.selectOption('select[name=customerId]', String(customerId));
    await page.click('button[type=submit]');
    await page.waitForSelector('[data-tally-history]');
    return page;
  }
  async function openLauncher(page: Page): Promise<void> {
    await page.click('.tally__button');
    await page.waitForSelector('.tally__panel:not([hidden]) h3');
  }
  async function saveProgram(change: (program: Program) => Program): Promise<void> {
    const program = (await (await api(app, shop, '/program')).json()) as Program;
    const saved = await api(app, shop, '/program', { method: 'PUT', body: change(program) });
    expect(saved.status).toBe(200);
  }

  it('asks before spending points, then the launcher button, the panel and the account block show one balance', async () => {
    const page = await signedIn(ada);
    const redemptions: string[] = [];
    page.on('request', (request) => {
      if (request.method() === 'POST' && request.url().includes('/apps/loyalty/redemptions')) redemptions.push(request.url());
    });
    await page.waitForFunction(() => document.querySelector('.tally__label')?.textContent === '565 points available');
    await openLauncher(page);
    await page.click('[data-reward="five-off"]');
    expect(await page.textContent('.tally__confirm p')).toBe('Redeem 500 points for $5 off your order?');
    await page.click('.tally__confirm button:has-text("Cancel")');
    expect(await page.$('.tally__confirm')).toBeNull();
    expect(redemptions).toEqual([]);

    await page.click('[data-reward="five-off"]');
    await page.click('[data-confirm="five-off"]');
    await page.waitForSelector('[data-tally-outcome] code');
    expect(redemptions).toHaveLength(1);
    expect(await page.textContent('[data-tally-balance]')).toBe('65 points available');
    expect(await page.textContent('.tally__label')).toBe('65 points available');
    expect(await page.textContent('[data-tally-account-body]')).toBe('65 points available');
    expect(await page.textContent('[data-tally-history] li')).toMatch(/^Redeemed: \$5 off your order-500 · /);
    await page.close();
  });

  it('the product estimate follows the quantity field', async () => {
    const page = await browser.newPage();
    await page.goto(`${store}/products/951`);
    expect(await page.textContent('.tally-earn')).toBe('Earn 22 points with this purchase');
    await page.fill('input[name=quantity]', '3');
    expect(await page.textContent('.tally-earn')).toBe('Earn 66 points with this purchase');
    await page.close();
  });

  it('the cart estimate counts the applied code, and the order credits exactly the estimate', async () => {
    const redeemed = await proxy(app, shop, '/redemptions', {
      customerId: grace,
      method: 'POST',
      body: { rewardId: 'five-off', requestKey: 'cart-estimate-1' },
    });
    const { code } = (await redeemed.json()) as { code: string };
    const page = await signedIn(grace);
    await page.goto(`${store}/products/951`);
    await page.fill('input[name=quantity]', '2');
    await page.click('button:has-text("Add to cart")');
    await page.waitForURL(/\/cart$/);
    expect(await page.textContent('.tally-earn')).toBe("You'll earn 44 points with this order");
    await page.fill('input[name=discountCode]', code);
    await page.click('button:has-text("Apply")');
    await page.waitForSelector('[data-summary-code]');
    expect(await page.textContent('.tally-earn')).toBe("You'll earn 39 points with this order");

    await page.click('button:has-text("Check out")');
    await page.click('button:has-text("Pay now")');
    const orderId = (await page.getAttribute('[data-order-id]', 'data-order-id'))!;
    await app.worker.drain();
    expect((await entryForKey(app.connection, shop, ledgerKeys.orderEarned(orderId)))?.available).toBe(39);
    await page.close();
  });

  it('history reads as purchases and refunds in words, with the order’s name and never its raw id', async () => {
    const devstore = devstoreOf(app);
    const order = devstore.createOrder(shop, { customerId: grace, lines: [{ productId: 951, quantity: 2 }] });
    await deliverAndDrain(app, [...devstore.pay(shop, order.id), ...devstore.refund(shop, order.id, [{ lineId: order.lines[0]!.id, quantity: 1 }])]);
    const page = await signedIn(grace);
    const history = await page.$$eval('[data-tally-history] li', (items) => items.map((item) => item.textContent ?? ''));
    expect(history.slice(0, 2).map((line) => line.replace(/ · .*$/, ''))).toEqual([
      `Refund on order #${order.number}-22`,
      `Order #${order.number}+44`,
    ]);
    expect(history.join('\n')).not.toContain(String(order.id));
    await page.close();
  });

  it('on a 390 px phone the open panel stays inside the screen', async () => {
    const page = await signedIn(grace, { width: 390, height: 844 });
    await page.goto(`${store}/products/951`);
    await openLauncher(page);
    const box = (await page.$eval('.tally__panel', (panel) => panel.getBoundingClientRect().toJSON())) as DOMRect;
    expect(box.left).toBeGreaterThanOrEqual(0);
    expect(box.right).toBeLessThanOrEqual(390);
    expect(box.top).toBeGreaterThanOrEqual(0);
    await page.close();
  });

  it('tier progress shows in the account block and the launcher, in the shop’s money', async () => {
    await saveProgram((program) => ({
      ...program,
      tiers: [
        {
          id: 'bronze',
          name: 'Bronze',
          threshold: 0,
          earnMultiplier: 1,
          entryReward: 0,
          perks: { rewardDiscountPercent: 0, freeShipping: false, birthdayBonus: 0 },
        },
        {
          id: 'gold',
          name: 'Gold',
          threshold: 100_000,
          earnMultiplier: 2,
          entryReward: 0,
          perks: { rewardDiscountPercent: 0, freeShipping: false, birthdayBonus: 0 },
        },
      ],
      tierRules: { ...program.tierRules, metric: 'spend', period: 'lifetime' },
    }));
    const page = await signedIn(grace);
    await page.waitForSelector('[data-tally-account] .tally__tiers');
    expect(await page.textContent('[data-tally-account] [data-tally-tier]')).toBe('Your tier: Bronze');
    expect(await page.textContent('[data-tally-account] .tally__tiers .tally__muted')).toMatch(/^\$[\d,]+\.\d\d more to reach Gold$/);
    expect(await page.getAttribute('[data-tally-account] progress', 'max')).toBe('100000');
    await openLauncher(page);
    expect(await page.textContent('.tally__panel [data-tally-tier]')).toBe('Your tier: Bronze');
    await page.close();
    await saveProgram((program) => ({ ...program, tiers: [] }));
  });

  it('a renamed currency is used on every surface', async () => {
    await saveProgram((program) => ({ ...program, pointsName: 'Beans' }));
    const page = await signedIn(ada);
    expect(await page.textContent('[data-tally-account-body]')).toBe('65 Beans available');
    await page.goto(`${store}/products/951`);
    expect(await page.textContent('.tally-earn')).toBe('Earn 22 Beans with this purchase');
    await page.waitForFunction(() => document.querySelector('.tally__label')?.textContent === '65 Beans available');
    await openLauncher(page);
    const panel = (await page.textContent('.tally__panel'))!;
    expect(panel).toContain('65 Beans available');
    expect(panel).toContain('Earn Beans on every order: 1 per $1 spent');
    expect(panel).toContain('500 Beans');
    expect(panel).toContain('435 more Beans needed');
    expect(panel).not.toMatch(/\bpoints?\b/i);
    await page.close();
    await saveProgram((program) => ({ ...program, pointsName: 'points' }));
  });

  it('speaks French, with the rules and history in French, when the merchant chose French', async () => {
    await saveProgram((program) => ({ ...program, widget: { ...program.widget, languages: ['en', 'fr'] } }));
    const page = await signedIn(grace);
    await page.goto(`${store}/fr/account`);
    await page.waitForSelector('[data-tally-history]');
    const history = await page.$$eval('[data-tally-history] li span:first-child', (items) => items.map((item) => item.textContent));
    expect(history).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^Remboursement de la commande #1\d{3}$/),
        expect.stringMatching(/^Commande #1\d{3}$/),
        'Ajustement par la boutique: test grant',
      ]),
    );
    await openLauncher(page);
    expect(await page.textContent('[data-way=purchase]')).toMatch(/^Gagnez des points à chaque commande : 1 par tranche de 1\s\$US$/);
    await page.close();
  });

  it('stays in English on a French storefront when the merchant chose English only', async () => {
    await saveProgram((program) => ({ ...program, widget: { ...program.widget, languages: ['en'] } }));
    const english = await browser.newPage();
    await english.goto(`${store}/products/951`);
    await openLauncher(english);
    const page = await browser.newPage();
    await page.goto(`${store}/fr/products/951`);
    await openLauncher(page);
    expect(await page.textContent('.tally__panel')).toBe(await english.textContent('.tally__panel'));
    expect(await page.textContent('.tally__label')).toBe('Rewards');
    expect(await page.textContent('.tally-earn')).toBe('Earn 22 points with this purchase');
    await Promise.all([page.close(), english.close()]);
  });
});

import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { balanceOf, entryForKey, ledgerKeys } from '../../server/ledger/index.js';
import type { Program } from '../../server/program/program.js';
import { issueOffers, rewardAction, surveyPeriod } from '../../server/engagement/index.js';
import { loadProgram } from '../../server/program/index.js';
import { startTestApp, type TestApp } from '../support/app.js';
import { saveOfferSettings } from '../engagement/harness.js';
import { BROWSER_STEP_TIMEOUT_MS, launchBrowser } from '../support/browser.js';
import { api, deliverAndDrain, devstoreOf, grantPoints, installShop, proxy } from '../support/shopify.js';

const DAY = 86_400_000;
const viewports = [
  { suffix: '', customer: 7_500_001, options: { viewport: { width: 1280, height: 900 } } },
  {
    suffix: '-phone',
    customer: 7_500_002,
    options: { viewport: { width: 390, height: 844 }, deviceScaleFactor: 2, isMobile: true, hasTouch: true },
  },
] as const;

/**
 * Engagement in the devstore storefront (docs/engagement.md): ways to earn beyond orders, the
 * referral link, the NPS survey, badges, donations and transfers in the launcher and the account
 * block, and a referred visitor's cart attribute reaching the order. Photographed into
 * docs/screenshots/engagement-*.png on a desktop and a 390 px phone.
 */
describe('engagement in the storefront', () => {
  let app: TestApp;
  let browser: Browser;
  const shop = 'engagement-storefront.myshopify.com';
  const [ada, grace] = [viewports[0].customer, viewports[1].customer];
  const friend = 7_500_003;
  let store: string;

  beforeAll(async () => {
    app = await startTestApp('engagement-storefront');
    const devstore = devstoreOf(app);
    devstore.ensureShop(shop, { name: 'Harbour Coffee' });
    await installShop(app, shop);
    devstore.addProduct(shop, { id: 961, title: 'House blend', priceMinor: 1_800, tags: [], giftCard: false });
    await deliverAndDrain(app, [
      devstore.addCustomer(shop, { id: ada, firstName: 'Ada', lastName: 'Lovelace', email: 'ada@example.com' }),
      devstore.addCustomer(shop, { id: grace, firstName: 'Grace', lastName: 'Hopper', email: 'grace@example.com' }),
      devstore.addCustomer(shop, { id: friend, firstName: 'Linus', lastName: 'Pauling', email: 'linus@example.org' }),
    ]);
    const now = Date.now();
    const program = (await (await api(app, shop, '/program')).json()) as Program;
    const saved = await api(app, shop, '/program', {
      method: 'PUT',
      body: {
        ...program,
        causes: [{ id: 'reef', name: 'Coral reef restoration', description: 'Replanting reefs', enabled: true, moneyPer1000Points: 500 }],
        challenges: [
          {
            id: 'three-orders',
            name: 'Three orders this month',
            orders: 3,
            points: 200,
            startsAt: new Date(now - 5 * DAY).toISOString(),
            endsAt: new Date(now + 20 * DAY).toISOString(),
          },
        ],
      } satisfies Program,
    });
    expect(saved.status).toBe(200);
    const surveys = await api(app, shop, '/engagement/surveys', {
      method: 'PUT',
      body: {
        version: 0,
        surveys: [
          {
            id: 'roast',
            title: 'Our new roast',
            enabled: true,
            points: 40,
            periodDays: 30,
            questions: [
              { id: 'strength', label: 'Strength', low: 'Too mild', high: 'Too strong' },
              { id: 'aroma', label: 'Aroma', low: 'Faint', high: 'Rich' },
            ],
          },
        ],
      },
    });
    expect(surveys.status).toBe(200);
    for (const customerId of [ada, grace]) {
      const order = devstore.createOrder(shop, { customerId, lines: [{ productId: 961 }] });
      await deliverAndDrain(app, devstore.pay(shop, order.id));
      await grantPoints(app, shop, customerId, 1_000);
    }
    store = `${app.url}/devstore/shops/${shop}/storefront`;
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    await app?.close();
  });

  async function signedIn(context: BrowserContext, customerId: number): Promise<Page> {
    const page = await context.newPage();
    page.setDefaultTimeout(BROWSER_STEP_TIMEOUT_MS);
    await page.goto(`${store}/account`);
    await page.selectOption('select[name=customerId]', String(customerId));
    await page.click('button[type=submit]');
    await page.waitForSelector('.tally-account [data-tally-referral]');
    return page;
  }
  async function openLauncher(page: Page): Promise<void> {
    await page.click('.tally__button');
    await page.waitForSelector('.tally__panel [data-tally-referral]');
  }
  async function shot(page: Page, name: string, width: number): Promise<void> {
    expect(await page.evaluate(() => document.documentElement.scrollWidth), `${name} scrolls sideways`).toBeLessThanOrEqual(width);
    await page.screenshot({ path: `docs/screenshots/${name}.png` });
  }
  const balance = async (customerId: number) => (await balanceOf(app.connection, shop, String(customerId))).available;

  for (const { suffix, customer, options } of viewports) {
    const width = options.viewport.width;

    it(`a shopper${suffix ? ' on a phone' : ''} sees ways to earn, claims one, copies the referral link and answers the survey for points`, async () => {
      const context = await browser.newContext({ ...options, permissions: ['clipboard-read', 'clipboard-write'] });
      const page = await signedIn(context, customer);
      await shot(page, `engagement-account${suffix}`, width);
      const start = await balance(customer);
      await openLauncher(page);
      const panel = page.locator('.tally__panel');

      expect(await panel.locator('[data-action="newsletter"]').textContent()).toBe('Join our newsletter: +50 pointsClaim');
      expect(await panel.locator('[data-action="follow-instagram"] span').textContent()).toBe('Follow us on Instagram: +25 points');
      expect(await panel.locator('[data-action="review"]').textContent()).toBe('Review a product: +50 points (up to 5 a month)');
      expect(await panel.locator('[data-badge="first-order"]').getAttribute('data-earned')).toBe('true');
      expect(await panel.locator('[data-badge="five-orders"]').getAttribute('data-earned')).toBe('false');
      expect(await panel.locator('[data-challenge="three-orders"] progress').getAttribute('value')).toBe('1');
      await panel.locator('[data-tally-referral]').scrollIntoViewIfNeeded();
      await shot(page, `engagement-launcher${suffix}`, width);

      await panel.locator('[data-action="newsletter"] button').click();
      await page.waitForSelector(`.tally__panel [data-tally-balance="${start + 50}"]`);
      expect(await panel.locator('[data-tally-flash]').textContent()).toBe('Thank you! +50 points');
      expect(await panel.locator('[data-action="newsletter"]').textContent()).toBe('Join our newsletter: +50 points✓ Done');

      const { code } = (await (await proxy(app, shop, '/referral', { customerId: customer })).json()) as { code: string };
      const referral = panel.locator(`[data-tally-referral="${code}"]`);
      expect(await referral.locator('p').textContent()).toBe('Give friends 10% off their first order and get 500 points when they buy');
      await referral.locator('button:has-text("Copy")').click();
      await referral.locator('button:has-text("Copied")').waitFor();
      const copied = await page.evaluate(() => navigator.clipboard.readText());
      expect(copied).toBe(
        `${new URL(store).origin}${new URL(store).pathname}/discount/${code}?redirect=${encodeURIComponent(`${new URL(store).pathname}/?tally_ref=${code}`)}`,
      );

      const survey = panel.locator('[data-tally-form="nps"]');
      await survey.scrollIntoViewIfNeeded();
      await survey.locator('button:has-text("Send")').click();
      expect(await survey.locator('[role=alert]').textContent()).toBe('Pick a score from 0 to 10');
      await survey.locator('[data-score="9"]').click();
      await survey.locator('textarea').fill(`Lovely beans${suffix}`);
      await shot(page, `engagement-survey${suffix}`, width);
      await survey.locator('button:has-text("Send")').click();
      await page.waitForSelector(`.tally__panel [data-tally-balance="${start + 75}"]`);
      expect(await panel.locator('[data-tally-flash]').textContent()).toBe('Thank you! +25 points');
      expect(await panel.locator('[data-tally-form="nps"]').count()).toBe(0);
      await shot(page, `engagement-thanks${suffix}`, width);

      const roast = panel.locator('[data-tally-form="survey-roast"]');
      expect(await roast.locator('h3').textContent()).toBe('Our new roast · +40 points');
      await roast.locator('input[aria-label="Strength"]').fill('8');
      expect(await roast.locator('input[aria-label="Aroma"]').inputValue()).toBe('5');
      await roast.scrollIntoViewIfNeeded();
      await shot(page, `engagement-slider-survey${suffix}`, width);
      await roast.locator('button:has-text("Send")').click();
      await page.waitForSelector(`.tally__panel [data-tally-balance="${start + 115}"]`);
      expect(await panel.locator('[data-tally-form="survey-roast"]').count()).toBe(0);
      const results = (await (await api(app, shop, '/engagement/surveys')).json()) as {
        results: Array<{ id: string; questions: Array<{ id: string; counts: number[] }> }>;
      };
      const roastResults = results.results.find((result) => result.id === 'roast')!;
      const counts = (id: string) => roastResults.questions.find((question) => question.id === id)!.counts;
      // Each viewport's shopper answers once: (8, untouched 5) each time.
      expect([counts('strength')[8], counts('aroma')[5]]).toEqual([suffix ? 2 : 1, suffix ? 2 : 1]);

      const period = surveyPeriod(new Date(), 90);
      expect((await entryForKey(app.connection, shop, ledgerKeys.surveyAnswered(String(customer), 'nps', period)))?.available).toBe(25);
      expect(await balance(customer)).toBe(start + 115);
      const nps = (await (await api(app, shop, '/nps')).json()) as { comments: Array<{ score: number; comment: string }> };
      expect(nps.comments).toContainEqual(expect.objectContaining({ score: 9, comment: `Lovely beans${suffix}` }));
      await context.close();
    });
  }

  it('a shopper sees a birthday offer, gives points to a cause and sends points to a friend by member number, once each', async () => {
    await saveOfferSettings(app, shop);
    const program = (await loadProgram(app.connection, shop))!;
    const now = new Date();
    await rewardAction(app.ctx, program, shop, String(ada), { type: 'birthday', birthday: now.toISOString().slice(5, 10) }, now);
    expect((await issueOffers(app.ctx, shop, now)).map((offer) => offer.customerId)).toEqual([String(ada)]);

    const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    const page = await signedIn(context, ada);
    const [adaBefore, graceBefore] = [await balance(ada), await balance(grace)];
    await openLauncher(page);
    const panel = page.locator('.tally__panel');
    expect(await panel.locator('[data-tally-offer="birthday"]').textContent()).toMatch(
      /^Happy birthday month: \+150 points on your next order by [A-Z][a-z]{2} \d{1,2}$/,
    );
    expect(await panel.locator('[data-tally-form="transfer"] p').first().textContent()).toBe(`Your member number: ${ada}`);

    const donate = panel.locator('[data-tally-form="donate"]');
    await donate.locator('input').fill('200');
    await donate.locator('button').click();
    await page.waitForSelector(`.tally__panel [data-tally-balance="${adaBefore - 200}"]`);
    expect(await panel.locator('[data-tally-flash]').textContent()).toBe('Thank you! 200 points given to Coral reef restoration');

    const transfer = panel.locator('[data-tally-form="transfer"]');
    await transfer.locator('input').first().fill(String(grace));
    await transfer.locator('input[type=number]').fill('150');
    await transfer.locator('button').click();
    await page.waitForSelector(`.tally__panel [data-tally-balance="${adaBefore - 350}"]`);
    expect(await panel.locator('[data-tally-flash]').textContent()).toBe('Sent 150 points');
    expect([await balance(ada), await balance(grace)]).toEqual([adaBefore - 350, graceBefore + 150]);

    await transfer.locator('input[type=number]').fill(String(adaBefore * 10));
    await transfer.locator('input').first().fill(String(grace));
    await transfer.locator('button').click();
    await transfer.locator('[role=alert]:not(:empty)').waitFor();
    expect(await balance(ada)).toBe(adaBefore - 350);
    const causes = (await (await api(app, shop, '/causes')).json()) as { causes: Array<{ id: string; points: number; money: number }> };
    expect(causes.causes).toContainEqual(expect.objectContaining({ id: 'reef', points: 200, money: 100 }));
    await context.close();
  });

  it('a visitor arriving with ?tally_ref carries the code on the cart, and the order it places is the referral', async () => {
    const { code } = (await (await proxy(app, shop, '/referral', { customerId: ada })).json()) as { code: string };
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    const page = await context.newPage();
    page.setDefaultTimeout(BROWSER_STEP_TIMEOUT_MS);
    const path = new URL(store).pathname;
    const updated = page.waitForResponse((response) => response.url().endsWith('/cart/update.js') && response.ok());
    await page.goto(`${store}/discount/${code}?redirect=${encodeURIComponent(`${path}/?tally_ref=${code}`)}`);
    expect(((await (await updated).json()) as { attributes: Record<string, string> }).attributes).toEqual({ tally_referral: code });

    await page.goto(`${store}/account`);
    await page.selectOption('select[name=customerId]', String(friend));
    await page.click('button[type=submit]');
    await page.goto(`${store}/products/961`);
    await page.click('button:has-text("Add to cart")');
    await page.waitForURL(/\/cart$/);
    const config = JSON.parse((await page.textContent('[data-tally-config]'))!) as { referral: string };
    expect(config.referral).toBe(code);
    await page.click('button:has-text("Check out")');
    await page.click('button:has-text("Pay now")');
    const orderId = (await page.getAttribute('[data-order-id]', 'data-order-id'))!;
    await app.worker.drain();
    const { referrals } = (await (await api(app, shop, '/referrals')).json()) as {
      referrals: Array<{ friendId: string; referrerId: string; code: string; via: string; orderId: string }>;
    };
    expect(referrals).toContainEqual(expect.objectContaining({ friendId: String(friend), referrerId: String(ada), code, via: 'attribute', orderId }));
    await context.close();
  });
});

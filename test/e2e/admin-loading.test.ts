import type { Browser, FrameLocator, Page, Route as RequestRoute } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Program } from '../../server/program/program.js';
import { ADMIN_DIST } from '../../server/admin-ui/index.js';
import { adminChunks } from '../../scripts/admin-chunks.js';
import { startTestApp, type TestApp } from '../support/app.js';
import { BROWSER_STEP_TIMEOUT_MS, launchBrowser } from '../support/browser.js';
import { api, installShop } from '../support/shopify.js';

const SHOP = 'admin-loading.myshopify.com';
const DESKTOP = { width: 1366, height: 768 };
const PHONE = { width: 390, height: 844 };

/** Each page loaded on demand, its tab, an element that shows it has arrived, and whether its header has actions. */
const LAZY_PAGES = [
  { source: 'src/pages/ProgramPage.tsx', tab: 'Program', ready: '#economics-give-back', actions: false },
  { source: 'src/pages/engagement/EngagementPage.tsx', tab: 'Engagement', ready: 'text=Ways to earn beyond orders', actions: false },
  { source: 'src/pages/CustomersPage.tsx', tab: 'Customers', ready: 'input[placeholder^="Search"]', actions: false },
  { source: 'src/pages/ActivityPage.tsx', tab: 'Activity', ready: 'text=Webhook deliveries', actions: true },
  { source: 'src/pages/analytics/AnalyticsPage.tsx', tab: 'Analytics', ready: 'text=Period', actions: true },
  { source: 'src/pages/imports/ImportsPage.tsx', tab: 'Imports', ready: 'text=Preview first (dry run)', actions: false },
] as const;

type Box = { x: number; y: number; width: number; height: number };

describe('the admin loads Home first and every other page on demand, without a jump', () => {
  let app: TestApp;
  let browser: Browser;
  const chunks = adminChunks(ADMIN_DIST);
  const assetPath = (file: string) => `/${file}`;

  beforeAll(async () => {
    app = await startTestApp('admin-loading');
    browser = await launchBrowser();
    await installShop(app, SHOP);
    const program = (await (await api(app, SHOP, '/program')).json()) as Program;
    expect((await api(app, SHOP, '/program', { method: 'PUT', body: { ...program, onboarded: true } })).status).toBe(200);
  });
  afterAll(async () => {
    await browser?.close();
    await app?.close();
  });

  /** A browser page that records the admin's script requests; `open` loads the admin in the devstore's frame. */
  async function adminPage(
    viewport: typeof DESKTOP,
  ): Promise<{ page: Page; frame: FrameLocator; scripts: string[]; open(hash?: string): Promise<unknown> }> {
    const page = await browser.newPage({ viewport });
    page.setDefaultTimeout(BROWSER_STEP_TIMEOUT_MS);
    const scripts: string[] = [];
    page.on('request', (request) => {
      const url = new URL(request.url());
      if (url.pathname.startsWith('/assets/') && url.pathname.endsWith('.js')) scripts.push(url.pathname);
    });
    const open = (hash = '') => page.goto(`${app.url}/devstore/shops/${SHOP}/admin${hash}`);
    return { page, frame: page.frameLocator('#app'), scripts, open };
  }

  async function openAdmin(viewport: typeof DESKTOP): Promise<{ page: Page; frame: FrameLocator; scripts: string[] }> {
    const admin = await adminPage(viewport);
    await admin.open();
    return admin;
  }

  /** Holds every request for these files until `release` is called. */
  async function hold(page: Page, files: string[]): Promise<() => void> {
    let release!: () => void;
    const released = new Promise<void>((resolve) => (release = resolve));
    const paths = new Set(files.map(assetPath));
    await page.route(
      (url) => paths.has(url.pathname),
      async (route: RequestRoute) => {
        await released;
        await route.continue();
      },
    );
    return release;
  }

  async function boxOf(frame: FrameLocator, selector: string): Promise<Box> {
    const box = await frame.locator(selector).first().boundingBox();
    if (!box) throw new Error(`${selector} is not on screen`);
    return box;
  }

  it('the first load fetches only the initial chunks; a page’s own chunks come when its tab is opened or pointed at', async () => {
    const { page, frame, scripts } = await openAdmin(DESKTOP);
    await frame.locator('#home-held').waitFor();
    await page.waitForLoadState('networkidle');
    expect(new Set(scripts)).toEqual(new Set(chunks.initial.js.map(assetPath)));

    const program = chunks.pages.get('src/pages/ProgramPage.tsx')!;
    await frame.getByRole('tab', { name: 'Program' }).click();
    await frame.locator('#economics-give-back').waitFor();
    expect(scripts).toEqual(expect.arrayContaining(program.js.map(assetPath)));
    const analytics = chunks.pages.get('src/pages/analytics/AnalyticsPage.tsx')!;
    const analyticsOnly = analytics.js.filter((file) => !program.js.includes(file)).map(assetPath);
    expect(analyticsOnly.length).toBeGreaterThan(0);
    expect(scripts.filter((script) => analyticsOnly.includes(script))).toEqual([]);
    // Pointing at a tab starts fetching its page before the click.
    const fetched = page.waitForRequest((request) => analyticsOnly.includes(new URL(request.url()).pathname));
    await frame.getByRole('tab', { name: 'Analytics' }).hover();
    await fetched;
    await page.close();
  });

  // A desktop has the tabs; a phone, where seven tabs do not fit, a "Page" list.
  for (const [label, viewport, navigation] of [
    ['desktop', DESKTOP, '[role="tablist"]'],
    ['phone', PHONE, 'select'],
  ] as const) {
    it(`on a ${label}, each page first shows its own header over a skeleton, and the header does not move when the page arrives`, async () => {
      const { page, frame } = await openAdmin(viewport);
      await frame.locator('#home-held').waitFor();
      const homeTitle = await boxOf(frame, 'h1');
      const tabs = await boxOf(frame, navigation);
      for (const lazy of LAZY_PAGES) {
        const release = await hold(page, chunks.pages.get(lazy.source)!.js);
        // A click event without the mouse: pointing at a tab would start fetching the page ahead of the click.
        if (label === 'desktop') await frame.getByRole('tab', { name: lazy.tab }).dispatchEvent('click');
        else await frame.getByLabel('Page').selectOption({ label: lazy.tab });
        await frame.getByText('Loading the page').waitFor({ state: 'attached' });
        const loadingTitle = await boxOf(frame, 'h1');
        const loadingText = await frame.locator('h1').first().textContent();
        release();
        await frame.locator(lazy.ready).first().waitFor();
        expect(await frame.getByText('Loading the page').count(), lazy.tab).toBe(0);
        expect(await frame.locator('h1').first().textContent(), lazy.tab).toBe(loadingText);
        expect(await boxOf(frame, 'h1'), lazy.tab).toEqual(loadingTitle);
        // Home's light header and Polaris's Page put a title in the same place (Polaris lowers it a little on a phone when actions share its row).
        if (!lazy.actions)
          expect({ x: loadingTitle.x, y: loadingTitle.y, height: loadingTitle.height }, lazy.tab).toEqual({
            x: homeTitle.x,
            y: homeTitle.y,
            height: homeTitle.height,
          });
        // The row of tabs (or the phone's page list) stays where it is.
        const tabsNow = await boxOf(frame, navigation);
        expect({ y: tabsNow.y, height: tabsNow.height }, lazy.tab).toEqual({ y: tabs.y, height: tabs.height });
        await page.unrouteAll();
      }
      await page.close();
    });
  }

  it('on a phone, the page list names the page open and opens another', async () => {
    const { page, frame, open } = await adminPage(PHONE);
    await open('#/imports');
    await frame.getByText('Preview first (dry run)').waitFor();
    expect(await frame.locator('[role="tablist"]').count()).toBe(0);
    const list = frame.getByLabel('Page');
    expect(await list.locator('option:checked').textContent()).toBe('Imports');
    const box = await boxOf(frame, 'select');
    expect(box.x).toBeGreaterThanOrEqual(0);
    expect(box.x + box.width).toBeLessThanOrEqual(PHONE.width);
    await list.selectOption({ label: 'Home' });
    await frame.locator('#home-held').waitFor();
    expect(await list.locator('option:checked').textContent()).toBe('Home');
    await page.close();
  });

  it('a customer’s page loads under its back button and title, which stay put', async () => {
    const { page, frame, open } = await adminPage(DESKTOP);
    const release = await hold(page, chunks.pages.get('src/pages/CustomersPage.tsx')!.js);
    await open('#/customers/7009001');
    await frame.getByRole('heading', { name: 'Customer 7009001' }).waitFor();
    await frame.getByText('Loading the page').waitFor({ state: 'attached' });
    const back = await boxOf(frame, 'button[aria-label="Customers"]');
    const title = await boxOf(frame, 'h1');
    release();
    await frame.getByText('Loading the page').waitFor({ state: 'detached' });
    expect(await boxOf(frame, 'button[aria-label="Customers"]')).toEqual(back);
    expect(await boxOf(frame, 'h1')).toEqual(title);
    expect(await frame.getByRole('tab', { name: 'Customers' }).getAttribute('aria-selected')).toBe('true');
    await frame.getByRole('button', { name: 'Customers', exact: true }).click();
    await frame.locator('input[placeholder^="Search"]').waitFor();
    await page.close();
  });

  it('a page whose code cannot be fetched says so with a way to reload, and the other tabs keep working', async () => {
    const { page, frame } = await openAdmin(DESKTOP);
    await frame.locator('#home-held').waitFor();
    const activity = new Set(chunks.pages.get('src/pages/ActivityPage.tsx')!.js.map(assetPath));
    await page.route(
      (url) => activity.has(url.pathname),
      (route) => route.fulfill({ status: 404, body: 'gone' }),
    );
    await frame.getByRole('tab', { name: 'Activity' }).click();
    await frame.getByText('This page could not load').waitFor();
    await frame.getByRole('button', { name: 'Reload Tally' }).waitFor();
    await frame.getByRole('tab', { name: 'Home' }).click();
    await frame.locator('#home-held').waitFor();
    await page.close();
  });

  it('the tabs follow the keyboard: arrows move the focus, Enter opens the focused tab', async () => {
    const { page, frame } = await openAdmin(DESKTOP);
    await frame.locator('#home-held').waitFor();
    await frame.getByRole('tab', { name: 'Home' }).focus();
    await page.keyboard.press('ArrowRight');
    await page.keyboard.press('ArrowRight');
    expect(await frame.getByRole('tab', { name: 'Engagement' }).evaluate((tab) => tab === document.activeElement)).toBe(true);
    await page.keyboard.press('ArrowLeft');
    await page.keyboard.press('Enter');
    await frame.locator('#economics-give-back').waitFor();
    expect(await frame.getByRole('tab', { name: 'Program' }).getAttribute('aria-selected')).toBe('true');
    await page.keyboard.press('End');
    expect(await frame.getByRole('tab', { name: 'Imports' }).evaluate((tab) => tab === document.activeElement)).toBe(true);
    await page.close();
  });
});

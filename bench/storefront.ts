// `npm run bench:storefront`: what Tally costs a shop's storefront, as Shopify's App Store measures it.
//
// 1. Lighthouse (mobile profile: Moto G Power emulation, simulated slow 4G and 4× CPU slowdown) on the
//    devstore demo shop's home, product and cart pages, with Tally on (app embed and blocks) and off,
//    BENCH_LIGHTHOUSE_RUNS (5) runs each, interleaved; medians of the performance score, LCP, TBT and
//    CLS, each against the same run's Tally-off floor (difference and ratio), of the main-thread work,
//    and of the script time Lighthouse attributes to Tally's own files.
// 2. Tally's main-thread time: the same pages in Chromium (phone viewport, no throttling), traced
//    from navigation until Tally's idle work is done, Tally on and off interleaved, BENCH_TRACE_RUNS
//    (7) each: the thread time of Tally's files (bench/lib/main-thread.ts) and the page's whole main
//    thread on minus off.
// 3. The launcher's first panel paint after a tap, on a phone (390 × 844, 4× CPU slowdown, slow 4G as
//    Lighthouse's), as a guest: cold (first page view: the panel asset and the view come over the
//    network) and warm (the next page: both from the browser's cache).
//
// DEVSTORE_THEME_DIR=<an earlier copy of extensions/tally-theme> measures that version instead.
import { mkdir, mkdtemp, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import * as chromeLauncher from 'chrome-launcher';
import lighthouse from 'lighthouse';
import type { Page } from 'playwright-core';
import { CHROMIUM, CHROMIUM_FLAGS, launchBrowser } from '../test/support/browser.js';
import { startBenchDatabase } from './lib/database.js';
import { round } from './lib/load.js';
import { MAIN_THREAD_CATEGORIES, mainThreadTime, type TraceEvent } from './lib/main-thread.js';
import { appUrlFromLog, startServerProcess } from './lib/processes.js';

const here = path.dirname(fileURLToPath(import.meta.url));
const SHOP = 'tally-demo.myshopify.com';
const RUNS = Number(process.env.BENCH_LIGHTHOUSE_RUNS ?? 5);
const PAINTS = Number(process.env.BENCH_PAINT_RUNS ?? 5);
const TRACES = Number(process.env.BENCH_TRACE_RUNS ?? 7);
/** Lighthouse's mobile throttling (simulated slow 4G): 150 ms round trips, 1.6 Mbps down, 750 kbps up. */
const SLOW_4G = { offline: false, latency: 150, downloadThroughput: (1.6 * 1024 * 1024) / 8, uploadThroughput: (750 * 1024) / 8 };

interface LighthouseRun {
  score: number;
  mainThreadMs: number;
  tallyScriptMs: number;
  totalBlockingTimeMs: number;
  largestContentfulPaintMs: number;
  cumulativeLayoutShift: number;
  tallyBytes: number;
}

const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
};
const isTally = (url: string) => /\/theme-assets\/tally|\/apps\/loyalty\//.test(url);

async function setTheme(app: string, tally: boolean): Promise<void> {
  const response = await fetch(`${app}/devstore/api/shops/${SHOP}/theme`, {
    method: 'PUT',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ appEmbed: tally, appBlocks: tally }),
  });
  if (!response.ok) throw new Error(`theme switch answered ${response.status}`);
}

async function lighthouseRun(url: string, port: number, cookie: string | undefined): Promise<LighthouseRun> {
  const result = await lighthouse(url, {
    port,
    output: 'json',
    logLevel: 'error',
    onlyCategories: ['performance'],
    ...(cookie ? { extraHeaders: { Cookie: cookie } } : {}),
  });
  if (!result) throw new Error(`Lighthouse gave no result for ${url}`);
  const { audits, categories } = result.lhr;
  const bootup = (audits['bootup-time']?.details as { items?: Array<{ url: string; total: number }> } | undefined)?.items ?? [];
  const requests = (audits['network-requests']?.details as { items?: Array<{ url: string; transferSize?: number }> } | undefined)?.items ?? [];
  return {
    score: Math.round((categories.performance?.score ?? 0) * 100),
    mainThreadMs: round(audits['mainthread-work-breakdown']?.numericValue ?? 0, 0),
    tallyScriptMs: round(
      bootup.filter((item) => isTally(item.url)).reduce((sum, item) => sum + item.total, 0),
      1,
    ),
    totalBlockingTimeMs: round(audits['total-blocking-time']?.numericValue ?? 0, 0),
    largestContentfulPaintMs: round(audits['largest-contentful-paint']?.numericValue ?? 0, 0),
    cumulativeLayoutShift: round(audits['cumulative-layout-shift']?.numericValue ?? 0, 4),
    tallyBytes: requests.filter((item) => isTally(item.url)).reduce((sum, item) => sum + (item.transferSize ?? 0), 0),
  };
}

/** The pages measured, as a guest: home, a product, and the cart with one item (its cookie). */
function pagesOf(app: string) {
  const store = `${app}/devstore/shops/${SHOP}/storefront`;
  const cart = `cart_${SHOP}=${encodeURIComponent(JSON.stringify([{ productId: 801, quantity: 1 }]))}`;
  return [
    { name: 'home', url: `${store}`, cookie: undefined },
    { name: 'product', url: `${store}/products/801`, cookie: undefined },
    { name: 'cart', url: `${store}/cart`, cookie: cart },
  ];
}

/** On against the same run's off floor: the difference, and the ratio where the floor is not zero. */
function againstFloor(off: number, on: number, digits: number) {
  return { off, on, added: round(on - off, digits), ratio: off ? round(on / off, 3) : null };
}

async function measureLighthouse(app: string) {
  const pages = pagesOf(app);
  const runs: Record<string, { on: LighthouseRun[]; off: LighthouseRun[] }> = {};
  const chrome = await chromeLauncher.launch({ chromePath: CHROMIUM, chromeFlags: CHROMIUM_FLAGS });
  try {
    for (let run = 0; run < RUNS; run++) {
      for (const page of pages) {
        for (const tally of run % 2 ? [true, false] : [false, true]) {
          await setTheme(app, tally);
          const measured = await lighthouseRun(page.url, chrome.port, page.cookie);
          (runs[page.name] ??= { on: [], off: [] })[tally ? 'on' : 'off'].push(measured);
          console.log(
            `lighthouse ${page.name} tally ${tally ? 'on ' : 'off'} run ${run + 1}: score ${measured.score}, LCP ${measured.largestContentfulPaintMs} ms, TBT ${measured.totalBlockingTimeMs} ms, CLS ${measured.cumulativeLayoutShift}, main thread ${measured.mainThreadMs} ms, Tally scripts ${measured.tallyScriptMs} ms`,
          );
        }
      }
    }
  } finally {
    await setTheme(app, true);
    chrome.kill();
  }
  return Object.fromEntries(
    Object.entries(runs).map(([name, { on, off }]) => {
      const pick = (rows: LighthouseRun[], key: keyof LighthouseRun) => median(rows.map((row) => row[key]));
      return [
        name,
        {
          scoreOff: pick(off, 'score'),
          scoreOn: pick(on, 'score'),
          scoreDrop: pick(off, 'score') - pick(on, 'score'),
          mainThreadOffMs: pick(off, 'mainThreadMs'),
          mainThreadOnMs: pick(on, 'mainThreadMs'),
          mainThreadAddedMs: pick(on, 'mainThreadMs') - pick(off, 'mainThreadMs'),
          tallyScriptMs: pick(on, 'tallyScriptMs'),
          lcpMs: againstFloor(pick(off, 'largestContentfulPaintMs'), pick(on, 'largestContentfulPaintMs'), 0),
          tbtMs: againstFloor(pick(off, 'totalBlockingTimeMs'), pick(on, 'totalBlockingTimeMs'), 0),
          cls: againstFloor(pick(off, 'cumulativeLayoutShift'), pick(on, 'cumulativeLayoutShift'), 4),
          tallyTransferBytes: pick(on, 'tallyBytes'),
          runs: { on, off },
        },
      ];
    }),
  );
}

/**
 * Tally's main-thread time on each page: a trace from navigation until the core's idle work is done
 * (the loader adds the core after the load event; its colours and referral wait for idle time, at
 * most 2 s), in thread time, so other processes on the machine do not count.
 */
async function measureMainThread(app: string) {
  const browser = await launchBrowser();
  const rows: Record<string, { on: Array<{ totalMs: number; tallyFilesMs: number }>; off: Array<{ totalMs: number }> }> = {};
  try {
    for (let run = 0; run < TRACES; run++) {
      for (const page of pagesOf(app)) {
        for (const tally of run % 2 ? [true, false] : [false, true]) {
          await setTheme(app, tally);
          const context = await browser.newContext({ viewport: { width: 412, height: 823 }, isMobile: true, hasTouch: true });
          if (page.cookie) {
            const [name, value] = page.cookie.split(/=(.*)/s) as [string, string];
            await context.addCookies([{ name, value, url: page.url }]);
          }
          const tab = await context.newPage();
          await browser.startTracing(tab, { categories: MAIN_THREAD_CATEGORIES });
          await tab.goto(page.url, { waitUntil: 'load' });
          await tab.waitForTimeout(3_000);
          const { traceEvents } = JSON.parse((await browser.stopTracing()).toString()) as { traceEvents: TraceEvent[] };
          await context.close();
          const time = mainThreadTime(traceEvents, page.url, isTally);
          const row = (rows[page.name] ??= { on: [], off: [] });
          if (tally) row.on.push({ totalMs: round(time.totalMs, 1), tallyFilesMs: round(time.filesMs, 1) });
          else row.off.push({ totalMs: round(time.totalMs, 1) });
          console.log(
            `trace ${page.name} tally ${tally ? 'on ' : 'off'} run ${run + 1}: main thread ${round(time.totalMs, 1)} ms, Tally's files ${round(time.filesMs, 1)} ms`,
          );
        }
      }
    }
  } finally {
    await setTheme(app, true);
    await browser.close();
  }
  return Object.fromEntries(
    Object.entries(rows).map(([name, { on, off }]) => [
      name,
      {
        tallyFilesMs: round(median(on.map((row) => row.tallyFilesMs)), 1),
        mainThreadMs: againstFloor(round(median(off.map((row) => row.totalMs)), 1), round(median(on.map((row) => row.totalMs)), 1), 1),
        runs: { on, off },
      },
    ]),
  );
}

/**
 * Times from the tap's click event to the frame after the panel first shows (its heading and the
 * balance or a loading line: the core paints it with no request) and to the frame after its
 * rewards are in (the panel asset and the shopper's view have arrived).
 */
async function tapAndTime(page: Page): Promise<{ firstPaintMs: number; contentMs: number }> {
  // A plain script (not a function): the bench runs under tsx, whose helpers do not exist in the page.
  await page.evaluate(`(() => {
    const marks = (window.__tallyPaint = {});
    const panel = document.querySelector('.tally__panel');
    const asked = {};
    const frame = (name) => { if (!asked[name]) { asked[name] = true; requestAnimationFrame(() => setTimeout(() => (marks[name] = performance.now()))); } };
    document.querySelector('.tally__button').addEventListener('click', () => (marks.click = performance.now()), { capture: true });
    new MutationObserver(() => {
      if (!panel.hasAttribute('hidden') && panel.childElementCount > 0) frame('shown');
      if (panel.querySelector('.tally__rewards')) frame('content');
    }).observe(panel, { childList: true, subtree: true, attributes: true });
  })()`);
  await page.tap('.tally__button');
  await page.waitForFunction(() => (window as unknown as { __tallyPaint: Record<string, number> }).__tallyPaint.content !== undefined, null, {
    timeout: 30_000,
  });
  const marks = await page.evaluate(() => (window as unknown as { __tallyPaint: Record<string, number> }).__tallyPaint);
  return { firstPaintMs: round(marks.shown! - marks.click!, 1), contentMs: round(marks.content! - marks.click!, 1) };
}

async function measurePanelPaint(app: string) {
  const store = `${app}/devstore/shops/${SHOP}/storefront`;
  const browser = await launchBrowser();
  const cold: Array<{ firstPaintMs: number; contentMs: number }> = [];
  const warm: Array<{ firstPaintMs: number; contentMs: number }> = [];
  try {
    for (let run = 0; run < PAINTS; run++) {
      const context = await browser.newContext({ viewport: { width: 390, height: 844 }, deviceScaleFactor: 2, isMobile: true, hasTouch: true });
      const page = await context.newPage();
      const cdp = await context.newCDPSession(page);
      await cdp.send('Network.enable');
      await cdp.send('Network.emulateNetworkConditions', SLOW_4G);
      await cdp.send('Emulation.setCPUThrottlingRate', { rate: 4 });
      await page.goto(`${store}/products/801`, { waitUntil: 'load' });
      cold.push(await tapAndTime(page));
      await page.goto(`${store}/products/802`, { waitUntil: 'load' });
      warm.push(await tapAndTime(page));
      console.log(`panel paint run ${run + 1}: cold ${JSON.stringify(cold.at(-1))}, warm ${JSON.stringify(warm.at(-1))}`);
      await context.close();
    }
  } finally {
    await browser.close();
  }
  const summary = (rows: typeof cold) => ({
    firstPaintMs: round(median(rows.map((row) => row.firstPaintMs)), 1),
    contentMs: round(median(rows.map((row) => row.contentMs)), 1),
    runs: rows,
  });
  return { cold: summary(cold), warm: summary(warm) };
}

async function main(): Promise<void> {
  const database = await startBenchDatabase();
  const scratch = await mkdtemp(path.join(os.tmpdir(), 'tally-bench-storefront-'));
  const app = await startServerProcess(
    path.join(here, '..', 'server', 'main.ts'),
    { MONGODB_URI: database.uri, PORT: '0', LOG_LEVEL: 'info', DATA_DIR: scratch, npm_lifecycle_event: '' },
    appUrlFromLog,
  );
  try {
    // The demo shop is seeded after the app listens; its product page carries the earn line once installed.
    for (let tries = 0; ; tries++) {
      const page = await fetch(`${app.url}/devstore/shops/${SHOP}/storefront/products/801`).then((response) => (response.ok ? response.text() : ''));
      if (page.includes('data-tally-earn')) break;
      if (tries > 240) throw new Error('the demo shop was not seeded within 2 minutes');
      await new Promise((resolve) => setTimeout(resolve, 500));
    }
    const results = {
      machine: {
        cpus: os.cpus().length,
        model: os.cpus()[0]?.model,
        memoryGb: round(os.totalmem() / 2 ** 30, 1),
        node: process.version,
        chromium: '/usr/bin/chromium',
      },
      at: new Date().toISOString(),
      theme: process.env.DEVSTORE_THEME_DIR ?? 'extensions/tally-theme',
      lighthouse: await measureLighthouse(app.url),
      mainThread: await measureMainThread(app.url),
      panelPaint: await measurePanelPaint(app.url),
    };
    await mkdir(path.join(here, 'results'), { recursive: true });
    const file = path.join(here, 'results', `storefront-${results.at.replace(/[:.]/g, '-')}.json`);
    await writeFile(file, `${JSON.stringify(results, null, 2)}\n`);
    const versus = (figure: { off: number; on: number; added: number; ratio: number | null }, unit = '') =>
      `${figure.off} → ${figure.on}${unit} (${figure.added >= 0 ? '+' : ''}${figure.added}, ×${figure.ratio ?? '-'})`;
    console.log('\nLighthouse, medians: page, score off → on, LCP, TBT, CLS (on − off, on ÷ off), Tally scripts (bootup-time)');
    for (const [name, row] of Object.entries(results.lighthouse))
      console.log(
        `${name.padEnd(8)} ${row.scoreOff} → ${row.scoreOn} (−${row.scoreDrop})   LCP ${versus(row.lcpMs, ' ms')}   TBT ${versus(row.tbtMs, ' ms')}   CLS ${versus(row.cls)}   ${row.tallyScriptMs} ms`,
      );
    console.log('\nmain thread (thread time, no throttling), medians: page, Tally’s files, whole page off → on');
    for (const [name, row] of Object.entries(results.mainThread))
      console.log(`${name.padEnd(8)} ${row.tallyFilesMs} ms   ${versus(row.mainThreadMs, ' ms')}`);
    const { cold, warm } = results.panelPaint;
    console.log(`\npanel after a tap (phone, 4× CPU, slow 4G): first paint ${cold.firstPaintMs} ms cold, ${warm.firstPaintMs} ms warm;`);
    console.log(`rewards shown ${cold.contentMs} ms cold, ${warm.contentMs} ms warm`);
    console.log(`\nwritten to ${path.relative(process.cwd(), file)}`);
  } finally {
    await app.stop();
    await database.stop();
  }
}

await main();

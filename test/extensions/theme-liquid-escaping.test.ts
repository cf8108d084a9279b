import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadBlocks, themeLiquid } from '../../devstore/storefront.js';
import { launchBrowser } from '../support/browser.js';

/** Closes an attribute, a tag and a script, and carries an ampersand: what a hostile value tries. */
const HOSTILE = `x"' ><img src=x onerror="window.__pwned=1"></script><script>window.__pwned=2</script>&amp;<!--`;

/**
 * Every variable the blocks and snippets print, set to HOSTILE: cart attributes (any storefront
 * script can set them through the Ajax Cart API), the program the app publishes (the merchant's
 * points name and colours), the customer, routes, settings and the locale.
 */
function hostileScope(holdAttribute = HOSTILE) {
  return {
    shop: { name: HOSTILE, permanent_domain: HOSTILE, currency: HOSTILE },
    customer: { id: HOSTILE, first_name: HOSTILE, email: HOSTILE },
    routes: { root_url: HOSTILE, account_login_url: HOSTILE, account_register_url: HOSTILE, cart_url: HOSTILE },
    request: { locale: { iso_code: 'en', primary: true } },
    cart: { total_price: HOSTILE, items_subtotal_price: HOSTILE, item_count: 1, attributes: { _tally_hold: holdAttribute, tally_referral: HOSTILE } },
    product: { id: HOSTILE, title: HOSTILE, selected_or_first_available_variant: { id: HOSTILE, price: 1_450 } },
    app: {
      metafields: {
        tally: {
          program: {
            value: {
              enabled: true,
              pointsPerCurrencyUnit: 1,
              unit: 100,
              pointsName: HOSTILE,
              version: HOSTILE,
              widget: { primaryColor: HOSTILE, textColor: HOSTILE, position: HOSTILE, languages: [HOSTILE, 'en'] },
            },
          },
        },
      },
    },
  };
}

async function renderBlock(name: string, scope: ReturnType<typeof hostileScope>): Promise<string> {
  const block = loadBlocks()[name]!;
  const settings = Object.fromEntries(Object.keys(block.settings).map((id) => [id, HOSTILE]));
  return themeLiquid().parseAndRender(block.source, { block: { settings, shopify_attributes: 'data-block' } }, { globals: scope });
}

describe('the theme extension’s Liquid escapes every value it prints', () => {
  let browser: Browser;
  let page: Page;
  beforeAll(async () => {
    browser = await launchBrowser();
    page = await browser.newPage();
    // Nothing the blocks render may run but Tally's loader; whatever the page asks for is refused.
    await page.route('**/*', (route) => route.abort());
  });
  afterAll(async () => {
    await browser?.close();
  });

  for (const name of ['launcher', 'product-points', 'cart-points', 'account-points']) {
    it(`${name}: hostile values stay text, the JSON config keeps them whole, and nothing runs`, async () => {
      const html = await renderBlock(name, hostileScope());
      await page.setContent(`<!doctype html><html><body>${html}</body></html>`);
      const found = await page.evaluate(() => ({
        pwned: (window as unknown as { __pwned?: number }).__pwned ?? null,
        images: document.querySelectorAll('img').length,
        // The body as rendered: the loader adds the core to the head once the page has painted.
        scripts: [...document.body.querySelectorAll('script')].map((script) => script.type),
        loader: [...document.body.querySelectorAll('script:not([type])')].map((script) => script.textContent),
        comments: document.createTreeWalker(document.body, NodeFilter.SHOW_COMMENT).nextNode() !== null,
        config: document.querySelector('[data-tally-config]')?.textContent ?? null,
        strings: document.querySelector('[data-tally-i18n]')?.textContent ?? null,
        hold: [...document.querySelectorAll('[data-hold]')].map((node) => node.getAttribute('data-hold')),
        attributes: [...document.body.querySelectorAll('*')].flatMap((node) => [...node.attributes].map((attribute) => attribute.name)),
      }));
      expect(found.pwned).toBeNull();
      expect(found.images).toBe(0);
      expect(found.comments).toBe(false);
      expect(found.scripts).toEqual(['application/json', 'application/json', '']);
      // The loader prints one value, the core's asset URL, and nothing a merchant, shopper or cart sets.
      expect(found.loader).toHaveLength(1);
      expect(found.loader[0]).toContain('"/devstore/theme-assets/tally.js?v=');
      expect(found.loader[0]).not.toMatch(/x"|pwned|onerror|HOLD/);
      expect(found.attributes.filter((attribute) => /^on|^src$|^'|^"/.test(attribute))).toEqual([]);
      const config = JSON.parse(found.config!) as Record<string, unknown>;
      expect(config.pointsName).toBe(HOSTILE);
      expect(config.referral).toBe(HOSTILE);
      expect(() => JSON.parse(found.strings!) as unknown).not.toThrow();
      // A hold attribute that is not a hold id is not passed on at all.
      expect(found.hold.every((value) => value === '')).toBe(true);
      expect(html).not.toContain('<img');
      expect(html).not.toContain('<script>window.__pwned');
    });
  }

  it('a hold id of the app’s shape is passed on; near misses are not', async () => {
    const holdOf = async (value: string) => {
      const html = await renderBlock('launcher', hostileScope(value));
      return /data-hold="([^"]*)"/.exec(html)![1];
    };
    expect(await holdOf('HOLD-ABCD-EFGH-2345')).toBe('HOLD-ABCD-EFGH-2345');
    for (const near of ['HOLD-ABCD-EFGH-2341', 'hold-ABCD-EFGH-2345', 'HOLD-ABCD-EFGH-23456', 'HOLD-ABCD"EFGH-2345', 'XHOLD-ABC-EFGH-2345', ''])
      expect(await holdOf(near), near).toBe('');
  });
});

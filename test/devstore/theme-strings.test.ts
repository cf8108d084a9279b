import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { themeLiquid } from '../../devstore/storefront.js';
import { CORE_STRINGS, widgetStrings } from '../../scripts/build-theme.js';

const theme = path.resolve('extensions/tally-theme');
const read = (file: string) => readFileSync(path.join(theme, file), 'utf8');

describe('the widget’s strings', () => {
  const english = widgetStrings();

  it('every string a block marks `data-tally-text` is one the core carries in English', () => {
    const marked = new Set<string>();
    for (const block of ['launcher', 'product-points', 'cart-points', 'account-points'])
      for (const match of read(`blocks/${block}.liquid`).matchAll(/data-tally-text="([\w.]+)"/g)) marked.add(match[1]!);
    expect([...marked].filter((key) => !CORE_STRINGS.includes(key))).toEqual([]);
    for (const key of CORE_STRINGS) expect(english[key], key).toBeTypeOf('string');
  });

  it('the tally-i18n snippet hands every string to the widget under its own key', () => {
    const pairs = [...read('snippets/tally-i18n.liquid').matchAll(/"([\w.]+)":\{\{ 'tally\.([\w.]+)' \| t \| json \}\}/g)].map((match) => [
      match[1],
      match[2],
    ]);
    expect(pairs.map(([key]) => key).sort()).toEqual(Object.keys(english).sort());
    for (const [key, looked] of pairs) expect(looked).toBe(key);
  });

  it('a page carries the strings its blocks need: the core’s, with the guest panel’s, or all of them for a signed-in shopper', async () => {
    const render = async (strings?: string) =>
      Object.keys(
        JSON.parse(
          await themeLiquid().parseAndRender(
            `{% render 'tally-i18n', strings: strings %}`,
            { strings },
            { globals: { request: { locale: { iso_code: 'fr' } } } },
          ),
        ) as Record<string, string>,
      ).sort();
    // What the panel shows a guest: the heading, the sign-in links, the rewards with their costs and the ways to earn.
    const guest = [
      'launcher.guest_intro',
      'launcher.sign_up',
      'launcher.rewards',
      'launcher.cost',
      'launcher.your_codes',
      'launcher.ways_to_earn',
    ].concat(Object.keys(english).filter((key) => key.startsWith('ways.')));
    expect(await render()).toEqual([...CORE_STRINGS].sort());
    expect(await render('core')).toEqual([...CORE_STRINGS].sort());
    expect(await render('guest')).toEqual([...CORE_STRINGS, ...guest].sort());
    expect(await render('all')).toEqual(Object.keys(english).sort());
  });

  it('every language has every string, with the same placeholders', () => {
    for (const language of ['fr', 'es', 'de']) {
      const strings = widgetStrings(language);
      expect(Object.keys(strings).sort(), language).toEqual(Object.keys(english).sort());
      const placeholders = (text: string) => [...text.matchAll(/\{\{\s*(\w+)\s*\}\}/g)].map((match) => match[1]).sort();
      for (const [key, text] of Object.entries(english)) expect(placeholders(strings[key]!), `${language} ${key}`).toEqual(placeholders(text));
    }
  });
});

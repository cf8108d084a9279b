import { readFileSync, readdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { historyText, type Translate } from '../../extensions/tally-customer-account/src/history.js';
import type { EntryDescription } from '../../server/storefront/view.js';

const folder = new URL('../../extensions/tally-customer-account/', import.meta.url);
type Messages = { [key: string]: string | Messages };
const locales = Object.fromEntries(
  readdirSync(new URL('locales/', folder)).map((file) => [
    file.split('.')[0]!,
    JSON.parse(readFileSync(new URL(`locales/${file}`, folder), 'utf8')) as Messages,
  ]),
);

function keys(messages: Messages, prefix = ''): string[] {
  return Object.entries(messages).flatMap(([key, value]) => (typeof value === 'string' ? [prefix + key] : keys(value, `${prefix}${key}.`)));
}

/** Shopify's translate as the extension sees it: a dotted key looked up in the locale, {{name}} replaced. */
function translator(messages: Messages): Translate {
  return (key, options = {}) => {
    const text = key.split('.').reduce<string | Messages | undefined>((node, part) => (typeof node === 'object' ? node[part] : undefined), messages);
    if (typeof text !== 'string') throw new Error(`missing translation ${key}`);
    return text.replace(/\{\{(\w+)\}\}/g, (_, name: string) => String(options[name] ?? `{{${name}}}`));
  };
}

const descriptions: EntryDescription[] = [
  { kind: 'order', order: '#1001' },
  { kind: 'order', order: null },
  { kind: 'refund', order: '#1001' },
  { kind: 'cancel', order: null },
  { kind: 'edit', order: '#1002' },
  { kind: 'release' },
  { kind: 'redeem', reward: '$5 off' },
  { kind: 'redeem', reward: null },
  { kind: 'tier', tier: 'Gold' },
  { kind: 'reward_returned' },
  { kind: 'hold' },
  { kind: 'hold_release' },
  { kind: 'expire' },
  { kind: 'adjust', note: 'goodwill' },
  { kind: 'other', note: 'bonus' },
];

describe('customer account extension: words in the customer’s language', () => {
  it('ships English as the default and the same keys in every locale', () => {
    expect(Object.keys(locales).sort()).toEqual(['de', 'en', 'es', 'fr']);
    for (const [name, messages] of Object.entries(locales)) expect(keys(messages).sort(), name).toEqual(keys(locales.en!).sort());
  });

  it('has every key the profile block asks for', () => {
    const source = readFileSync(new URL('src/ProfileBlock.tsx', folder), 'utf8');
    const used = [...source.matchAll(/translate\('([\w.]+)'/g)].map((match) => match[1]!);
    expect(used.length).toBeGreaterThan(0);
    for (const key of used) expect(keys(locales.en!)).toContain(key);
  });

  it('words every kind of history line with the order’s name and no raw id, in each language', () => {
    for (const [name, messages] of Object.entries(locales)) {
      const lines = descriptions.map((description) => historyText(translator(messages), description, 'Beans'));
      for (const line of lines) expect(line, name).not.toMatch(/\{\{|history\./);
      expect(lines[0], name).toContain('#1001');
      expect(lines[2], name).toContain('#1001');
      expect(lines[12], name).toContain('Beans');
    }
    expect(historyText(translator(locales.fr!), { kind: 'refund', order: '#1001' }, 'points')).toBe('Remboursement de la commande #1001');
  });
});

import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const theme = path.resolve('extensions/tally-theme');
const read = (file: string) => readFileSync(path.join(theme, file), 'utf8');

/** `{ tally: { launcher: { title } } }` → `{ 'launcher.title': … }`: the keys tally.js uses. */
function flatten(locale: { tally: Record<string, Record<string, string>> }): Record<string, string> {
  return Object.fromEntries(
    Object.entries(locale.tally).flatMap(([section, strings]) => Object.entries(strings).map(([key, text]) => [`${section}.${key}`, text])),
  );
}

describe('the widget’s strings', () => {
  const english = flatten(JSON.parse(read('locales/en.default.json')) as { tally: Record<string, Record<string, string>> });

  it('the widget’s English fallback (tally.js and the group module it loads, tally-group.js) is exactly the default locale', () => {
    const fallback = (file: string) => JSON.parse(/var EN = (\{.*\});/.exec(read(file))?.[1] ?? 'null') as Record<string, string>;
    const group = fallback('assets/tally-group.js');
    expect(Object.keys(group).every((key) => key.startsWith('group.'))).toBe(true);
    expect({ ...fallback('assets/tally.js'), ...group }).toEqual(english);
  });

  it('the tally-i18n snippet hands every string to the widget under its own key', () => {
    const pairs = [...read('snippets/tally-i18n.liquid').matchAll(/"([\w.]+)":\{\{ 'tally\.([\w.]+)' \| t \| json \}\}/g)].map((match) => [
      match[1],
      match[2],
    ]);
    expect(pairs.map(([key]) => key).sort()).toEqual(Object.keys(english).sort());
    for (const [key, looked] of pairs) expect(looked).toBe(key);
  });

  it('every language has every string, with the same placeholders', () => {
    for (const language of ['fr', 'es', 'de']) {
      const strings = flatten(JSON.parse(read(`locales/${language}.json`)) as { tally: Record<string, Record<string, string>> });
      expect(Object.keys(strings).sort(), language).toEqual(Object.keys(english).sort());
      const placeholders = (text: string) => [...text.matchAll(/\{\{\s*(\w+)\s*\}\}/g)].map((match) => match[1]).sort();
      for (const [key, text] of Object.entries(english)) expect(placeholders(strings[key]!), `${language} ${key}`).toEqual(placeholders(text));
    }
  });
});

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { formatNumber as format } from '../../extensions/tally-theme/src/tally-number.js';

describe('the storefront’s counts', () => {
  it('read exactly as toLocaleString writes them, in the widget’s languages and their regions and in others', () => {
    const languages = ['en', 'fr', 'de', 'es', 'en-GB', 'en-IN', 'fr-CA', 'fr-CH', 'de-CH', 'de-AT', 'es-MX', 'es-419', 'ar', 'hi', 'bn', 'fa', 'ja'];
    fc.assert(
      fc.property(
        fc.constantFrom(...languages),
        fc.oneof(fc.integer({ min: -2_000, max: 2_000 }), fc.integer(), fc.double({ noNaN: true })),
        (lang, value) => {
          expect(format(value, lang)).toBe(value.toLocaleString(lang));
        },
      ),
      { numRuns: 5_000 },
    );
    for (const lang of languages)
      for (let value = 0; value < 1_001; value++) expect(format(value, lang), `${lang} ${value}`).toBe(value.toLocaleString(lang));
  });

  it('skip Intl for whole numbers under 1,000 in the languages the widget ships, and only there', () => {
    const calls: string[] = [];
    const original = Number.prototype.toLocaleString;
    Number.prototype.toLocaleString = function (this: number, ...args: Parameters<typeof original>) {
      calls.push(String(args[0]));
      return original.apply(this, args);
    };
    try {
      for (const lang of ['en', 'fr', 'de', 'es', 'fr-CA']) expect([format(0, lang), format(999, lang)]).toEqual(['0', '999']);
      expect(calls).toEqual([]);
      format(1_000, 'en');
      format(5, 'ar');
      format(2.5, 'de');
      expect(calls).toEqual(['en', 'ar', 'de']);
    } finally {
      Number.prototype.toLocaleString = original;
    }
  });
});

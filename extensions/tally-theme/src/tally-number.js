/**
 * A count in the shopper's language, as `toLocaleString` writes it. Whole numbers under 1,000 read the
 * same in every language the widget ships (en, fr, de, es, and their regions): they skip Intl, whose
 * first use in a page costs 10 to 20 ms of main thread (test/extensions/theme-number.test.ts).
 */
export function formatNumber(value, lang) {
  return (value > 0 || Object.is(value, 0)) && value < 1000 && value % 1 === 0 && /^(en|fr|de|es)\b/.test(lang)
    ? String(value)
    : value.toLocaleString(lang);
}

/** tally-number.js's type, for the tests that import it (the theme's scripts are plain browser JavaScript). */
export function formatNumber(value: number, lang: string): string;

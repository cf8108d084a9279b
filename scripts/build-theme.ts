// `npm run build:theme`: the theme extension's scripts, from extensions/tally-theme/src/ into its
// assets/ (which Shopify serves as they are), minified, with the English strings taken from the
// default locale. The built files are committed; test/extensions/theme-assets.test.ts fails when
// they are not what the sources build to.
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const theme = path.join(root, 'extensions/tally-theme');

/** The strings the core shows before the panel is loaded: every `data-tally-text` of the blocks, the balance, the earn lines, loading and errors. */
export const CORE_STRINGS = [
  'launcher.title',
  'launcher.balance',
  'launcher.close',
  'launcher.error',
  'launcher.sign_in',
  'account.title',
  'account.loading',
  'product.earn',
  'cart.earn',
];

/** `{ tally: { launcher: { title } } }` → `{ 'launcher.title': … }`: the keys the widget uses. */
export function widgetStrings(language = 'en'): Record<string, string> {
  const file = language === 'en' ? 'en.default.json' : `${language}.json`;
  const locale = JSON.parse(readFileSync(path.join(theme, 'locales', file), 'utf8')) as { tally: Record<string, Record<string, string>> };
  return Object.fromEntries(
    Object.entries(locale.tally).flatMap(([group, strings]) => Object.entries(strings).map(([name, text]) => [`${group}.${name}`, text])),
  );
}

/** What each asset builds to: `tally.js` (the core, on every page) and `tally-panel.js` (fetched on demand). */
export async function buildThemeScripts(): Promise<Array<{ file: string; contents: string }>> {
  const english = widgetStrings();
  const core = Object.fromEntries(CORE_STRINGS.map((key) => [key, english[key]]));
  const result = await build({
    entryPoints: { tally: path.join(theme, 'src/tally.js'), 'tally-panel': path.join(theme, 'src/tally-panel.js') },
    bundle: true,
    minify: true,
    format: 'iife',
    target: 'es2017',
    charset: 'utf8',
    legalComments: 'none',
    define: { TALLY_EN_CORE: JSON.stringify(core), TALLY_EN: JSON.stringify(english) },
    outdir: path.join(theme, 'assets'),
    write: false,
    logLevel: 'silent',
  });
  return result.outputFiles.map((output) => ({ file: path.relative(theme, output.path), contents: output.text }));
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  for (const { file, contents } of await buildThemeScripts()) {
    writeFileSync(path.join(theme, file), contents);
    console.log(`${file.padEnd(24)} ${String(Buffer.byteLength(contents)).padStart(7)} bytes`);
  }
}

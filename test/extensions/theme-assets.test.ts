import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { buildThemeScripts, CORE_STRINGS, widgetStrings } from '../../scripts/build-theme.js';

const theme = path.resolve('extensions/tally-theme');

describe('the theme extension’s built scripts', () => {
  it('assets/ holds exactly what extensions/tally-theme/src builds to (run `npm run build:theme`)', async () => {
    for (const { file, contents } of await buildThemeScripts()) expect(readFileSync(path.join(theme, file), 'utf8'), file).toBe(contents);
  }, 60_000);

  it('the core carries the English of its own strings only; the panel carries the whole default locale', async () => {
    const built = Object.fromEntries((await buildThemeScripts()).map(({ file, contents }) => [file, contents]));
    const english = widgetStrings();
    for (const key of CORE_STRINGS) expect(built['assets/tally.js'], key).toContain(JSON.stringify(key));
    expect(built['assets/tally.js']).not.toContain('"engage.title"');
    for (const key of Object.keys(english)) expect(built['assets/tally-panel.js'], key).toContain(JSON.stringify(key));
  }, 60_000);
});

import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { check } from '@shopify/theme-check-node';
import { describe, expect, it } from 'vitest';

const extension = path.resolve('extensions/tally-theme');
const describeOffenses = (offenses: Awaited<ReturnType<typeof check>>) =>
  offenses.map((offense) => `${offense.check} ${offense.uri.split('/').slice(-2).join('/')}: ${offense.message}`);

describe('theme app extension', () => {
  it("passes Shopify's theme check with no errors or warnings", async () => {
    const offenses = await check(extension, path.join(extension, '.theme-check.yml'));
    expect(describeOffenses(offenses)).toEqual([]);
  }, 120_000);

  it('every block declares the core script and styles in its schema, and loads no script or stylesheet of its own', () => {
    for (const block of ['launcher', 'product-points', 'cart-points', 'account-points']) {
      const source = readFileSync(path.join(extension, 'blocks', `${block}.liquid`), 'utf8');
      const schema = JSON.parse(/{%\s*schema\s*%}([\s\S]*?){%\s*endschema\s*%}/.exec(source)![1]!) as { javascript?: string; stylesheet?: string };
      expect(schema, block).toMatchObject({ javascript: 'tally.js', stylesheet: 'tally.css' });
      expect(source, block).not.toMatch(/<script\s+src|<link[^>]+stylesheet|asset_url/);
    }
  });

  it('theme check measures the declared core: the same extension with a core over 10,000 bytes fails AssetSizeAppBlockJavaScript', async () => {
    const copy = mkdtempSync(path.join(os.tmpdir(), 'tally-theme-'));
    try {
      cpSync(extension, copy, { recursive: true });
      const core = readFileSync(path.join(copy, 'assets/tally.js'), 'utf8');
      writeFileSync(path.join(copy, 'assets/tally.js'), `${core}\n/*${'x'.repeat(10_001 - core.length)}*/`);
      const offenses = describeOffenses(await check(copy, path.join(copy, '.theme-check.yml')));
      expect(offenses.filter((offense) => offense.startsWith('AssetSizeAppBlockJavaScript'))).toHaveLength(4);
    } finally {
      rmSync(copy, { recursive: true, force: true });
    }
  }, 120_000);
});

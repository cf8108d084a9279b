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

  it('no block names a script or stylesheet in its schema (Shopify requests those from the head, before the first paint) or loads one but through the loader', () => {
    for (const block of ['launcher', 'product-points', 'cart-points', 'account-points']) {
      const source = readFileSync(path.join(extension, 'blocks', `${block}.liquid`), 'utf8');
      const schema = JSON.parse(/{%\s*schema\s*%}([\s\S]*?){%\s*endschema\s*%}/.exec(source)![1]!) as { javascript?: string; stylesheet?: string };
      expect(schema, block).not.toHaveProperty('javascript');
      expect(schema, block).not.toHaveProperty('stylesheet');
      expect(source, block).not.toMatch(/<script|<link|asset_url/);
      expect(source, block).toMatch(/{%-? render 'tally-config'/);
    }
    expect(readFileSync(path.join(extension, 'snippets/tally-config.liquid'), 'utf8')).toContain("{%- render 'tally-loader' -%}");
    const loader = readFileSync(path.join(extension, 'snippets/tally-loader.liquid'), 'utf8');
    expect([...loader.matchAll(/asset_url/g)]).toHaveLength(1);
    expect(loader).toContain("{{ 'tally.js' | asset_url | json }}");
  });

  it('the core would pass theme check declared in the blocks’ schema, as Shopify measures app scripts, and a core over 10,000 bytes would fail AssetSizeAppBlockJavaScript', async () => {
    const copy = mkdtempSync(path.join(os.tmpdir(), 'tally-theme-'));
    const declared = () => {
      for (const block of ['launcher', 'product-points', 'cart-points', 'account-points']) {
        const file = path.join(copy, 'blocks', `${block}.liquid`);
        writeFileSync(file, readFileSync(file, 'utf8').replace(/("name": "[^"]+",)/, '$1\n  "javascript": "tally.js",'));
      }
    };
    try {
      cpSync(extension, copy, { recursive: true });
      declared();
      expect(describeOffenses(await check(copy, path.join(copy, '.theme-check.yml')))).toEqual([]);
      const core = readFileSync(path.join(copy, 'assets/tally.js'), 'utf8');
      writeFileSync(path.join(copy, 'assets/tally.js'), `${core}\n/*${'x'.repeat(10_001 - core.length)}*/`);
      const offenses = describeOffenses(await check(copy, path.join(copy, '.theme-check.yml')));
      expect(offenses.filter((offense) => offense.startsWith('AssetSizeAppBlockJavaScript'))).toHaveLength(4);
    } finally {
      rmSync(copy, { recursive: true, force: true });
    }
  }, 120_000);
});

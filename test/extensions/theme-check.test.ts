import path from 'node:path';
import { check } from '@shopify/theme-check-node';
import { describe, expect, it } from 'vitest';

const extension = path.resolve('extensions/tally-theme');

describe('theme app extension', () => {
  it("passes Shopify's theme check with no errors or warnings", async () => {
    const offenses = await check(extension, path.join(extension, '.theme-check.yml'));
    expect(offenses.map((offense) => `${offense.check} ${offense.uri.split('/').slice(-2).join('/')}: ${offense.message}`)).toEqual([]);
  }, 120_000);
});

import { describe, expect, it } from 'vitest';
import { measureSizes } from '../../scripts/sizes.js';

const KB = 1024;

describe('what shoppers and merchants download stays within budget', () => {
  it('storefront widget ≤ 10 KB gzipped; checkout bundles under Shopify’s 64 KB and our 30 KB; admin initial JS ≤ 350 KB gzipped', async () => {
    const sizes = Object.fromEntries((await measureSizes()).map((size) => [size.name.split(' (')[0], size]));
    expect(sizes['storefront widget']!.gzipped).toBeLessThanOrEqual(10 * KB);
    for (const name of ['checkout extension', 'thank-you extension', 'customer-account extension']) {
      expect(sizes[name]!.bytes, name).toBeLessThanOrEqual(64 * KB);
      expect(sizes[name]!.bytes, name).toBeLessThanOrEqual(30 * KB);
    }
    // The test run builds the admin first (test/support/global-setup.ts).
    expect(sizes['admin initial JS']!.gzipped).toBeLessThanOrEqual(350 * KB);
  }, 60_000);
});

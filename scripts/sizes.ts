/**
 * What shoppers, staff and merchants download: the storefront's core and panel (theme extension
 * assets), the checkout, thank-you, customer-account and POS extension bundles (built here with
 * esbuild as Shopify CLI would), and the admin's initial JS and CSS and each page's chunks
 * (web/dist, from `npm run build`).
 * `npm run sizes` prints them; test/extensions/bundles.test.ts holds them to their budgets.
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { build } from 'esbuild';
import { adminChunks } from './admin-chunks.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

export interface Size {
  name: string;
  bytes: number;
  gzipped: number;
}

function sizeOf(name: string, content: Uint8Array): Size {
  return { name, bytes: content.byteLength, gzipped: gzipSync(content, { level: 9 }).byteLength };
}

async function bundle(name: string, entry: string): Promise<Size> {
  const result = await build({
    entryPoints: [path.join(root, entry)],
    bundle: true,
    minify: true,
    format: 'esm',
    platform: 'browser',
    target: 'es2020',
    write: false,
    jsx: 'automatic',
    logLevel: 'silent',
  });
  return sizeOf(name, result.outputFiles[0]!.contents);
}

export async function measureSizes(): Promise<Size[]> {
  const assets = path.join(root, 'extensions/tally-theme/assets');
  const asset = (name: string, file: string) => sizeOf(name, readFileSync(path.join(assets, file)));
  const sizes = [
    asset('storefront core script (tally.js: every page with a Tally block or the embed)', 'tally.js'),
    asset('storefront core styles (tally.css: every such page)', 'tally.css'),
    asset('storefront panel script (tally-panel.js: on opening, or a block needing it)', 'tally-panel.js'),
    asset('storefront panel styles (tally-panel.css: with the panel)', 'tally-panel.css'),
    await bundle('checkout extension (purchase.checkout.block.render)', 'extensions/tally-checkout/src/Checkout.tsx'),
    await bundle('thank-you extension (purchase.thank-you.block.render)', 'extensions/tally-checkout/src/ThankYou.tsx'),
    await bundle('customer-account extension (profile block)', 'extensions/tally-customer-account/src/ProfileBlock.tsx'),
    await bundle('POS tile (pos.home.tile.render)', 'extensions/tally-pos/src/Tile.tsx'),
    await bundle('POS modal (pos.home.modal.render)', 'extensions/tally-pos/src/Modal.tsx'),
    await bundle('POS customer block (pos.customer-details.block.render)', 'extensions/tally-pos/src/CustomerBlock.tsx'),
    await bundle('POS post-purchase block (pos.purchase.post.block.render)', 'extensions/tally-pos/src/PostPurchase.tsx'),
  ];
  const dist = path.join(root, 'web/dist');
  if (!existsSync(path.join(dist, '.vite/manifest.json'))) return sizes; // The admin is measured only once it has been built.
  const files = (names: string[]) => Buffer.concat(names.map((name) => readFileSync(path.join(dist, name))));
  const { initial, pages } = adminChunks(dist);
  sizes.push(sizeOf('admin initial JS (React, Polaris, the shell, Home)', files(initial.js)));
  sizes.push(sizeOf('admin initial CSS (Polaris)', files(initial.css)));
  for (const [page, chunk] of pages) {
    sizes.push(sizeOf(`admin page ${path.basename(page, '.tsx')} (on first open)`, files([...chunk.js, ...chunk.css])));
  }
  return sizes;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const kb = (bytes: number) => `${(bytes / 1024).toFixed(1)} KB`;
  for (const size of await measureSizes())
    console.log(`${size.name.padEnd(80)} ${kb(size.bytes).padStart(10)} ${kb(size.gzipped).padStart(10)} gzipped`);
}

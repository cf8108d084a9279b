/**
 * What shoppers, staff and merchants download: the storefront's core and panel (theme extension
 * assets) and what the blocks add to a shop's page (rendered by the devstore's Liquid), the checkout, thank-you, customer-account and POS extension bundles (built here with
 * esbuild as Shopify CLI would), and the admin's initial JS and CSS and each page's chunks
 * (web/dist, from `npm run build`).
 * `npm run sizes` prints them; test/extensions/bundles.test.ts holds them to their budgets.
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { build } from 'esbuild';
import { loadBlocks, themeLiquid } from '../devstore/storefront.js';
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

/** A block as a guest's page carries it, with a program like the demo shop's, in English. */
async function blockHtml(name: string, block: string): Promise<Size> {
  const { source, settings } = loadBlocks()[block]!;
  const program = {
    enabled: true,
    pointsPerCurrencyUnit: 1,
    unit: 100,
    pointsName: 'points',
    version: 1,
    widget: { primaryColor: '#1f6feb', textColor: '#ffffff', position: 'bottom-right', languages: ['en'] },
  };
  const scope = {
    customer: null,
    routes: { root_url: '/', account_login_url: '/account/login', account_register_url: '/account/register', cart_url: '/cart' },
    request: { locale: { iso_code: 'en', primary: true } },
    app: { metafields: { tally: { program: { value: program } } } },
    product: { id: 1, title: 'House blend', selected_or_first_available_variant: { id: 1, price: 1_450 } },
    cart: { total_price: 1_450, item_count: 1, attributes: {} },
  };
  const html = await themeLiquid().parseAndRender(source, { block: { settings, shopify_attributes: '' } }, { globals: scope });
  return sizeOf(name, Buffer.from(html));
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
    asset('storefront panel script (tally-panel.js: on opening, or a block needing it)', 'tally-panel.js'),
    asset('storefront panel styles (tally-panel.css: with the panel)', 'tally-panel.css'),
    await blockHtml('storefront page HTML of the app embed (launcher: styles, button, config, strings, loader; every page)', 'launcher'),
    await blockHtml('storefront page HTML of the product block (earn line, config, its strings, loader)', 'product-points'),
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

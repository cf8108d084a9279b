/**
 * What shoppers, staff and merchants download: the storefront's core and panel (theme extension
 * assets) and what the blocks add to a shop's page (rendered by the devstore's Liquid), each UI
 * extension's bundle (checkout and thank-you, customer account, POS: built here exactly as Shopify
 * CLI builds them), and the admin's initial JS and CSS and each page's chunks
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
  /** For a bundle: the bytes each module puts in it (esbuild's metafile), largest first. */
  modules?: Array<{ path: string; bytes: number }>;
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

/** A UI extension's targets as its shopify.extension.toml declares them, in order. */
export function extensionTargets(handle: string): Array<{ target: string; module: string }> {
  const toml = readFileSync(path.join(root, 'extensions', handle, 'shopify.extension.toml'), 'utf8');
  return toml
    .split('[[extensions.targeting]]')
    .slice(1)
    .map((section) => ({ target: /^target = "([^"]+)"$/m.exec(section)![1]!, module: /^module = "([^"]+)"$/m.exec(section)![1]! }));
}

/**
 * A UI extension's bundle as `shopify app build` and `deploy` make it (@shopify/cli 4.8, its
 * bundleExtension): ONE file for every target in the toml, whose entry imports each target's
 * module and registers it with `shopify.extend`, so every target downloads all of it. The esbuild
 * options are the CLI's own: ES6, minified, no legal comments, NODE_ENV "production", a source map
 * (its URL comment is part of the file). test/shopify/shopify-cli.test.ts checks this against the
 * CLI's own dist/ file.
 */
export async function extensionBundle(handle: string): Promise<{ code: Uint8Array; modules: NonNullable<Size['modules']> }> {
  const directory = path.join(root, 'extensions', handle);
  const entry = extensionTargets(handle)
    .map(({ target, module }, index) => `import Target_${index} from '${module}';shopify.extend('${target}', (...args) => Target_${index}(...args));`)
    .join(' ');
  const result = await build({
    stdin: { contents: entry, resolveDir: directory, loader: 'tsx' },
    outfile: path.join(directory, 'dist', `${handle}.js`),
    bundle: true,
    define: { 'process.env.NODE_ENV': '"production"' },
    jsx: 'automatic',
    loader: { '.esnext': 'ts', '.js': 'jsx' },
    legalComments: 'none',
    minify: true,
    target: 'es6',
    resolveExtensions: ['.tsx', '.ts', '.js', '.json', '.esnext', '.mjs', '.ejs'],
    sourcemap: true,
    sourceRoot: `${directory}/src`,
    metafile: true,
    write: false,
    logLevel: 'silent',
  });
  const code = result.outputFiles.find((file) => file.path.endsWith('.js'))!.contents;
  const output = Object.entries(result.metafile.outputs).find(([file]) => file.endsWith('.js'))![1];
  const modules = Object.entries(output.inputs)
    .map(([input, { bytesInOutput }]) => ({ path: input.replace(/^.*node_modules\//, ''), bytes: bytesInOutput }))
    .sort((a, b) => b.bytes - a.bytes);
  return { code, modules };
}

async function uiExtension(name: string, handle: string): Promise<Size> {
  const { code, modules } = await extensionBundle(handle);
  return { ...sizeOf(name, code), modules };
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
    await uiExtension('checkout extension (tally-checkout: checkout and thank-you blocks, one bundle)', 'tally-checkout'),
    await uiExtension('customer-account extension (tally-customer-account: profile block)', 'tally-customer-account'),
    await uiExtension('POS extension (tally-pos: tile, modal, customer and post-purchase blocks)', 'tally-pos'),
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
  for (const size of await measureSizes()) {
    console.log(`${size.name.padEnd(80)} ${kb(size.bytes).padStart(10)} ${kb(size.gzipped).padStart(10)} gzipped`);
    for (const module of size.modules ?? []) console.log(`    ${module.path.padEnd(76)} ${kb(module.bytes).padStart(10)}`);
  }
}

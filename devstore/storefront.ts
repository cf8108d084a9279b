import { createHash, createHmac } from 'node:crypto';
import { readFileSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import express, { Router, type Request, type Response } from 'express';
import { Liquid } from 'liquidjs';
import type { Devstore } from './devstore.js';
import { escapeHtml, mountCheckout, summaryHtml, type Cart, type StorefrontSession } from './checkout.js';
import { formatAmount } from './money.js';
import { DEFAULT_THEME, type DevShop, type DevTheme } from './state.js';

/** Each language in its own words, as a storefront's language selector lists them. */
const LANGUAGE_NAMES: Record<string, string> = { en: 'English', fr: 'Français', de: 'Deutsch', es: 'Español' };

/** The theme extension the storefront renders; `DEVSTORE_THEME_DIR` names another copy (the storefront benchmark compares an earlier version). */
export const THEME_EXTENSION_DIR = path.resolve(
  process.env.DEVSTORE_THEME_DIR ?? path.join(path.dirname(fileURLToPath(import.meta.url)), '../extensions/tally-theme'),
);
const SCHEMA = /{%-?\s*schema\s*-?%}([\s\S]*?){%-?\s*endschema\s*-?%}/;

interface Block {
  source: string;
  settings: Record<string, unknown>;
  /** The schema's `javascript` and `stylesheet`: assets Shopify puts on the page once, however many blocks name them. */
  javascript?: string;
  stylesheet?: string;
}

/** The theme extension's blocks, schemas stripped and setting defaults read, as Shopify's theme editor would place them. */
export function loadBlocks(): Record<string, Block> {
  const blocks: Record<string, Block> = {};
  for (const file of readdirSync(path.join(THEME_EXTENSION_DIR, 'blocks'))) {
    const text = readFileSync(path.join(THEME_EXTENSION_DIR, 'blocks', file), 'utf8');
    const schema = JSON.parse(SCHEMA.exec(text)?.[1] ?? '{}') as {
      settings?: Array<{ id: string; default?: unknown }>;
      javascript?: string;
      stylesheet?: string;
    };
    blocks[file.replace(/\.liquid$/, '')] = {
      source: text.replace(SCHEMA, ''),
      settings: Object.fromEntries((schema.settings ?? []).map((setting) => [setting.id, setting.default])),
      ...(schema.javascript ? { javascript: schema.javascript } : {}),
      ...(schema.stylesheet ? { stylesheet: schema.stylesheet } : {}),
    };
  }
  return blocks;
}

interface ThemeAsset {
  mtimeMs: number;
  version: string;
  body: Buffer;
  gzipped: Buffer;
}
const themeAssets = new Map<string, ThemeAsset>();

/** An asset of the extension as the CDN holds it: its content's version and its gzipped body, read again when the file changes. */
function themeAsset(file: string): ThemeAsset | undefined {
  const full = path.join(THEME_EXTENSION_DIR, 'assets', path.basename(file));
  try {
    const { mtimeMs } = statSync(full);
    const known = themeAssets.get(full);
    if (known?.mtimeMs === mtimeMs) return known;
    const body = readFileSync(full);
    const asset = { mtimeMs, version: createHash('sha256').update(body).digest('hex').slice(0, 10), body, gzipped: gzipSync(body) };
    themeAssets.set(full, asset);
    return asset;
  } catch {
    return undefined;
  }
}

/** An asset's URL as Shopify's CDN gives it: versioned by its content, so browsers may keep it for a year. */
export function themeAssetUrl(file: string): string {
  // A missing asset gets a URL all the same; the CDN answers 404 for it, as Shopify's does.
  return `/devstore/theme-assets/${encodeURIComponent(path.basename(file))}?v=${themeAsset(file)?.version ?? '0'}`;
}

/** Sends a body gzipped when the browser takes gzip, as Shopify serves storefront pages and CDN assets. */
function sendCompressed(req: Request, res: Response, body: Buffer, gzipped: Buffer = gzipSync(body)): void {
  res.vary('Accept-Encoding');
  if (req.acceptsEncodings('gzip') === 'gzip') res.set('Content-Encoding', 'gzip').send(gzipped);
  else res.send(body);
}

export function themeOf(shop: DevShop): DevTheme {
  return { ...DEFAULT_THEME, ...shop.theme };
}

/**
 * The Liquid engine the devstore's storefront renders the extension with: Shopify's `asset_url`
 * and `t` filters over the extension's own assets and locale files.
 */
export function themeLiquid(): Liquid {
  const liquid = new Liquid({ root: path.join(THEME_EXTENSION_DIR, 'snippets'), extname: '.liquid', cache: true });
  const locales = new Map<string, Record<string, unknown>>();
  liquid.registerFilter('asset_url', (file: string) => themeAssetUrl(file));
  liquid.registerFilter('t', function (this: { context: { getSync(path: string[]): unknown } }, key: string, ...args: Array<[string, unknown]>) {
    const language = String(this.context.getSync(['request', 'locale', 'iso_code']) ?? 'en');
    const locale = locales.get(language) ?? loadLocale(language);
    locales.set(language, locale);
    let text: unknown = locale;
    for (const part of key.split('.')) text = (text as Record<string, unknown> | undefined)?.[part];
    let result = typeof text === 'string' ? text : `translation missing: ${language}.${key}`;
    for (const [name, value] of args) result = result.replaceAll(`{{ ${name} }}`, String(value));
    return result;
  });
  return liquid;
}

function loadLocale(language: string): Record<string, unknown> {
  const file = language === 'en' ? 'en.default.json' : `${language}.json`;
  return JSON.parse(readFileSync(path.join(THEME_EXTENSION_DIR, 'locales', file), 'utf8')) as Record<string, unknown>;
}

function cookies(req: Request): Record<string, string> {
  return Object.fromEntries(
    (req.headers.cookie ?? '')
      .split(';')
      .map((pair) => pair.trim().split('='))
      .filter((pair) => pair.length === 2)
      .map(([key, value]) => [key!, decodeURIComponent(value!)]),
  );
}

/**
 * Signs an app-proxy query as Shopify does, written here from Shopify's documented algorithm rather than
 * taken from the app: hex HMAC-SHA256 (key = client secret) over the parameters sorted by key, each written
 * `key=value` with repeated values joined by `,`, concatenated with no separator.
 */
export function shopifyAppProxyQuery(params: Array<[string, string]>, secret: string): string {
  const grouped = new Map<string, string[]>();
  for (const [key, value] of params) grouped.set(key, [...(grouped.get(key) ?? []), value]);
  const message = [...grouped.keys()]
    .sort()
    .map((key) => `${key}=${grouped.get(key)!.join(',')}`)
    .join('');
  const query = new URLSearchParams(params);
  query.append('signature', createHmac('sha256', secret).update(message).digest('hex'));
  return query.toString();
}

/**
 * The devstore's online store: a plain theme that renders Tally's theme app extension with
 * liquidjs (app embed on every page, product, cart and account blocks), a cart with Shopify's
 * `/discount/CODE` links, a checkout with Tally's checkout UI extensions (checkout.ts) and the app proxy:
 * `/apps/loyalty/*` is forwarded to the app with Shopify's signed query.
 */
export function storefrontRouter(devstore: Devstore): Router {
  const router = Router({ mergeParams: true });
  const blocks = loadBlocks();
  const liquid = themeLiquid();

  const base = (domain: string) => `/devstore/shops/${domain}/storefront`;
  // Where links and redirects go: the shop's root in the language of this request (`/fr/…` for French).
  const here = (res: Response, shop: DevShop) => `${base(shop.domain)}${res.locals.locale ? `/${String(res.locals.locale)}` : ''}`;
  const shopOf = (req: Request): DevShop | undefined => devstore.shop(String((req.params as Record<string, string>).shop));
  const customerOf = (req: Request, shop: DevShop) => {
    const id = Number(cookies(req)[`customer_${shop.domain}`]);
    return shop.customers.get(id) ?? null;
  };
  const cartOf = (req: Request, shop: DevShop): Cart => {
    try {
      return (JSON.parse(cookies(req)[`cart_${shop.domain}`] ?? '[]') as Cart).filter((line) => shop.products.has(line.productId));
    } catch {
      return [];
    }
  };
  // Cart attributes (Shopify's Ajax Cart API `/cart/update.js`), kept beside the cart.
  const attributesOf = (req: Request, shop: DevShop): Record<string, string> => {
    try {
      return JSON.parse(cookies(req)[`cart_attributes_${shop.domain}`] ?? '{}') as Record<string, string>;
    } catch {
      return {};
    }
  };
  const money = (shop: DevShop, minor: number) => `${formatAmount(minor, shop.currency)} ${shop.currency}`;
  const discountCodeOf = (req: Request, shop: DevShop) => cookies(req)[`discount_${shop.domain}`] ?? '';
  const session: StorefrontSession = {
    base,
    shopOf,
    customerOf,
    cartOf,
    attributesOf,
    discountCodeOf,
    money,
    clearCart: (res, shop) =>
      res
        .clearCookie(`cart_${shop.domain}`, { path: base(shop.domain) })
        .clearCookie(`discount_${shop.domain}`, { path: base(shop.domain) })
        .clearCookie(`cart_attributes_${shop.domain}`, { path: base(shop.domain) }),
  };
  const quoteOf = (req: Request, shop: DevShop) =>
    devstore.quoteCart(shop.domain, {
      customerId: customerOf(req, shop)?.id ?? null,
      lines: cartOf(req, shop),
      discountCode: discountCodeOf(req, shop) || undefined,
      attributes: attributesOf(req, shop),
    });

  async function page(
    req: Request,
    res: Response,
    shop: DevShop,
    title: string,
    body: string,
    template: string,
    extra: Record<string, unknown> = {},
  ): Promise<void> {
    const customer = customerOf(req, shop);
    const theme = themeOf(shop);
    const language = typeof res.locals.locale === 'string' ? res.locals.locale : theme.locales[0]!;
    const programValue = shop.metafields.get('tally.program');
    const scope = {
      shop: { name: shop.name, permanent_domain: shop.domain, currency: shop.currency },
      customer: customer ? { id: customer.id, first_name: customer.firstName, email: customer.email } : null,
      routes: {
        // Shopify's root_url: "/" in the primary language, "/fr" in another (without the trailing slash).
        root_url: res.locals.locale ? here(res, shop) : `${base(shop.domain)}/`,
        account_login_url: `${here(res, shop)}/account/login`,
        account_register_url: `${here(res, shop)}/account/register`,
        cart_url: `${here(res, shop)}/cart`,
      },
      request: { locale: { iso_code: language, primary: language === theme.locales[0] } },
      localization: { language: { iso_code: language }, available_languages: theme.locales.map((iso) => ({ iso_code: iso })) },
      app: { metafields: { tally: { program: programValue ? { value: JSON.parse(programValue) as unknown } : null } } },
      template,
      ...extra,
    };
    // Shopify's global objects (shop, customer, app, routes…) stay visible inside `render`ed snippets.
    const render = (name: string) =>
      liquid.parseAndRender(
        blocks[name]!.source,
        { block: { settings: blocks[name]!.settings, shopify_attributes: `data-block="${name}"` } },
        { globals: scope },
      );
    const sectionBlock =
      template === 'product'
        ? 'product-points'
        : template === 'cart'
          ? 'cart-points'
          : template === 'customers/account'
            ? 'account-points'
            : undefined;
    const placed = [theme.appBlocks ? sectionBlock : undefined, theme.appEmbed ? 'launcher' : undefined].filter(
      (name): name is string => name !== undefined,
    );
    const [section = '', embed = ''] = await Promise.all([
      placed.includes(sectionBlock ?? '') ? render(sectionBlock!) : '',
      theme.appEmbed ? render('launcher') : '',
    ]);
    // The blocks' schema assets, once per page however many blocks name them, as Shopify adds them.
    const stylesheets = new Set(placed.flatMap((name) => blocks[name]!.stylesheet ?? []));
    const scripts = new Set(placed.flatMap((name) => blocks[name]!.javascript ?? []));
    const assets = [
      ...[...stylesheets].map((file) => `<link rel="stylesheet" href="${themeAssetUrl(file)}">`),
      ...[...scripts].map((file) => `<script src="${themeAssetUrl(file)}" defer></script>`),
    ].join('');
    const root = here(res, shop);
    const languages = theme.locales
      .map((iso) => `<option value="${iso}"${iso === language ? ' selected' : ''}>${LANGUAGE_NAMES[iso] ?? iso}</option>`)
      .join('');
    const localization =
      theme.locales.length > 1
        ? `<form method="post" action="${base(shop.domain)}/localization" class="localization"><input type="hidden" name="return_to" value="${escapeHtml(req.url)}"><label>Language <select name="locale_code">${languages}</select></label> <input type="submit" value="Change"></form>`
        : '';
    res.type('html');
    sendCompressed(
      req,
      res,
      Buffer.from(`<!doctype html><html lang="${language}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>${escapeHtml(title)} · ${escapeHtml(shop.name)}</title>${assets}
<style>body{font-family:Georgia,serif;margin:0;color:#222;background:#faf7f2}header{display:flex;gap:16px;align-items:center;padding:16px 24px;background:#3b2f2f;color:#fff}header a{color:#fff}main{max-width:860px;margin:24px auto;padding:0 24px}.products{display:grid;grid-template-columns:repeat(auto-fill,minmax(220px,1fr));gap:16px}.card{background:#fff;border-radius:8px;padding:16px;box-shadow:0 1px 3px rgba(0,0,0,.1)}button,input,select{font:inherit}.notice{background:#fff3cd;padding:8px 12px;border-radius:6px}.localization{margin-left:auto}</style></head>
<body><header><strong><a href="${root}">${escapeHtml(shop.name)}</a></strong><a href="${root}/cart">Cart (${cartOf(req, shop).reduce((sum, line) => sum + line.quantity, 0)})</a><a href="${root}/account">${customer ? `Account (${escapeHtml(customer.firstName)})` : 'Sign in'}</a>${localization}</header>
<main><h1>${escapeHtml(title)}</h1>${body}${section}</main>${embed}</body></html>`),
    );
  }

  // A published language other than the primary one is served under its own prefix (`/fr/products/1`),
  // as Shopify serves it: the prefix sets the request's locale, then the same routes answer.
  router.use((req, res, next) => {
    const shop = shopOf(req);
    const prefix = /^\/([a-z]{2}(?:-[a-z]{2})?)(?=[/?]|$)/i.exec(req.url);
    if (shop && prefix && themeOf(shop).locales.slice(1).includes(prefix[1]!)) {
      res.locals.locale = prefix[1];
      req.url = req.url.slice(prefix[0].length).replace(/^(?!\/)/, '/');
    }
    next();
  });

  // Shopify's language selector (`{% form 'localization' %}`): back to the same page in the chosen language.
  router.post('/localization', express.urlencoded({ extended: false }), (req, res) => {
    const shop = shopOf(req);
    if (!shop) return void res.status(404).send('No such shop');
    const { locale_code: chosen, return_to: returnTo } = req.body as Record<string, string | undefined>;
    const locales = themeOf(shop).locales;
    const locale = chosen && locales.includes(chosen) ? chosen : locales[0]!;
    const path = typeof returnTo === 'string' && returnTo.startsWith('/') && !returnTo.startsWith('//') ? returnTo : '/';
    res.redirect(303, `${base(shop.domain)}${locale === locales[0] ? '' : `/${locale}`}${path === '/' ? '' : path}`);
  });

  router.get('/', async (req, res) => {
    const shop = shopOf(req);
    if (!shop) return void res.status(404).send('No such shop');
    const products = [...shop.products.values()].filter((product) => !product.hidden && !product.giftCard);
    const cards = products
      .map(
        (product) =>
          `<div class="card"><h3><a href="${here(res, shop)}/products/${product.id}">${escapeHtml(product.title)}</a></h3><p>${money(shop, product.priceMinor)}</p></div>`,
      )
      .join('');
    await page(req, res, shop, 'Welcome', `<div class="products">${cards || '<p>No products yet.</p>'}</div>`, 'index');
  });

  router.get('/products/:productId', async (req, res) => {
    const shop = shopOf(req);
    const product = shop?.products.get(Number(req.params.productId));
    if (!shop || !product) return void res.status(404).send('No such product');
    const body = `<p class="price">${money(shop, product.priceMinor)}</p><form method="post" action="${here(res, shop)}/cart/add"><input type="hidden" name="productId" value="${product.id}"><label>Quantity <input name="quantity" type="number" min="1" value="1"></label> <button type="submit">Add to cart</button></form>`;
    await page(req, res, shop, product.title, body, 'product', {
      product: { id: product.id, title: product.title, selected_or_first_available_variant: { id: product.variantId, price: product.priceMinor } },
    });
  });

  router.post('/cart/add', express.urlencoded({ extended: false }), (req, res) => {
    const shop = shopOf(req);
    const productId = Number((req.body as Record<string, string>).productId);
    if (!shop || !shop.products.has(productId)) return void res.status(404).send('No such product');
    const cart = cartOf(req, shop);
    const quantity = Math.max(1, Math.min(99, Number((req.body as Record<string, string>).quantity) || 1));
    const line = cart.find((candidate) => candidate.productId === productId);
    if (line) line.quantity += quantity;
    else cart.push({ productId, quantity });
    res
      .cookie(`cart_${shop.domain}`, JSON.stringify(cart), { path: base(shop.domain), httpOnly: true, sameSite: 'lax' })
      .redirect(303, `${here(res, shop)}/cart`);
  });

  // Shopify's shareable discount link: remembers the code for checkout, then goes on.
  router.get('/discount/:code', (req, res) => {
    const shop = shopOf(req);
    if (!shop) return void res.status(404).send('No such shop');
    const redirect =
      typeof req.query.redirect === 'string' && req.query.redirect.startsWith(base(shop.domain)) ? req.query.redirect : base(shop.domain);
    res
      .cookie(`discount_${shop.domain}`, String(req.params.code), { path: base(shop.domain), httpOnly: true, sameSite: 'lax' })
      .redirect(303, redirect);
  });

  router.post('/cart/update.js', express.json({ limit: '10kb' }), express.urlencoded({ extended: true, limit: '10kb' }), (req, res) => {
    const shop = shopOf(req);
    if (!shop) return void res.status(404).json({ status: 404, message: 'Not Found' });
    const given = (req.body as { attributes?: unknown }).attributes;
    const attributes = attributesOf(req, shop);
    for (const [name, value] of Object.entries(typeof given === 'object' && given !== null ? given : {})) {
      if (typeof value === 'string' && value !== '') attributes[name] = value;
      else delete attributes[name];
    }
    const cart = cartOf(req, shop);
    const quote = devstore.quoteCart(shop.domain, {
      customerId: customerOf(req, shop)?.id ?? null,
      lines: cart,
      discountCode: discountCodeOf(req, shop) || undefined,
      attributes,
    });
    res.cookie(`cart_attributes_${shop.domain}`, JSON.stringify(attributes), { path: base(shop.domain), httpOnly: true, sameSite: 'lax' }).json({
      attributes,
      item_count: cart.reduce((sum, line) => sum + line.quantity, 0),
      items_subtotal_price: quote.subtotalMinor,
      total_price: quote.totalMinor,
      currency: shop.currency,
    });
  });

  // Shopify's cart: a code from a /discount link or typed here is priced in the cart, and
  // `cart.total_price` (what the theme's estimate reads) is after it and the automatic discount.
  router.get('/cart', async (req, res) => {
    const shop = shopOf(req);
    if (!shop) return void res.status(404).send('No such shop');
    const cart = cartOf(req, shop);
    const quote = quoteOf(req, shop);
    const code = discountCodeOf(req, shop);
    const notice = quote.codeError ?? (typeof req.query.error === 'string' ? req.query.error : null);
    const summary = cart.length ? summaryHtml(session, shop, cart, quote, true) : '<p>Your cart is empty.</p>';
    const body = `${notice ? `<p class="notice" role="alert">${escapeHtml(notice)}</p>` : ''}<div data-cart>${summary}</div>
<form method="post" action="${here(res, shop)}/checkout"><label>Discount code <input name="discountCode" value="${escapeHtml(code)}"></label> <button type="submit" formaction="${here(res, shop)}/cart/discount">Apply</button> <button type="submit" ${cart.length ? '' : 'disabled'}>Check out</button></form>`;
    const itemCount = cart.reduce((sum, line) => sum + line.quantity, 0);
    await page(req, res, shop, 'Your cart', body, 'cart', {
      cart: { total_price: quote.totalMinor, items_subtotal_price: quote.subtotalMinor, item_count: itemCount, attributes: attributesOf(req, shop) },
    });
  });

  router.post('/cart/discount', express.urlencoded({ extended: false }), (req, res) => {
    const shop = shopOf(req);
    if (!shop) return void res.status(404).send('No such shop');
    const code = String((req.body as Record<string, string>).discountCode ?? '').trim();
    const options = { path: base(shop.domain), httpOnly: true, sameSite: 'lax' } as const;
    (code ? res.cookie(`discount_${shop.domain}`, code, options) : res.clearCookie(`discount_${shop.domain}`, options)).redirect(
      303,
      `${here(res, shop)}/cart`,
    );
  });

  mountCheckout(router, devstore, session);

  router.get(['/account', '/account/login', '/account/register'], async (req, res) => {
    const shop = shopOf(req);
    if (!shop) return void res.status(404).send('No such shop');
    const customer = customerOf(req, shop);
    const options = [...shop.customers.values()]
      .map(
        (candidate) => `<option value="${candidate.id}">${escapeHtml(`${candidate.firstName} ${candidate.lastName} (${candidate.email})`)}</option>`,
      )
      .join('');
    const body = customer
      ? `<p>Signed in as ${escapeHtml(customer.email)}. <a href="${here(res, shop)}/account/logout">Sign out</a></p>`
      : `<form method="post" action="${here(res, shop)}/account/login"><label>Sign in as <select name="customerId">${options}</select></label> <button type="submit">Sign in</button></form>`;
    await page(req, res, shop, customer ? 'Your account' : 'Sign in', body, customer ? 'customers/account' : 'customers/login');
  });

  router.post('/account/login', express.urlencoded({ extended: false }), (req, res) => {
    const shop = shopOf(req);
    const id = Number((req.body as Record<string, string>).customerId);
    if (!shop || !shop.customers.has(id)) return void res.status(404).send('No such customer');
    res
      .cookie(`customer_${shop.domain}`, String(id), { path: base(shop.domain), httpOnly: true, sameSite: 'lax' })
      .redirect(303, `${here(res, shop)}/account`);
  });

  router.get('/account/logout', (req, res) => {
    const shop = shopOf(req);
    if (!shop) return void res.status(404).send('No such shop');
    res.clearCookie(`customer_${shop.domain}`, { path: base(shop.domain) }).redirect(303, here(res, shop));
  });

  // The app proxy, as Shopify runs it: the storefront's session decides logged_in_customer_id.
  router.all('/apps/loyalty/{*rest}', express.raw({ type: '*/*', limit: '100kb' }), async (req, res) => {
    const shop = shopOf(req);
    if (!shop) return void res.status(404).send('No such shop');
    const rest = ([] as string[]).concat((req.params as Record<string, string | string[]>).rest ?? []).join('/');
    // Every value of a repeated parameter is forwarded (and signed) as Shopify does; Shopify sets its own
    // parameters, so a shopper cannot supply them.
    const own = new Set(['shop', 'logged_in_customer_id', 'path_prefix', 'timestamp', 'signature']);
    const extra = Object.entries(req.query).flatMap(([key, value]) =>
      own.has(key)
        ? []
        : ([] as unknown[])
            .concat(value)
            .filter((item): item is string => typeof item === 'string')
            .map((item): [string, string] => [key, item]),
    );
    const query = shopifyAppProxyQuery(
      [
        ...extra,
        ['shop', shop.domain],
        ['logged_in_customer_id', String(customerOf(req, shop)?.id ?? '')],
        ['path_prefix', '/apps/loyalty'],
        ['timestamp', String(Math.floor(Date.now() / 1000))],
      ],
      devstore.options.apiSecret,
    );
    const forwarded = await fetch(`${devstore.options.appUrl}/proxy/${rest}?${query}`, {
      method: req.method,
      headers: { 'Content-Type': String(req.headers['content-type'] ?? 'application/json'), 'X-Forwarded-For': req.ip ?? '' },
      body: ['GET', 'HEAD'].includes(req.method) || !Buffer.isBuffer(req.body) ? undefined : new Uint8Array(req.body),
    });
    for (const header of ['content-type', 'cache-control', 'retry-after']) {
      const value = forwarded.headers.get(header);
      if (value) res.set(header, value);
    }
    res.status(forwarded.status).send(Buffer.from(await forwarded.arrayBuffer()));
  });
  return router;
}

/** The extension's assets, as Shopify's CDN serves them. */
export function themeAssetsRouter(): Router {
  const router = Router();
  // URLs carry the content's version (themeAssetUrl), so a changed asset is a new URL and browsers keep each for a year.
  router.get('/devstore/theme-assets/:file', (req, res) => {
    const asset = themeAsset(String(req.params.file));
    if (!asset) return void res.status(404).send('Not found');
    res.type(path.extname(String(req.params.file))).set('Cache-Control', 'public, max-age=31536000, immutable');
    sendCompressed(req, res, asset.body, asset.gzipped);
  });
  return router;
}

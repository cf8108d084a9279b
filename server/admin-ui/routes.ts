import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import express, { Router, type RequestHandler } from 'express';
import type { Config } from '../platform/config.js';
import { verifiedShopOfQuery } from '../shopify/query-hmac.js';
import { embeddedAppUrl, isShopDomain } from '../shopify/shop-domain.js';

export const ADMIN_DIST = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../web/dist');

/**
 * Shopify's App Bridge from Shopify's CDN (it reads the `shopify-api-key` meta) wherever the real
 * Shopify frames the admin; in devstore mode the devstore's admin frame provides the same `shopify` global.
 */
function appBridgeTag(config: Config): string {
  return config.shopify === 'shopify'
    ? '<script src="https://cdn.shopify.com/shopifycloud/app-bridge.js"></script>'
    : '<script src="/devstore/app-bridge.js"></script>';
}

/** The path of `[auth] redirect_urls` in shopify.app.toml and `auth_callback_path` in shopify.web.toml. */
export const AUTH_CALLBACK_PATH = '/auth/callback';

/**
 * The Brotli or gzip copy of a script or style sheet that Vite wrote beside it (web/vite.config.ts),
 * for a browser that accepts one: the admin's first load is a quarter of its bytes this way.
 */
function precompressed(assets: string): RequestHandler {
  return (req, res, next) => {
    const name = req.path.slice(1);
    if ((req.method !== 'GET' && req.method !== 'HEAD') || !/^[\w.-]+\.(js|css)$/.test(name)) return next();
    res.vary('Accept-Encoding');
    // Brotli whenever it is accepted at all (Chrome sends "gzip, deflate, br, zstd"): it is the smaller.
    const encoding = req.acceptsEncodings('br') ? 'br' : req.acceptsEncodings('gzip') ? 'gzip' : undefined;
    if (!encoding) return next();
    const copy = `${name}.${encoding === 'br' ? 'br' : 'gz'}`;
    if (!existsSync(path.join(assets, copy))) return next();
    res.type(path.extname(name)).set('Content-Encoding', encoding);
    res.sendFile(copy, { root: assets, immutable: true, maxAge: '1y' }, (error) => error && next(error));
  };
}

/**
 * The embedded admin (web/, built by Vite into web/dist) at the app's URL, where Shopify's admin
 * frames it. Only the admin of the shop named in the URL (and Shopify's admin) may frame it.
 * Installs run through token exchange on the first session token, so the auth callback only sends
 * a merchant whom Shopify redirected there (with a signed query) on to the app in their admin.
 */
export function adminUiRouter(config: Config, clock: () => Date = () => new Date()): Router {
  const router = Router();
  router.get(AUTH_CALLBACK_PATH, (req, res) => {
    const query = req.originalUrl.split('?')[1] ?? '';
    const shop = verifiedShopOfQuery(query, config.shopifyApiSecret, clock());
    if (!shop) {
      res
        .status(401)
        .type('text')
        .send('This link is not a signed redirect from Shopify (or it is older than 90 seconds): open the app from your Shopify admin.');
      return;
    }
    res.redirect(302, embeddedAppUrl(config, shop));
  });
  router.use('/assets', precompressed(path.join(ADMIN_DIST, 'assets')));
  router.use('/assets', express.static(path.join(ADMIN_DIST, 'assets'), { immutable: true, maxAge: '1y', fallthrough: false }));
  let page: string | undefined;
  router.get('/', (req, res) => {
    const index = path.join(ADMIN_DIST, 'index.html');
    if (!existsSync(index)) {
      res.status(503).type('text').send('The admin is not built yet: run `npm run build` (npm start and npm test do it for you).');
      return;
    }
    page ??= readFileSync(index, 'utf8').replace('%SHOPIFY_API_KEY%', config.shopifyApiKey).replace('<!--app-bridge-->', appBridgeTag(config));
    const shop = typeof req.query.shop === 'string' && isShopDomain(req.query.shop) ? req.query.shop : undefined;
    const ancestors = config.shopify === 'shopify' ? [...(shop ? [`https://${shop}`] : []), 'https://admin.shopify.com'] : ["'self'"];
    res
      .set({ 'Content-Security-Policy': `frame-ancestors ${ancestors.join(' ')};`, 'Cache-Control': 'no-cache' })
      .type('html')
      .send(page);
  });
  return router;
}

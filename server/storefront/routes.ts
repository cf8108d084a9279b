import express, { Router, type NextFunction, type Request, type Response } from 'express';
import type { AppContext } from '../platform/context.js';
import { shopperView } from './shopper-view.js';
import { InvalidProxySignature, verifyAppProxy, type AppProxyRequest } from '../shopify/app-proxy.js';
import { rateLimiter } from '../platform/rate-limit.js';
import { redeemAndRespond } from '../redemption/index.js';

function proxyRequest(res: Response): AppProxyRequest {
  return res.locals.proxy as AppProxyRequest;
}

/**
 * The app proxy: Shopify forwards `https://{shop}/apps/loyalty/*` here with a signed query.
 * Nothing is read before the signature and timestamp check; `logged_in_customer_id` is trusted
 * only because the signature covers it.
 */
export function proxyRouter(ctx: AppContext): Router {
  const router = Router();
  const perCustomer = rateLimiter(ctx.config.proxyRateLimitPerMinute);
  const perIp = rateLimiter(ctx.config.proxyRateLimitPerMinute * 10);

  router.use('/proxy', (req: Request, res: Response, next: NextFunction) => {
    res.set('Cache-Control', 'private, no-store');
    let verified: AppProxyRequest;
    try {
      verified = verifyAppProxy(req.originalUrl.split('?')[1] ?? '', ctx.config.shopifyApiSecret, new Date());
    } catch (error) {
      if (!(error instanceof InvalidProxySignature)) throw error;
      res.status(401).json({ error: 'invalid_signature', message: `App proxy request rejected: ${error.message}` });
      return;
    }
    const now = Date.now();
    if (!perIp(req.ip ?? 'unknown', now) || (verified.customerId !== null && !perCustomer(`${verified.shop}|${verified.customerId}`, now))) {
      res.set('Retry-After', '60').status(429).json({ error: 'rate_limited', message: 'Too many requests; try again in a minute' });
      return;
    }
    res.locals.proxy = verified;
    next();
  });

  router.get('/proxy/customer', async (_req, res) => {
    const { shop, customerId } = proxyRequest(res);
    const view = await shopperView(ctx, shop, customerId, ctx.clock());
    if (!view) {
      res.status(404).json({ error: 'not_installed', message: 'Tally is not installed on this shop' });
      return;
    }
    // A guest's view is the same for every guest of the shop: let Shopify's proxy and browsers cache it.
    if (customerId === null) res.set('Cache-Control', 'public, max-age=60');
    res.json(view);
  });

  router.post('/proxy/redemptions', express.json({ limit: '10kb' }), async (req, res) => {
    const { shop, customerId } = proxyRequest(res);
    if (customerId === null) {
      res.status(401).json({ error: 'login_required', message: 'Sign in to redeem points' });
      return;
    }
    await redeemAndRespond(ctx, res, req.body, { shop, customerId, source: 'storefront' });
  });
  return router;
}

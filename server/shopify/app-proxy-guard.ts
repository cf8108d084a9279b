import type { NextFunction, Request, Response } from 'express';
import type { AppContext } from '../platform/context.js';
import { InvalidProxySignature, verifyAppProxy, type AppProxyRequest } from './app-proxy.js';

/**
 * The app-proxy check for routers mounted beside storefront's proxyRouter. Mounted after it (as
 * boot.ts does), storefront's middleware has already verified the request and applied its rate
 * limits, and res.locals.proxy is what it vouched for; mounted alone, the signature is checked here,
 * so a route is never reachable unsigned.
 */
export function appProxyGuard(ctx: AppContext) {
  return (req: Request, res: Response, next: NextFunction): void => {
    res.set('Cache-Control', 'private, no-store');
    if (res.locals.proxy) return next();
    try {
      res.locals.proxy = verifyAppProxy(req.originalUrl.split('?')[1] ?? '', ctx.config.shopifyApiSecret, ctx.clock());
    } catch (error) {
      if (!(error instanceof InvalidProxySignature)) throw error;
      res.status(401).json({ error: 'invalid_signature', message: `App proxy request rejected: ${error.message}` });
      return;
    }
    next();
  };
}

export function proxyRequest(res: Response): AppProxyRequest {
  return res.locals.proxy as AppProxyRequest;
}

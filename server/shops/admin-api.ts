import { Router, type NextFunction, type Request, type Response } from 'express';
import type { AppContext } from '../platform/context.js';
import { shopInstaller, type InstallHook } from './install.js';
import { InvalidSessionToken, sessionTokenVerifier } from '../shopify/session-token.js';

/** The session token a request to /api carries (`Authorization: Bearer …`), or null. */
export function bearerToken(req: Request): string | null {
  return /^Bearer (\S+)$/.exec(req.headers.authorization ?? '')?.[1] ?? null;
}

/**
 * /api: every request carries an App Bridge session token. The token names the shop, so a
 * handler only ever sees its own shop's data; the first valid token of a shop installs it.
 */
export function apiRouter(ctx: AppContext, routers: Router[], installHooks: InstallHook[]): Router {
  const verify = sessionTokenVerifier(ctx.config);
  const install = shopInstaller(ctx, installHooks);
  const api = Router();

  api.use(async (req: Request, res: Response, next: NextFunction) => {
    const token = bearerToken(req);
    if (token === null) {
      res.status(401).json({ error: 'unauthorized', message: 'Authorization: Bearer <session token> is required' });
      return;
    }
    try {
      const claims = await verify(token);
      await install(claims.shop, token);
      res.locals.shop = claims.shop;
      res.locals.staffId = claims.userId;
      res.set('Cache-Control', 'private, no-store');
      next();
    } catch (error) {
      if (error instanceof InvalidSessionToken) {
        res.status(401).json({ error: 'unauthorized', message: `Invalid session token: ${error.message}` });
        return;
      }
      next(error);
    }
  });
  for (const router of routers) api.use(router);
  return Router().use('/api', api);
}

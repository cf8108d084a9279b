import { Router, type NextFunction, type Request, type Response } from 'express';
import type { AppContext } from '../platform/context.js';
import { shopInstaller, type InstallHook } from './install.js';
import { InvalidSessionToken, sessionTokenVerifier } from '../shopify/session-token.js';

/**
 * /api: every request carries an App Bridge session token. The token names the shop, so a
 * handler only ever sees its own shop's data; the first valid token of a shop installs it.
 */
export function apiRouter(ctx: AppContext, routers: Router[], installHooks: InstallHook[]): Router {
  const verify = sessionTokenVerifier(ctx.config);
  const install = shopInstaller(ctx, installHooks);
  const api = Router();

  api.use(async (req: Request, res: Response, next: NextFunction) => {
    const match = /^Bearer (\S+)$/.exec(req.headers.authorization ?? '');
    if (!match) {
      res.status(401).json({ error: 'unauthorized', message: 'Authorization: Bearer <session token> is required' });
      return;
    }
    try {
      const claims = await verify(match[1]!);
      await install(claims.shop, match[1]!);
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

import { Router, type NextFunction, type Request, type Response } from 'express';
import type { AppContext } from '../platform/context.js';
import { shopperView } from './shopper-view.js';
import { findOrderPoints } from '../earning/index.js';
import { entryForKey, ledgerKeys } from '../ledger/index.js';
import { checkoutTokenVerifier, InvalidSessionToken, type CheckoutTokenClaims } from '../shopify/session-token.js';
import { pointsSpentOnOrder, redeemAndRespond } from '../redemption/index.js';
import { rateLimiter } from '../platform/rate-limit.js';
import { jsonBody } from '../platform/http-app.js';

function claimsOf(res: Response): CheckoutTokenClaims {
  return res.locals.checkout as CheckoutTokenClaims;
}

/**
 * /extensions: the backend of the checkout, thank-you and customer-account UI extensions. They
 * run in Shopify's sandbox on another origin and call with the extension's session token, so
 * CORS is open to any origin but nothing is answered without a valid token.
 *
 * Limits: per address (the caller reaches the app directly, so through the operator's proxies
 * only), and per token subject: the buyer, or all of a shop's anonymous buyers together.
 */
export function extensionsRouter(ctx: AppContext): Router {
  const router = Router();
  const verify = checkoutTokenVerifier(ctx.config);
  const limit = ctx.config.proxyRateLimitPerMinute;
  const perIp = rateLimiter(limit * 10);
  const perBuyer = rateLimiter(limit);
  const anonymousPerShop = rateLimiter(limit * 50);
  const tooMany = (res: Response) =>
    res.set('Retry-After', '60').status(429).json({ error: 'rate_limited', message: 'Too many requests; try again in a minute' });

  router.use('/extensions', async (req: Request, res: Response, next: NextFunction) => {
    res.set({
      'Access-Control-Allow-Origin': '*',
      'Access-Control-Allow-Headers': 'Authorization, Content-Type',
      'Access-Control-Allow-Methods': 'GET, POST',
      'Cache-Control': 'private, no-store',
    });
    if (req.method === 'OPTIONS') {
      res.status(204).end();
      return;
    }
    const at = ctx.clock().getTime();
    if (!perIp(req.ip ?? 'unknown', at)) {
      tooMany(res);
      return;
    }
    const match = /^Bearer (\S+)$/.exec(req.headers.authorization ?? '');
    try {
      if (!match) throw new InvalidSessionToken('Authorization: Bearer <session token> is required');
      const claims = await verify(match[1]!);
      if (!(claims.customerId === null ? anonymousPerShop(claims.shop, at) : perBuyer(`${claims.shop}|${claims.customerId}`, at))) {
        tooMany(res);
        return;
      }
      res.locals.checkout = claims;
      next();
    } catch (error) {
      if (!(error instanceof InvalidSessionToken)) throw error;
      res.status(401).json({ error: 'unauthorized', message: `Invalid session token: ${error.message}` });
    }
  });

  /** The shopper's view; with `orderId` (the thank-you page) also what that order earned, once credited. */
  router.get('/extensions/customer', async (req, res) => {
    const { shop, customerId } = claimsOf(res);
    const orderId = typeof req.query.orderId === 'string' && /^\d{1,20}$/.test(req.query.orderId) ? req.query.orderId : null;
    // The order's record is written just before its credit: it counts as credited once the ledger has
    // the credit, and the view is read after that, so the balance shown includes what it earned.
    const found = orderId && customerId ? await findOrderPoints(ctx.connection, shop, orderId) : null;
    const record = found && (found.earned === 0 || (await entryForKey(ctx.connection, shop, ledgerKeys.orderEarned(found.orderId)))) ? found : null;
    const view = await shopperView(ctx, shop, customerId, ctx.clock());
    if (!view) {
      res.status(404).json({ error: 'not_installed', message: 'Tally is not installed on this shop' });
      return;
    }
    const order =
      record && customerId && record.customerId === customerId
        ? {
            orderId: record.orderId,
            points: record.earned,
            pending: record.pendingUntil !== null && record.pendingUntil > ctx.clock(),
            // Points held at checkout and spent on this order's discount (extensions/tally-discount).
            pointsSpent: await pointsSpentOnOrder(ctx, shop, record.orderId, customerId),
          }
        : null;
    res.json({ ...view, order });
  });

  router.post('/extensions/redemptions', jsonBody('10kb'), async (req, res) => {
    const { shop, customerId } = claimsOf(res);
    if (customerId === null) {
      res.status(401).json({ error: 'login_required', message: 'Log in to redeem points' });
      return;
    }
    await redeemAndRespond(ctx, res, req.body, { shop, customerId, source: 'checkout' });
  });
  return router;
}

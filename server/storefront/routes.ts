import { jsonBody } from '../platform/http-app.js';
import { Router, type NextFunction, type Request, type Response } from 'express';
import type { AppContext } from '../platform/context.js';
import { shopperView } from './shopper-view.js';
import { InvalidProxySignature, verifyAppProxy, type AppProxyRequest } from '../shopify/app-proxy.js';
import { clientAddress, rateLimiter, trustedProxyHops } from '../platform/rate-limit.js';
import { redeemAndRespond } from '../redemption/index.js';
import { z } from 'zod';
import { sharedAvailable } from '../groups/index.js';
import { balanceOf } from '../ledger/index.js';
import { fieldErrors } from '../platform/field-errors.js';
import {
  cancelHold,
  checkoutTerms,
  createHold,
  customerLiveHolds,
  HOLD_TTL_MS,
  HoldRefused,
  holdView,
  type HoldRefusal,
} from '../redemption/index.js';

function proxyRequest(res: Response): AppProxyRequest {
  return res.locals.proxy as AppProxyRequest;
}

/**
 * The app proxy: Shopify forwards `https://{shop}/apps/loyalty/*` here with a signed query.
 * Nothing is read before the signature and timestamp check; `logged_in_customer_id` is trusted
 * only because the signature covers it.
 *
 * Limits: per customer (signed, so not dodged by changing addresses), per shop for all its guests
 * together (a guest has no identity a client cannot rotate), and per address as Shopify's proxy
 * reported it, one hop beyond the operator's own proxies.
 */
/** `POST /proxy/holds`: the OpenAPI document is derived from it (headless/openapi.ts). */
export const holdRequest = z.object({
  points: z.number().int('must be a whole number').min(1).max(10_000_000),
  requestKey: z.string().regex(/^[\w-]{8,64}$/, 'must be 8-64 letters, digits, - or _'),
  cartSubtotal: z.number().int().min(0).optional(),
});

export function proxyRouter(ctx: AppContext): Router {
  const router = Router();
  const limit = ctx.config.proxyRateLimitPerMinute;
  const perCustomer = rateLimiter(limit);
  const perIp = rateLimiter(limit * 10);
  const guestsPerShop = rateLimiter(limit * 50);
  const shopifyHop = trustedProxyHops(ctx.config) + 1;

  router.use('/proxy', (req: Request, res: Response, next: NextFunction) => {
    res.set('Cache-Control', 'private, no-store');
    const now = ctx.clock();
    let verified: AppProxyRequest;
    try {
      verified = verifyAppProxy(req.originalUrl.split('?')[1] ?? '', ctx.config.shopifyApiSecret, now);
    } catch (error) {
      if (!(error instanceof InvalidProxySignature)) throw error;
      res.status(401).json({ error: 'invalid_signature', message: `App proxy request rejected: ${error.message}` });
      return;
    }
    const at = now.getTime();
    const allowed =
      perIp(clientAddress(req, shopifyHop), at) &&
      (verified.customerId === null ? guestsPerShop(verified.shop, at) : perCustomer(`${verified.shop}|${verified.customerId}`, at));
    if (!allowed) {
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

  router.post('/proxy/redemptions', jsonBody('10kb'), async (req, res) => {
    const { shop, customerId } = proxyRequest(res);
    if (customerId === null) {
      res.status(401).json({ error: 'login_required', message: 'Sign in to redeem points' });
      return;
    }
    await redeemAndRespond(ctx, res, req.body, { shop, customerId, source: 'storefront' });
  });
  // Checkout redemption without codes (docs/checkout-redemption.md): reserve points, list them, take them back.
  const holdStatus: Record<HoldRefusal, 404 | 409 | 422> = {
    not_offered: 422,
    invalid_points: 422,
    cart_below_minimum: 422,
    exceeds_cart: 422,
    request_key_reused: 422,
    insufficient_points: 409,
    hold_settled: 409,
    hold_released: 409,
    unknown_hold: 404,
  };
  const holdRoute =
    (handler: (req: Request, res: Response, shop: string, customerId: string) => Promise<void>) => async (req: Request, res: Response) => {
      const { shop, customerId } = proxyRequest(res);
      if (customerId === null) return void res.status(401).json({ error: 'login_required', message: 'Sign in to use points at checkout' });
      try {
        await handler(req, res, shop, customerId);
      } catch (error) {
        if (!(error instanceof HoldRefused)) throw error;
        res.status(holdStatus[error.code]).json({ error: error.code, message: error.message });
      }
    };
  router.get(
    '/proxy/holds',
    holdRoute(async (_req, res, shop, customerId) => {
      const [terms, holds, balance] = await Promise.all([
        checkoutTerms(ctx, shop, customerId),
        customerLiveHolds(ctx, shop, customerId),
        balanceOf(ctx.connection, shop, customerId),
      ]);
      const shared = await sharedAvailable(ctx, shop, customerId, balance.available);
      res.json({ terms: terms && { ...terms, expiresInMinutes: HOLD_TTL_MS / 60_000 }, balance: shared.available, holds: holds.map(holdView) });
    }),
  );
  router.post(
    '/proxy/holds',
    jsonBody('10kb'),
    holdRoute(async (req, res, shop, customerId) => {
      const parsed = holdRequest.safeParse(req.body);
      if (!parsed.success)
        return void res.status(422).json({ error: 'invalid_hold', message: 'The hold request is invalid', errors: fieldErrors(parsed.error) });
      const result = await createHold(ctx, { shop, customerId, ...parsed.data });
      res.status(201).json({ ...holdView(result.hold), replayed: result.replayed, published: result.published });
    }),
  );
  router.delete(
    '/proxy/holds/:holdId',
    holdRoute(async (req, res, shop, customerId) => {
      await cancelHold(ctx, { shop, customerId, holdId: String(req.params.holdId) });
      res.status(204).end();
    }),
  );
  return router;
}

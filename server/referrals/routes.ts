import { Router } from 'express';
import { z } from 'zod';
import { engagementSettingsOf } from '../engagement/index.js';
import { appProxyGuard, proxyRequest } from '../shopify/app-proxy-guard.js';
import { apiLocals } from '../platform/api-locals.js';
import type { AppContext } from '../platform/context.js';
import { loadProgram } from '../program/index.js';
import { listReferrals, referralLinkFor } from './service.js';

/** GET /proxy/referral: the logged-in customer's code and link. Mount after storefront's proxyRouter. */
export function referralProxyRouter(ctx: AppContext): Router {
  const router = Router();
  router.get('/proxy/referral', appProxyGuard(ctx), async (_req, res) => {
    const { shop, customerId } = proxyRequest(res);
    if (customerId === null) return void res.status(401).json({ error: 'login_required', message: 'Sign in to get your referral link' });
    const program = await loadProgram(ctx.connection, shop);
    if (!program) return void res.status(404).json({ error: 'not_installed', message: 'Tally is not installed on this shop' });
    if (!engagementSettingsOf(program).referrals.enabled)
      return void res.status(404).json({ error: 'referrals_off', message: 'This shop has no referral program' });
    res.json(await referralLinkFor(ctx, program, shop, customerId, ctx.clock()));
  });
  return router;
}

/** GET /api/referrals?limit=: the admin's list of referrals with their state. */
export function referralAdminRouter(ctx: AppContext): Router {
  const router = Router();
  router.get('/referrals', async (req, res) => {
    const limit = z.coerce.number().int().min(1).max(500).default(100).safeParse(req.query.limit);
    if (!limit.success) return void res.status(422).json({ error: 'invalid_request', message: 'limit must be 1-500' });
    res.json({ referrals: await listReferrals(ctx, apiLocals(res).shop, limit.data) });
  });
  return router;
}

import { Router, type Request, type Response } from 'express';
import { z } from 'zod';
import { appProxyGuard, proxyRequest } from '../shopify/app-proxy-guard.js';
import { balanceOf } from '../ledger/index.js';
import { apiLocals } from '../platform/api-locals.js';
import type { AppContext } from '../platform/context.js';
import { fieldErrors } from '../platform/field-errors.js';
import { sharedBalance, type Account } from './accounts.js';
import { confirmLink, issueLinkCode, unlinkAccount } from './links.js';
import { createGroup, createInvite, GroupRefused, joinGroup, leaveGroup, membershipOf, type GroupRefusalCode } from './membership.js';
import { groupReport } from './report.js';
import { jsonBody } from '../platform/http-app.js';

const STATUS_OF: Record<GroupRefusalCode, number> = {
  already_grouped: 409,
  not_grouped: 404,
  unknown_invite: 404,
  unknown_shop: 422,
  already_linked: 409,
  not_linked: 404,
  invalid_code: 422,
  too_many_attempts: 429,
};

const groupBody = z.object({ name: z.string().trim().min(1, 'Give the group a name').max(80, 'At most 80 characters') });
const joinBody = z.object({ code: z.string().trim().min(1, 'Paste the invite code').max(200) });

const codeRequestBody = z.object({ shop: z.string().trim().min(1, 'Name the other shop').max(255) });
const linkBody = z.object({ code: z.string().trim().min(1, 'Enter the code').max(40) });

function refuse(res: Response, error: unknown): void {
  if (!(error instanceof GroupRefused)) throw error;
  res.status(STATUS_OF[error.code]).json({ error: error.code, message: error.message, ...error.details });
}

/** /api/group: the shop's program group, invites, joining and leaving (session token). */
export function groupsRouter(ctx: AppContext): Router {
  const router = Router();

  router.get('/group', async (_req, res) => {
    const membership = await membershipOf(ctx, apiLocals(res).shop, true);
    res.json({ group: membership ? await groupReport(ctx, membership) : null });
  });

  router.post('/group', jsonBody('4kb'), async (req, res) => {
    const body = groupBody.safeParse(req.body);
    if (!body.success) {
      res.status(422).json({ error: 'invalid_group', message: 'The group is invalid', errors: fieldErrors(body.error) });
      return;
    }
    try {
      const membership = await createGroup(ctx, apiLocals(res).shop, body.data.name, ctx.clock());
      res.status(201).json({ group: await groupReport(ctx, membership) });
    } catch (error) {
      refuse(res, error);
    }
  });

  router.post('/group/invites', async (_req, res) => {
    try {
      res.status(201).json(await createInvite(ctx, apiLocals(res).shop, ctx.clock()));
    } catch (error) {
      refuse(res, error);
    }
  });

  router.post('/group/join', jsonBody('4kb'), async (req, res) => {
    const body = joinBody.safeParse(req.body);
    if (!body.success) {
      res.status(422).json({ error: 'invalid_invite', message: 'The invite code is missing', errors: fieldErrors(body.error) });
      return;
    }
    try {
      const membership = await joinGroup(ctx, apiLocals(res).shop, body.data.code, ctx.clock());
      res.json({ group: await groupReport(ctx, membership) });
    } catch (error) {
      refuse(res, error);
    }
  });

  router.delete('/group/membership', async (_req, res) => {
    try {
      await leaveGroup(ctx, apiLocals(res).shop);
      res.status(204).end();
    } catch (error) {
      refuse(res, error);
    }
  });
  return router;
}

type ShopperHandler = (req: Request, res: Response, account: Account) => Promise<void>;

/** Signed-in shoppers only; group refusals answered with their status. */
const shopperRoute = (handler: ShopperHandler) => async (req: Request, res: Response) => {
  const { shop, customerId } = proxyRequest(res);
  if (customerId === null) return void res.status(401).json({ error: 'login_required', message: 'Sign in to link your accounts' });
  try {
    await handler(req, res, { shop, customerId });
  } catch (error) {
    refuse(res, error);
  }
};

/**
 * /proxy/group (app proxy, signed-in customer): the customer links their accounts in the group's
 * shops themselves, never the merchant (docs/groups.md). A code is shown to the customer signed in
 * at one shop and entered by the customer signed in at the other.
 */
export function groupProxyRouter(ctx: AppContext): Router {
  const router = Router();
  const json = jsonBody('4kb');
  router.use('/proxy/group', appProxyGuard(ctx));

  router.get(
    '/proxy/group',
    shopperRoute(async (_req, res, account) => {
      const here = (await balanceOf(ctx.connection, account.shop, account.customerId)).available;
      const shared = await sharedBalance(ctx, account.shop, account.customerId, here);
      res.json({ group: shared.group, balance: shared.available, shops: shared.shops });
    }),
  );

  router.post(
    '/proxy/group/codes',
    json,
    shopperRoute(async (req, res, account) => {
      const body = codeRequestBody.safeParse(req.body);
      if (!body.success)
        return void res.status(422).json({ error: 'invalid_request', message: 'Name the shop to link', errors: fieldErrors(body.error) });
      res.status(201).json(await issueLinkCode(ctx, account, body.data.shop, ctx.clock()));
    }),
  );

  router.post(
    '/proxy/group/links',
    json,
    shopperRoute(async (req, res, account) => {
      const body = linkBody.safeParse(req.body);
      if (!body.success) return void res.status(422).json({ error: 'invalid_request', message: 'Enter the code', errors: fieldErrors(body.error) });
      const linked = await confirmLink(ctx, account, body.data.code, ctx.clock());
      const here = (await balanceOf(ctx.connection, account.shop, account.customerId)).available;
      const shared = await sharedBalance(ctx, account.shop, account.customerId, here);
      res.status(201).json({ linkedShop: linked.linkedShop, balance: shared.available, shops: shared.shops, group: shared.group });
    }),
  );

  router.delete(
    '/proxy/group/links',
    shopperRoute(async (_req, res, account) => {
      await unlinkAccount(ctx, account);
      res.status(204).end();
    }),
  );
  return router;
}

/** The request schemas of these routes: the OpenAPI document is derived from them (headless/openapi.ts). */
export const groupRequests = { create: groupBody, join: joinBody, linkCode: codeRequestBody, link: linkBody };

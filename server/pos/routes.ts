import { Router, type NextFunction, type Request, type Response } from 'express';
import { z } from 'zod';
import { apiLocals } from '../platform/api-locals.js';
import type { AppContext } from '../platform/context.js';
import { fieldErrors } from '../platform/field-errors.js';
import { rateLimiter } from '../platform/rate-limit.js';
import { loadProgram, posSettingsOf } from '../program/index.js';
import { InvalidSessionToken, sessionTokenVerifier } from '../shopify/session-token.js';
import { isInstalled, rememberStaff, staffNames } from '../shops/index.js';
import { roleOf, type RegisterStaff } from './rules.js';
import {
  adjustAtRegister,
  attachableSales,
  attachGuestSale,
  customerCard,
  enrolCustomer,
  findCustomers,
  giveBackReward,
  redeemAtRegister,
  RegisterRefused,
  saleSummary,
  type RegisterRefusalCode,
} from './service.js';
import { recentActions } from './store.js';
import { jsonBody } from '../platform/http-app.js';

/** The header the register sends with the staff member POS says is pinned in (`shopify.session.staffMember`). */
export const STAFF_MEMBER_HEADER = 'X-Tally-Staff-Member-Id';

const REFUSAL_STATUS: Record<RegisterRefusalCode, number> = {
  not_installed: 404,
  unknown_customer: 404,
  unknown_reward: 404,
  unknown_sale: 404,
  not_at_register: 422,
  invalid_request: 422,
  cart_below_minimum: 422,
  attach_window_closed: 422,
  insufficient_points: 409,
  already_redeemed: 409,
  already_adjusted: 409,
  already_attached: 409,
  not_cancellable: 409,
  redemption_used: 409,
  customer_exists: 409,
  over_adjustment_limit: 403,
  shopify_unavailable: 502,
};

const id = z.string().regex(/^\d{1,20}$/, 'a Shopify id (digits)');
const requestKey = z.string().regex(/^[\w-]{8,64}$/, 'must be 8-64 letters, digits, - or _');
const redemptionBody = z.object({
  rewardId: z
    .string()
    .max(64)
    .regex(/^[\w-]+$/, 'is not a reward id'),
  steps: z.number().int().min(1).max(1000).optional(),
  requestKey,
  cartSubtotal: z.number().int().min(0).max(1e12).optional(),
});
const adjustmentBody = z.object({
  points: z
    .number()
    .int('must be a whole number')
    .refine((points) => points !== 0, 'must not be zero')
    .refine((points) => Math.abs(points) <= 10_000_000, 'is too large'),
  reason: z.string().trim().min(1, 'is required').max(500),
  requestKey,
});
const enrolBody = z.object({
  firstName: z.string().trim().min(1, 'is required').max(80),
  lastName: z.string().trim().max(80).default(''),
  email: z.email('is not an email address').max(254),
});
const attachBody = z.object({ customerId: id });
const codeParam = z.string().regex(/^[A-Z0-9-]{6,40}$/i, 'is not a reward code');

interface PosLocals {
  shop: string;
  staff: RegisterStaff;
}

function posLocals(res: Response): PosLocals {
  return res.locals.pos as PosLocals;
}

function invalid(res: Response, errors: Record<string, string | undefined>): void {
  res.status(422).json({ error: 'invalid_request', message: 'The request is invalid', errors });
}

/** Runs a register use case and answers its refusal in the cashier's words with its status. */
function answer(handler: (req: Request, res: Response) => Promise<void>) {
  return async (req: Request, res: Response) => {
    try {
      await handler(req, res);
    } catch (error) {
      if (!(error instanceof RegisterRefused)) throw error;
      res.status(REFUSAL_STATUS[error.code]).json({ error: error.code, message: error.message, ...error.details });
    }
  };
}

/**
 * /pos: the backend of Tally's POS UI extension (extensions/tally-pos). Every request carries the
 * POS session token (`shopify.session.getSessionToken()`), verified as the admin's are: HS256 with
 * the app secret, `aud`, `dest` and `iss` naming one shop, a staff user in `sub`, a lifetime of at
 * most 60 s. The shop and the acting account come from the token alone; the pinned staff member
 * (a header) only names who stood at the register and can only narrow what the account may do.
 */
export function posRouter(ctx: AppContext): Router {
  const router = Router();
  const verify = sessionTokenVerifier(ctx.config);
  const perAccount = rateLimiter(ctx.config.proxyRateLimitPerMinute * 5);

  router.use('/pos', async (req: Request, res: Response, next: NextFunction) => {
    res.set({
      'Access-Control-Allow-Origin': '*',
      'Access-Control-Allow-Headers': `Authorization, Content-Type, ${STAFF_MEMBER_HEADER}`,
      'Access-Control-Allow-Methods': 'GET, POST, DELETE',
      'Cache-Control': 'private, no-store',
    });
    if (req.method === 'OPTIONS') return void res.status(204).end();
    const token = /^Bearer (\S+)$/.exec(req.headers.authorization ?? '')?.[1];
    let claims;
    try {
      if (!token) throw new InvalidSessionToken('Authorization: Bearer <POS session token> is required');
      claims = await verify(token);
    } catch (error) {
      if (!(error instanceof InvalidSessionToken)) return next(error);
      return void res.status(401).json({ error: 'unauthorized', message: `Invalid session token: ${error.message}` });
    }
    if (!(await isInstalled(ctx.connection, claims.shop)))
      return void res.status(404).json({ error: 'not_installed', message: 'Tally is not installed on this shop' });
    if (!perAccount(`${claims.shop}|${claims.userId}`, ctx.clock().getTime()))
      return void res.set('Retry-After', '60').status(429).json({ error: 'rate_limited', message: 'Too many requests; try again in a minute' });
    const pinned = req.get(STAFF_MEMBER_HEADER);
    if (pinned !== undefined && !id.safeParse(pinned).success) return invalid(res, { [STAFF_MEMBER_HEADER]: 'a Shopify staff member id (digits)' });
    res.locals.pos = { shop: claims.shop, staff: { userId: claims.userId, staffMemberId: pinned ?? null } } satisfies PosLocals;
    // Actions name the signed-in account (the admin's register activity shows it): learnt once a week, as the admin does.
    if (req.method !== 'GET') await rememberStaff(ctx, claims.shop, claims.userId, token!);
    next();
  });

  router.get(
    '/pos/customers',
    answer(async (req, res) => {
      const query = z.string().max(200).default('').safeParse(req.query.query);
      if (!query.success) return invalid(res, { query: 'at most 200 characters' });
      res.json({ customers: await findCustomers(ctx, posLocals(res).shop, query.data) });
    }),
  );

  router.post(
    '/pos/customers',
    jsonBody('10kb'),
    answer(async (req, res) => {
      const body = enrolBody.safeParse(req.body);
      if (!body.success) return invalid(res, fieldErrors(body.error));
      const { shop, staff } = posLocals(res);
      res.status(201).json(await enrolCustomer(ctx, { shop, staff, ...body.data }));
    }),
  );

  router.get(
    '/pos/customers/:customerId',
    answer(async (req, res) => {
      const customerId = id.safeParse(req.params.customerId);
      if (!customerId.success) return invalid(res, { customerId: customerId.error.issues[0]?.message });
      res.json(await customerCard(ctx, posLocals(res).shop, customerId.data, ctx.clock()));
    }),
  );

  router.post(
    '/pos/customers/:customerId/redemptions',
    jsonBody('10kb'),
    answer(async (req, res) => {
      const customerId = id.safeParse(req.params.customerId);
      const body = redemptionBody.safeParse(req.body);
      if (!customerId.success || !body.success)
        return invalid(res, {
          ...(customerId.success ? {} : { customerId: 'a Shopify id (digits)' }),
          ...(body.success ? {} : fieldErrors(body.error)),
        });
      const { shop, staff } = posLocals(res);
      res.status(201).json(await redeemAtRegister(ctx, { shop, staff, customerId: customerId.data, ...body.data }));
    }),
  );

  router.delete(
    '/pos/customers/:customerId/redemptions/:code',
    answer(async (req, res) => {
      const customerId = id.safeParse(req.params.customerId);
      const code = codeParam.safeParse(req.params.code);
      if (!customerId.success || !code.success)
        return invalid(res, { customerId: customerId.error?.issues[0]?.message, code: code.error?.issues[0]?.message });
      const { shop, staff } = posLocals(res);
      res.json(await giveBackReward(ctx, { shop, staff, customerId: customerId.data, code: code.data }));
    }),
  );

  router.post(
    '/pos/customers/:customerId/adjustments',
    jsonBody('10kb'),
    answer(async (req, res) => {
      const customerId = id.safeParse(req.params.customerId);
      const body = adjustmentBody.safeParse(req.body);
      if (!customerId.success || !body.success)
        return invalid(res, {
          ...(customerId.success ? {} : { customerId: 'a Shopify id (digits)' }),
          ...(body.success ? {} : fieldErrors(body.error)),
        });
      const { shop, staff } = posLocals(res);
      res.status(201).json(await adjustAtRegister(ctx, { shop, staff, customerId: customerId.data, ...body.data }));
    }),
  );

  router.get(
    '/pos/sales/:orderId',
    answer(async (req, res) => {
      const orderId = id.safeParse(req.params.orderId);
      if (!orderId.success) return invalid(res, { orderId: 'a Shopify order id (digits)' });
      res.json(await saleSummary(ctx, posLocals(res).shop, orderId.data, ctx.clock()));
    }),
  );

  router.get(
    '/pos/guest-sales',
    answer(async (_req, res) => {
      res.json({ sales: await attachableSales(ctx, posLocals(res).shop, ctx.clock()) });
    }),
  );

  router.post(
    '/pos/sales/:orderId/customer',
    jsonBody('10kb'),
    answer(async (req, res) => {
      const orderId = id.safeParse(req.params.orderId);
      const body = attachBody.safeParse(req.body);
      if (!orderId.success || !body.success)
        return invalid(res, {
          ...(orderId.success ? {} : { orderId: 'a Shopify order id (digits)' }),
          ...(body.success ? {} : fieldErrors(body.error)),
        });
      const { shop, staff } = posLocals(res);
      const result = await attachGuestSale(ctx, { shop, staff, orderId: orderId.data, customerId: body.data.customerId });
      res.status(result.replayed ? 200 : 201).json(result);
    }),
  );
  return router;
}

/**
 * /api/pos/activity (admin): what staff did at the register, newest first, and every staff id seen
 * there with its name when Shopify named it and the role the program gives it.
 */
export function posAdminRouter(ctx: AppContext): Router {
  const router = Router();
  router.get('/pos/activity', async (req, res) => {
    const { shop } = apiLocals(res);
    const limit = z.coerce.number().int().min(1).max(200).default(50).safeParse(req.query.limit);
    if (!limit.success) return void res.status(422).json({ error: 'invalid_request', errors: { limit: 'a number from 1 to 200' } });
    const [actions, program] = await Promise.all([recentActions(ctx.connection, shop, limit.data), loadProgram(ctx.connection, shop)]);
    const ids = new Set(actions.flatMap((entry) => [entry.userId, ...(entry.staffMemberId ? [entry.staffMemberId] : [])]));
    const names = ids.size > 0 ? await staffNames(ctx.connection, shop, ids) : new Map<string, string>();
    const pos = program ? posSettingsOf(program) : null;
    res.json({
      actions: actions.map((entry) => ({
        ...entry,
        userName: names.get(entry.userId) ?? null,
        staffMemberName: entry.staffMemberId ? (names.get(entry.staffMemberId) ?? null) : null,
      })),
      staff: [...ids].map((staffId) => ({ staffId, name: names.get(staffId) ?? null, roleId: pos ? roleOf(pos, staffId).id : null })),
    });
  });
  return router;
}

/** The request schemas of these routes: the OpenAPI document is derived from them (headless/openapi-pos.ts). */
export const posRequests = { enrol: enrolBody, redemption: redemptionBody, adjustment: adjustmentBody, attach: attachBody };

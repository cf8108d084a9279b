import { Router, type NextFunction, type Request, type Response } from 'express';
import { z } from 'zod';
import type { AppContext } from '../platform/context.js';
import { apiLocals } from '../platform/api-locals.js';
import { rateLimiter } from '../platform/rate-limit.js';
import { hasProfile } from '../customers/index.js';
import { sharedAvailable } from '../groups/index.js';
import { balanceOf, customerLedgerPage } from '../ledger/index.js';
import { fieldErrors } from '../platform/field-errors.js';
import { redeemAndRespond } from '../redemption/index.js';
import { API_KEY_SCOPES, hashSecret, issueKey, newSalt, parseKey, pepperFrom, secretMatches, type ApiKeyScope } from './api-keys.js';
import { apiKeyModel, findApiKey, revokeApiKey, shopApiKeys, type ApiKey } from './store.js';
import { jsonBody } from '../platform/http-app.js';

const newKeyBody = z.object({
  // Written as a pattern so the document says it: some visible text, and no NUL (the database refuses it).
  name: z
    .string()
    .regex(/^[^\u0000]*[^\s\u0000][^\u0000]*$/, 'is required, without NUL')
    .trim()
    .max(100),
  scopes: z.array(z.enum(API_KEY_SCOPES, { message: `must be among ${API_KEY_SCOPES.join(', ')}` })).min(1, 'name at least one scope'),
});

const keyView = (key: ApiKey) => ({
  id: key._id,
  name: key.name,
  scopes: key.scopes,
  prefix: key.prefix,
  createdBy: key.createdBy,
  createdAt: key.createdAt,
});

/** /api/api-keys (session token): the merchant creates, lists and revokes the shop's keys. */
export function apiKeysRouter(ctx: AppContext): Router {
  const router = Router();
  const pepper = pepperFrom(ctx.config.shopifyApiSecret);

  router.get('/api-keys', async (_req, res) => {
    const { shop } = apiLocals(res);
    res.json({ keys: (await shopApiKeys(ctx.connection, shop)).map(keyView) });
  });

  router.post('/api-keys', jsonBody('10kb'), async (req, res) => {
    const { shop, staffId } = apiLocals(res);
    const body = newKeyBody.safeParse(req.body);
    if (!body.success) {
      res.status(422).json({ error: 'invalid_api_key', message: 'The API key request is invalid', errors: fieldErrors(body.error) });
      return;
    }
    const issued = issueKey();
    const salt = newSalt();
    const key: ApiKey = {
      _id: issued.id,
      shop,
      name: body.data.name,
      scopes: [...new Set(body.data.scopes)],
      salt,
      hash: hashSecret(pepper, salt, issued.secret),
      prefix: issued.token.slice(0, 12),
      createdBy: staffId,
      createdAt: ctx.clock(),
    };
    await apiKeyModel(ctx.connection).create(key);
    // The only time the key is shown: it is not stored.
    res.status(201).json({ ...keyView(key), key: issued.token });
  });

  router.delete('/api-keys/:id', async (req, res) => {
    const { shop } = apiLocals(res);
    if (!(await revokeApiKey(ctx.connection, shop, String(req.params.id)))) {
      res.status(404).json({ error: 'unknown_api_key', message: 'No such API key in this shop' });
      return;
    }
    res.status(204).end();
  });
  return router;
}

interface HeadlessLocals {
  shop: string;
  keyId: string;
  scopes: ApiKeyScope[];
}

const headless = (res: Response) => res.locals.headless as HeadlessLocals;
const customerId = z.string().regex(/^\d{1,20}$/, 'a Shopify customer id (digits)');
const historyQuery = z.object({
  cursor: z
    .string()
    .regex(/^\d{1,12}$/, 'is not a cursor this API returned')
    .optional(),
  limit: z.coerce.number().int().min(1).max(100).default(50),
});
const READ_MAX_MS = 5_000;

export interface HeadlessOptions {
  /** Requests per API key per minute in each app process. */
  requestsPerMinute?: number;
}

/**
 * /v1: the headless API for a merchant's own tools, authenticated by `Authorization: Bearer <API key>`.
 * The key names its shop; a request can only ever read or write that shop's customers.
 */
export function headlessRouter(ctx: AppContext, options: HeadlessOptions = {}): Router {
  const pepper = pepperFrom(ctx.config.shopifyApiSecret);
  const allow = rateLimiter(options.requestsPerMinute ?? 600);
  const v1 = Router();

  v1.use(async (req: Request, res: Response, next: NextFunction) => {
    res.set('Cache-Control', 'private, no-store');
    const token = /^Bearer (\S+)$/.exec(req.headers.authorization ?? '')?.[1];
    const parsed = token ? parseKey(token) : null;
    const key = parsed ? await findApiKey(ctx.connection, parsed.id) : null;
    if (!parsed || !key || !secretMatches(pepper, key.salt, parsed.secret, key.hash)) {
      res
        .status(401)
        .json({ error: 'unauthorized', message: 'Authorization: Bearer <API key> is required (create one in the app: Settings, API keys)' });
      return;
    }
    if (!allow(key._id, Date.now())) {
      res.status(429).set('Retry-After', '60').json({ error: 'rate_limited', message: 'Too many requests for this API key; retry in a minute' });
      return;
    }
    res.locals.headless = { shop: key.shop, keyId: key._id, scopes: key.scopes } satisfies HeadlessLocals;
    next();
  });

  const needs = (scope: ApiKeyScope) => (_req: Request, res: Response, next: NextFunction) => {
    if (headless(res).scopes.includes(scope)) next();
    else res.status(403).json({ error: 'insufficient_scope', message: `This API key lacks the ${scope} scope` });
  };

  /** The customer id of the path, if this shop knows the customer (a profile or points); else answered 404/422. */
  async function knownCustomer(req: Request, res: Response): Promise<string | null> {
    const id = customerId.safeParse(req.params.customerId);
    if (!id.success) {
      res.status(422).json({ error: 'invalid_request', errors: { customerId: id.error.issues[0]?.message } });
      return null;
    }
    const { shop } = headless(res);
    const [profile, balance] = await Promise.all([hasProfile(ctx.connection, shop, id.data), balanceOf(ctx.connection, shop, id.data)]);
    if (!profile && balance.available === 0 && balance.pending === 0 && balance.lifetimeEarned === 0) {
      res.status(404).json({ error: 'unknown_customer', message: 'No such customer in this shop' });
      return null;
    }
    return id.data;
  }

  v1.get('/customers/:customerId/balance', needs('balances:read'), async (req, res) => {
    const id = await knownCustomer(req, res);
    if (!id) return;
    const balance = await balanceOf(ctx.connection, headless(res).shop, id);
    // In a program group the spendable balance spans the customer's accounts in every linked shop.
    const shared = await sharedAvailable(ctx, headless(res).shop, id, balance.available);
    res.json({ customerId: id, balance: shared.available, pending: balance.pending, lifetimeEarned: balance.lifetimeEarned });
  });

  v1.get('/customers/:customerId/history', needs('history:read'), async (req, res) => {
    const query = historyQuery.safeParse(req.query);
    if (!query.success) {
      res.status(422).json({ error: 'invalid_request', errors: fieldErrors(query.error) });
      return;
    }
    const id = await knownCustomer(req, res);
    if (!id) return;
    const page = await customerLedgerPage(ctx.connection, headless(res).shop, id, {
      limit: query.data.limit,
      before: query.data.cursor ? Number(query.data.cursor) : undefined,
      maxTimeMS: READ_MAX_MS,
    });
    res.json({
      customerId: id,
      entries: page.entries.map((entry) => ({
        seq: entry.seq,
        type: entry.type,
        points: entry.available,
        pending: entry.pending,
        balance: entry.balance,
        reason: entry.reason,
        createdAt: entry.createdAt,
      })),
      nextCursor: page.nextBefore === null ? null : String(page.nextBefore),
    });
  });

  v1.post('/customers/:customerId/redemptions', needs('redemptions:write'), jsonBody('10kb'), async (req, res) => {
    const id = await knownCustomer(req, res);
    if (!id) return;
    const { shop, keyId } = headless(res);
    await redeemAndRespond(ctx, res, req.body, { shop, customerId: id, source: 'admin', staffId: `api-key:${keyId}` });
  });

  return Router().use('/v1', v1);
}

/** The request schemas of these routes: the OpenAPI document is derived from them (headless/openapi.ts). */
export const headlessRequests = { apiKey: newKeyBody, history: historyQuery };

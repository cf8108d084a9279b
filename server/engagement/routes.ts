import { createHmac, timingSafeEqual } from 'node:crypto';
import express, { Router, type Request, type Response } from 'express';
import { z } from 'zod';
import { apiLocals } from '../platform/api-locals.js';
import type { AppContext } from '../platform/context.js';
import { loadProgram, type Program } from '../program/index.js';
import { actionsView, creditReview, rewardAction } from './actions.js';
import { awardsView } from './badges.js';
import { causesCsv, causeTotals, donatePoints } from './donations.js';
import { appProxyGuard, proxyRequest } from '../shopify/app-proxy-guard.js';
import { EngagementRefused, REFUSAL_STATUS } from './refusals.js';
import { engagementSettingsOf } from './settings.js';
import { offerSettingsOf, offerSettingsSchema, openOffers, saveOfferSettings } from './offers.js';
import { answerSliderSurvey, dueSliderSurveys, saveSliderSurveys, sliderResults, sliderSurveysOf, sliderSurveysSchema } from './slider-surveys.js';
import { answerNps, npsDue, npsReport } from './surveys.js';
import { transferPoints } from './transfers.js';
import { reviewSecretGeneration, rotateReviewSecret } from './store.js';
import { jsonBody } from '../platform/http-app.js';

const requestKey = z.string().regex(/^[\w-]{8,64}$/, 'must be 8-64 letters, digits, - or _');
const customerId = z.string().regex(/^\d{1,20}$/, 'a Shopify customer id');
const pointsField = z.number().int('must be a whole number').min(1).max(10_000_000);

const actionBody = z.discriminatedUnion('type', [
  z.object({ type: z.literal('birthday'), birthday: z.string().max(10) }),
  z.object({ type: z.literal('newsletter') }),
  z.object({ type: z.literal('social_follow'), network: z.string().regex(/^[a-z0-9_]{1,30}$/) }),
  z.object({ type: z.literal('review') }),
]);
const sliderBody = z.object({ answers: z.record(z.string().max(40), z.number()) });
const offerSettingsBody = z.object({ version: z.number().int().min(0), settings: offerSettingsSchema });
const sliderSettingsBody = z.object({ version: z.number().int().min(0), surveys: sliderSurveysSchema });
const npsBody = z.object({ score: z.number().int().min(0).max(10), comment: z.string().trim().max(1000).optional() });
const donationBody = z.object({ causeId: z.string().min(1).max(64), points: pointsField, requestKey });
const transferBody = z.object({
  toCustomerId: z.union([customerId, z.number().int().positive().transform(String)]).pipe(customerId),
  points: pointsField,
  requestKey,
});
const reviewBody = z.object({
  shop: z.string().min(1),
  customerId: z.union([customerId, z.number().int().positive().transform(String)]).pipe(customerId),
  reviewId: z.string().regex(/^[\w:./-]{1,128}$/),
});

function invalid(res: Response, error: z.ZodError): void {
  res.status(422).json({
    error: 'invalid_request',
    message: 'The request is invalid',
    errors: Object.fromEntries(error.issues.map((issue) => [issue.path.join('.') || '(body)', issue.message])),
  });
}

type ShopperHandler = (req: Request, res: Response, shopper: { shop: string; customerId: string; program: Program }) => Promise<void>;

/** Logged-in shoppers only; refusals answered with their status (refusals.ts). */
function shopperRoute(ctx: AppContext, handler: ShopperHandler) {
  return async (req: Request, res: Response): Promise<void> => {
    const { shop, customerId: shopper } = proxyRequest(res);
    if (shopper === null) return void res.status(401).json({ error: 'login_required', message: 'Sign in first' });
    const program = await loadProgram(ctx.connection, shop);
    if (!program) return void res.status(404).json({ error: 'not_installed', message: 'Tally is not installed on this shop' });
    try {
      await handler(req, res, { shop, customerId: shopper, program });
    } catch (error) {
      if (!(error instanceof EngagementRefused)) throw error;
      res.status(REFUSAL_STATUS[error.code]).json({ error: error.code, message: error.message });
    }
  };
}

/**
 * The shopper's side at the app proxy: ways to earn, the NPS survey, donations, transfers and the
 * launcher's view of them. Mount after storefront's proxyRouter (docs/engagement.md).
 */
export function engagementProxyRouter(ctx: AppContext): Router {
  const router = Router();
  const json = jsonBody('10kb');
  router.use(['/proxy/engagement', '/proxy/actions', '/proxy/surveys', '/proxy/donations', '/proxy/transfers'], appProxyGuard(ctx));

  router.get(
    '/proxy/engagement',
    shopperRoute(ctx, async (_req, res, { shop, customerId: shopper, program }) => {
      const now = ctx.clock();
      const settings = engagementSettingsOf(program);
      const [awards, actions, nps, surveys, offers] = await Promise.all([
        awardsView(ctx, program, shop, shopper, now),
        actionsView(ctx, program, shop, shopper),
        npsDue(ctx, program, shop, shopper, now),
        dueSliderSurveys(ctx, shop, shopper, now),
        openOffers(ctx, shop, shopper, now),
      ]);
      res.json({
        ...awards,
        actions,
        nps,
        surveys: surveys.map(({ id, title, points, questions }) => ({ id, title, points, questions })),
        offers: offers.map(({ kind, title, points, expiresAt }) => ({ kind, title, points, expiresAt: expiresAt.toISOString() })),
        causes: settings.causes.filter((cause) => cause.enabled).map(({ id, name, description }) => ({ id, name, description })),
        transfers: settings.transfers,
      });
    }),
  );

  router.post(
    '/proxy/actions',
    json,
    shopperRoute(ctx, async (req, res, { shop, customerId: shopper, program }) => {
      const body = actionBody.safeParse(req.body);
      if (!body.success) return invalid(res, body.error);
      res.status(201).json(await rewardAction(ctx, program, shop, shopper, body.data, ctx.clock()));
    }),
  );

  router.post(
    '/proxy/surveys/nps',
    json,
    shopperRoute(ctx, async (req, res, { shop, customerId: shopper, program }) => {
      const body = npsBody.safeParse(req.body);
      if (!body.success) return invalid(res, body.error);
      res
        .status(201)
        .json(await answerNps(ctx, program, { shop, customerId: shopper, score: body.data.score, comment: body.data.comment || null }, ctx.clock()));
    }),
  );

  router.post(
    '/proxy/surveys/:surveyId',
    json,
    shopperRoute(ctx, async (req, res, { shop, customerId: shopper }) => {
      const body = sliderBody.safeParse(req.body);
      if (!body.success) return invalid(res, body.error);
      const surveyId = String(req.params.surveyId);
      res.status(201).json(await answerSliderSurvey(ctx, { shop, customerId: shopper, surveyId, values: body.data.answers }, ctx.clock()));
    }),
  );

  router.post(
    '/proxy/donations',
    json,
    shopperRoute(ctx, async (req, res, { shop, customerId: shopper, program }) => {
      const body = donationBody.safeParse(req.body);
      if (!body.success) return invalid(res, body.error);
      res.status(201).json(await donatePoints(ctx, program, { shop, customerId: shopper, ...body.data }, ctx.clock()));
    }),
  );

  router.post(
    '/proxy/transfers',
    json,
    shopperRoute(ctx, async (req, res, { shop, customerId: shopper, program }) => {
      const body = transferBody.safeParse(req.body);
      if (!body.success) return invalid(res, body.error);
      res.status(201).json(await transferPoints(ctx, program, { shop, fromCustomerId: shopper, ...body.data }, ctx.clock()));
    }),
  );
  return router;
}

/**
 * The secret a shop's review app signs its reports with: derived from the app secret and the
 * secret's generation, so no secret is stored; rotating starts a new generation and the old secret
 * stops working.
 */
export function reviewSigningSecret(apiSecret: string, shop: string, generation = 0): string {
  return createHmac('sha256', apiSecret)
    .update(generation === 0 ? `tally-reviews:${shop}` : `tally-reviews:${shop}:${generation}`)
    .digest('hex');
}

/** The secret as the admin shows it after it was first shown: its last four characters. */
const maskedSecret = (secret: string): string => `••••••••${secret.slice(-4)}`;

export function signReview(secret: string, body: string): string {
  return createHmac('sha256', secret).update(body).digest('base64');
}

/**
 * POST /engagement/reviews: a review app or Shopify Flow reports a published review, signed with the
 * shop's review secret (X-Tally-Hmac-Sha256: base64 HMAC-SHA256 of the raw body). Once per review id.
 */
export function reviewsRouter(ctx: AppContext): Router {
  const router = Router();
  router.post('/engagement/reviews', express.raw({ type: '*/*', limit: '10kb' }), async (req, res) => {
    const raw = Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0);
    let parsed: unknown;
    try {
      parsed = JSON.parse(raw.toString('utf8'));
    } catch {
      return void res.status(400).json({ error: 'invalid_json', message: 'The body must be JSON' });
    }
    const body = reviewBody.safeParse(parsed);
    if (!body.success) return invalid(res, body.error);
    const { generation } = await reviewSecretGeneration(ctx.connection, body.data.shop);
    const secret = reviewSigningSecret(ctx.config.shopifyApiSecret, body.data.shop, generation);
    const expected = Buffer.from(signReview(secret, raw.toString('utf8')), 'base64');
    const given = Buffer.from(String(req.headers['x-tally-hmac-sha256'] ?? ''), 'base64');
    if (given.length !== expected.length || !timingSafeEqual(given, expected))
      return void res.status(401).json({ error: 'invalid_signature', message: 'X-Tally-Hmac-Sha256 does not match the body' });
    const program = await loadProgram(ctx.connection, body.data.shop);
    if (!program) return void res.status(404).json({ error: 'not_installed', message: 'Tally is not installed on this shop' });
    try {
      const outcome = await creditReview(ctx, program, body.data, ctx.clock());
      res.status(outcome.replayed ? 200 : 201).json(outcome);
    } catch (error) {
      if (!(error instanceof EngagementRefused)) throw error;
      res.status(REFUSAL_STATUS[error.code]).json({ error: error.code, message: error.message });
    }
  });
  return router;
}

const day = z.string().regex(/^\d{4}-\d{2}-\d{2}$/);

/** Admin: /api/nps, /api/causes (JSON, or CSV with ?format=csv) and the review endpoint's address and secret. */
export function engagementAdminRouter(ctx: AppContext): Router {
  const router = Router();
  router.get('/nps', async (req, res) => {
    const today = ctx.clock().toISOString().slice(0, 10);
    const range = z.object({ from: day.optional(), to: day.optional() }).safeParse(req.query);
    if (!range.success) return invalid(res, range.error);
    const to = range.data.to ?? today;
    const from = range.data.from ?? new Date(Date.parse(`${to}T00:00:00Z`) - 364 * 86_400_000).toISOString().slice(0, 10);
    res.json(await npsReport(ctx, apiLocals(res).shop, from, to));
  });
  router.get('/causes', async (req, res) => {
    const { shop } = apiLocals(res);
    const program = await loadProgram(ctx.connection, shop);
    if (!program) return void res.status(404).json({ error: 'not_installed', message: 'No program' });
    const totals = await causeTotals(ctx, program, shop);
    if (req.query.format === 'csv') {
      res.set('Content-Type', 'text/csv; charset=utf-8').set('Content-Disposition', 'attachment; filename="causes.csv"').send(causesCsv(totals));
      return;
    }
    res.json({ currency: program.currency, causes: totals });
  });
  router.get('/engagement/surveys', async (_req, res) => {
    const { shop } = apiLocals(res);
    const to = ctx.clock().toISOString().slice(0, 10);
    const from = new Date(Date.parse(`${to}T00:00:00Z`) - 364 * 86_400_000).toISOString().slice(0, 10);
    const [settings, results] = await Promise.all([sliderSurveysOf(ctx, shop), sliderResults(ctx, shop, from, to)]);
    res.json({ ...settings, results });
  });
  router.put('/engagement/surveys', jsonBody('50kb'), async (req, res) => {
    const body = sliderSettingsBody.safeParse(req.body);
    if (!body.success) return invalid(res, body.error);
    const saved = await saveSliderSurveys(ctx, apiLocals(res).shop, body.data.version, body.data.surveys, ctx.clock());
    if (!saved)
      return void res.status(409).json({ error: 'stale_version', message: 'The surveys changed since you opened them; reload and edit again' });
    res.json(saved);
  });
  router.get('/engagement/offers', async (_req, res) => {
    res.json(await offerSettingsOf(ctx, apiLocals(res).shop));
  });
  router.put('/engagement/offers', jsonBody('10kb'), async (req, res) => {
    const body = offerSettingsBody.safeParse(req.body);
    if (!body.success) return invalid(res, body.error);
    const saved = await saveOfferSettings(ctx, apiLocals(res).shop, body.data.version, body.data.settings, ctx.clock());
    if (!saved)
      return void res.status(409).json({ error: 'stale_version', message: 'The offers changed since you opened them; reload and edit again' });
    res.json(saved);
  });
  // The secret is shown once, when it is made (rotate); afterwards only its last characters.
  router.get('/engagement/review-endpoint', async (_req, res) => {
    const { shop } = apiLocals(res);
    const { generation, createdAt } = await reviewSecretGeneration(ctx.connection, shop);
    res.json({
      url: `${ctx.config.appUrl}/engagement/reviews`,
      header: 'X-Tally-Hmac-Sha256',
      secretHint: maskedSecret(reviewSigningSecret(ctx.config.shopifyApiSecret, shop, generation)),
      rotatedAt: createdAt,
    });
  });
  router.post('/engagement/review-endpoint/rotate', async (_req, res) => {
    const { shop } = apiLocals(res);
    const generation = await rotateReviewSecret(ctx.connection, shop, ctx.clock());
    const secret = reviewSigningSecret(ctx.config.shopifyApiSecret, shop, generation);
    res.status(201).json({ secret, secretHint: maskedSecret(secret) });
  });
  return router;
}

/** The request schemas of these routes: the OpenAPI document is derived from them (headless/openapi.ts). */
export const engagementRequests = {
  action: actionBody,
  nps: npsBody,
  slider: sliderBody,
  donation: donationBody,
  transfer: transferBody,
  review: reviewBody,
  sliderSettings: sliderSettingsBody,
  offerSettings: offerSettingsBody,
};

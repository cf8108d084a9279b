import { jsonBody } from '../platform/http-app.js';
import { randomUUID } from 'node:crypto';
import { Router } from 'express';
import { z } from 'zod';
import type { AppContext } from '../platform/context.js';
import { apiLocals } from '../platform/api-locals.js';
import { loadProgram } from '../program/index.js';
import { fieldErrors } from '../platform/field-errors.js';
import { startShopBackfills, type BackfillOptions } from './backfill-runner.js';
import {
  backfillChunksOf,
  backfillJobModel,
  backfillOperationOf,
  backfillOutcomesOf,
  findBackfill,
  recentBackfills,
  type BackfillJob,
} from './backfill-store.js';

const backfillBody = z.object({
  since: z.iso.date('must be a date written YYYY-MM-DD'),
  pointsPerCurrencyUnit: z.number().positive('must be more than 0').max(1000, 'must be at most 1000').optional(),
});

/** POST/GET /api/backfills: credit orders from before install, through a Shopify bulk operation, with progress. */
export function backfillRouter(ctx: AppContext, options: BackfillOptions = {}): Router {
  const router = Router();

  router.post('/backfills', jsonBody(), async (req, res) => {
    const { shop, staffId } = apiLocals(res);
    const body = backfillBody.safeParse(req.body);
    if (!body.success) {
      res.status(422).json({ error: 'invalid_backfill', message: 'The backfill request is invalid', errors: fieldErrors(body.error) });
      return;
    }
    const now = ctx.clock();
    if (body.data.since > now.toISOString().slice(0, 10)) {
      res.status(422).json({ error: 'invalid_backfill', message: 'The backfill request is invalid', errors: { since: 'is in the future' } });
      return;
    }
    const program = body.data.pointsPerCurrencyUnit === undefined ? await loadProgram(ctx.connection, shop) : null;
    const job: BackfillJob = {
      _id: randomUUID().replace(/-/g, ''),
      shop,
      since: body.data.since,
      rateSource: body.data.pointsPerCurrencyUnit === undefined ? 'program' : 'rate',
      pointsPerCurrencyUnit: body.data.pointsPerCurrencyUnit ?? program?.earning.pointsPerCurrencyUnit ?? 1,
      staffId,
      createdAt: now,
    };
    await backfillJobModel(ctx.connection).create(job);
    startShopBackfills(ctx, shop, options);
    res.status(202).json({ id: job._id });
  });

  router.get('/backfills', async (_req, res) => {
    const { shop } = apiLocals(res);
    const jobs = await recentBackfills(ctx.connection, shop, 20);
    const outcomes = new Map(
      (
        await backfillOutcomesOf(
          ctx.connection,
          shop,
          jobs.map((job) => job._id),
        )
      ).map((outcome) => [outcome.backfillId, outcome]),
    );
    res.json({
      backfills: jobs.map((job) => ({
        id: job._id,
        since: job.since,
        pointsPerCurrencyUnit: job.pointsPerCurrencyUnit,
        status: outcomes.get(job._id)?.status ?? 'running',
        createdAt: job.createdAt,
      })),
    });
  });

  router.get('/backfills/:id', async (req, res) => {
    const { shop } = apiLocals(res);
    const job = await findBackfill(ctx.connection, shop, String(req.params.id));
    if (!job) {
      res.status(404).json({ error: 'unknown_backfill', message: 'No such backfill in this shop' });
      return;
    }
    const [operation, chunks, outcomes] = await Promise.all([
      backfillOperationOf(ctx.connection, shop, job._id),
      backfillChunksOf(ctx.connection, shop, job._id),
      backfillOutcomesOf(ctx.connection, shop, [job._id]),
    ]);
    const outcome = outcomes[0];
    // A run whose process stopped resumes when someone looks (and from the hourly job).
    if (!outcome) startShopBackfills(ctx, shop, options);
    const sum = (field: 'orders' | 'credited' | 'alreadyCredited' | 'skipped' | 'points') => chunks.reduce((total, chunk) => total + chunk[field], 0);
    res.json({
      id: job._id,
      since: job.since,
      rateSource: job.rateSource,
      pointsPerCurrencyUnit: job.pointsPerCurrencyUnit,
      status: outcome?.status ?? 'running',
      stage: outcome ? 'finished' : chunks.length > 0 ? 'crediting' : operation ? 'querying_shopify' : 'starting',
      message: outcome?.message ?? null,
      processed: sum('orders'),
      total: chunks[0]?.fileOrders ?? (outcome?.status === 'done' ? 0 : null),
      credited: sum('credited'),
      alreadyCredited: sum('alreadyCredited'),
      skipped: sum('skipped'),
      points: sum('points'),
      createdAt: job.createdAt,
      finishedAt: outcome?.at ?? null,
    });
  });
  return router;
}

/** The request schemas of these routes: the OpenAPI document is derived from them (headless/openapi.ts). */
export const backfillRequests = { backfill: backfillBody };

import { Router } from 'express';
import { z } from 'zod';
import type { AppContext } from '../platform/context.js';
import { apiLocals } from '../platform/api-locals.js';
import { parseDayRange } from '../accounting/index.js';
import { analyticsCsv } from './metrics.js';
import { RECENT_DAYS, shopFigures } from './figures.js';
import { analyticsFor, insightFor } from './service.js';

const interval = z.object({ interval: z.enum(['day', 'week']).optional() });
/** `?fresh=1`: the admin made a change itself and wants figures that include it (skips the minute's cache). */
export const freshness = (query: unknown): { fresh: boolean } => ({ fresh: z.object({ fresh: z.literal('1') }).safeParse(query).success });
const customerId = z.string().regex(/^\d{1,20}$/, 'a Shopify customer id (digits)');

/** GET /api/analytics (JSON or `?format=csv`) and GET /api/customers/{id}/insight. */
export function analyticsRouter(ctx: AppContext): Router {
  const router = Router();
  router.get('/analytics', async (req, res) => {
    const { shop } = apiLocals(res);
    const now = ctx.clock();
    const query = parseDayRange(req.query, now);
    const grouping = interval.safeParse(req.query);
    if (!query.ok || !grouping.success) {
      res
        .status(422)
        .json({ error: 'invalid_request', errors: { ...(query.ok ? {} : query.errors), ...(grouping.success ? {} : { interval: 'day or week' }) } });
      return;
    }
    const analytics = await analyticsFor(ctx, shop, query.range, now, grouping.data.interval, freshness(req.query));
    if (!analytics) {
      res.status(404).json({ error: 'not_found', message: 'This shop has no program yet' });
      return;
    }
    if (query.format === 'csv') {
      res.type('text/csv').attachment(`loyalty-analytics-${query.range.from}-to-${query.range.to}.csv`).send(analyticsCsv(analytics));
      return;
    }
    res.json(analytics);
  });

  /**
   * GET /api/stats: the figures Home and the program-economics panel show, from the same functions
   * as Analytics and accounting. `days`, `orders`, `revenue`, `outstandingPoints` and
   * `outstandingAsOf` are the last 30 days and the points held, as the panel has always read them.
   */
  router.get('/stats', async (req, res) => {
    const { shop } = apiLocals(res);
    // `fresh` is 1 or absent: anything else (a repeated one, another value) is refused, not read as absent.
    if (req.query.fresh !== undefined && req.query.fresh !== '1') {
      res.status(422).json({ error: 'invalid_request', errors: { fresh: 'must be 1' } });
      return;
    }
    const figures = await shopFigures(ctx, shop, ctx.clock(), freshness(req.query));
    if (!figures) {
      res.status(404).json({ error: 'not_found', message: 'This shop has no program yet' });
      return;
    }
    res.json({
      ...figures,
      days: RECENT_DAYS,
      orders: figures.recent.orders,
      revenue: figures.recent.revenue,
      outstandingPoints: figures.pointsHeld,
      outstandingAsOf: figures.asOf,
    });
  });

  router.get('/customers/:customerId/insight', async (req, res) => {
    const { shop } = apiLocals(res);
    const id = customerId.safeParse(req.params.customerId);
    if (!id.success) {
      res.status(422).json({ error: 'invalid_request', errors: { customerId: id.error.issues[0]?.message } });
      return;
    }
    const insight = await insightFor(ctx, shop, id.data, ctx.clock());
    if (!insight) {
      res.status(404).json({ error: 'not_found', message: 'This shop has no program yet' });
      return;
    }
    res.json(insight);
  });
  return router;
}

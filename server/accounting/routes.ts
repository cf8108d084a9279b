import { Router } from 'express';
import type { AppContext } from '../platform/context.js';
import { apiLocals } from '../platform/api-locals.js';
import { dailyReportCsv } from './daily-report.js';
import { parseDayRange } from './day-range.js';
import { accountingReport } from './report.js';

/** GET /api/accounting/daily: the points accounting report, as JSON or CSV (`?format=csv`). */
export function accountingRouter(ctx: AppContext): Router {
  const router = Router();
  router.get('/accounting/daily', async (req, res) => {
    const { shop } = apiLocals(res);
    const now = ctx.clock();
    const query = parseDayRange(req.query, now);
    if (!query.ok) {
      res.status(422).json({ error: 'invalid_request', errors: query.errors });
      return;
    }
    const report = await accountingReport(ctx, shop, query.range, now, { fresh: req.query.fresh === '1' });
    if (!report) {
      res.status(404).json({ error: 'not_found', message: 'This shop has no program yet' });
      return;
    }
    if (query.format === 'csv') {
      res
        .type('text/csv')
        .attachment(`points-accounting-${query.range.from}-to-${query.range.to}.csv`)
        .send(dailyReportCsv(report.days, report.currency, report.pointValue));
      return;
    }
    res.json(report);
  });
  return router;
}

import { Router } from 'express';
import type { AppContext } from '../platform/context.js';
import { pointsHeld } from '../ledger/index.js';
import { orderPointsModel } from '../earning/index.js';
import { apiLocals } from '../platform/api-locals.js';

const DAYS = 30;

/** GET /api/stats: the shop's recent trade for the program-economics panel. */
export function statsRouter(ctx: AppContext): Router {
  const router = Router();
  router.get('/stats', async (_req, res) => {
    const { shop } = apiLocals(res);
    const since = new Date(ctx.clock().getTime() - DAYS * 86_400_000);
    const [orders, held] = await Promise.all([
      orderPointsModel(ctx.connection).find({ shop, creditedAt: { $gte: since } }, { eligible: 1 }).lean(),
      pointsHeld(ctx.connection, shop),
    ]);
    res.json({
      days: DAYS,
      orders: orders.length,
      revenue: orders.reduce((sum, order) => sum + order.eligible, 0),
      outstandingPoints: held.points,
      customersWithPoints: held.customers,
    });
  });
  return router;
}

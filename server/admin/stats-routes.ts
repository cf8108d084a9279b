import { Router } from 'express';
import type { AppContext } from '../platform/context.js';
import { pointsHeld } from '../ledger/index.js';
import { creditedSince } from '../earning/index.js';
import { apiLocals } from '../platform/api-locals.js';
import { heldPointsSnapshotModel, readHeldPoints, storeHeldPoints, type HeldPointsSnapshot } from './stats-store.js';

const DAYS = 30;
/** How old the points-held figure may be before a request starts a refresh (served meanwhile). */
const HELD_POINTS_MAX_AGE_MS = 15 * 60_000;
const READ_MAX_MS = 5_000;

/**
 * GET /api/stats: the shop's recent trade for the program-economics panel. The orders of the last
 * 30 days are counted and summed by the database (one small answer, bounded by maxTimeMS); the
 * points held come from a snapshot, refreshed in the background once it is 15 minutes old, so no
 * request waits on an aggregation over the whole ledger but the shop's very first.
 */
export function statsRouter(ctx: AppContext): Router {
  const router = Router();
  // Registered now so that shop/redact, which deletes from every registered model, finds it.
  heldPointsSnapshotModel(ctx.connection);
  const refreshing = new Map<string, Promise<HeldPointsSnapshot>>();

  const refresh = (shop: string): Promise<HeldPointsSnapshot> => {
    let running = refreshing.get(shop);
    if (!running) {
      const computedAt = ctx.clock();
      running = pointsHeld(ctx.connection, shop)
        .then(async (held) => {
          const snapshot = { _id: shop, shop, points: held.points, customers: held.customers, computedAt };
          await storeHeldPoints(ctx.connection, snapshot);
          return snapshot;
        })
        .finally(() => refreshing.delete(shop));
      refreshing.set(shop, running);
    }
    return running;
  };

  router.get('/stats', async (_req, res) => {
    const { shop } = apiLocals(res);
    const now = ctx.clock();
    const since = new Date(now.getTime() - DAYS * 86_400_000);
    const [orders, stored] = await Promise.all([creditedSince(ctx.connection, shop, since, READ_MAX_MS), readHeldPoints(ctx.connection, shop)]);
    const held = stored ?? (await refresh(shop));
    if (stored && now.getTime() - stored.computedAt.getTime() > HELD_POINTS_MAX_AGE_MS) {
      refresh(shop).catch((error: unknown) => ctx.logger.warn({ err: error, shop }, 'could not refresh the points held'));
    }
    res.json({
      days: DAYS,
      orders: orders.orders,
      revenue: orders.revenue,
      outstandingPoints: held.points,
      customersWithPoints: held.customers,
      outstandingAsOf: held.computedAt,
    });
  });
  return router;
}

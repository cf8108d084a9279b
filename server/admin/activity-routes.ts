import { Router } from 'express';
import { isValidObjectId } from 'mongoose';
import type { AppContext } from '../platform/context.js';
import { EXPIRED_BODY, liveExport, liveExports, streamExport } from '../compliance/index.js';
import { once } from 'node:events';
import { findFailedDelivery, recentDeliveries, retryFailedDelivery, type InboxStatus } from '../inbox/index.js';
import { apiLocals } from '../platform/api-locals.js';

/** The statuses `GET /api/webhooks?status=` filters by (the OpenAPI document lists them). */
export const DELIVERY_STATUSES: readonly InboxStatus[] = ['pending', 'processing', 'processed', 'skipped', 'failed'];
const STATUSES: ReadonlySet<string> = new Set<InboxStatus>(DELIVERY_STATUSES);

function isInboxStatus(value: string): value is InboxStatus {
  return STATUSES.has(value);
}

/** Webhook deliveries with their outcome, a retry for failed ones, and data exports to download. */
export function activityRouter(ctx: AppContext, nudgeWorker: () => void): Router {
  const router = Router();

  router.get('/webhooks', async (req, res) => {
    const { shop } = apiLocals(res);
    // A repeated `status` is an array here: refused like any value that is not one status.
    const status = req.query.status as unknown;
    if (status !== undefined && (typeof status !== 'string' || !isInboxStatus(status))) {
      res.status(422).json({ error: 'invalid_request', errors: { status: `must be one of ${[...STATUSES].join(', ')}` } });
      return;
    }
    const deliveries = await recentDeliveries(ctx.connection, shop, status, 100);
    res.json({
      deliveries: deliveries.map((entry) => ({
        id: String(entry._id),
        topic: entry.topic,
        eventId: entry.eventId,
        status: entry.status,
        attempts: entry.attempts,
        outcome: entry.outcome ?? null,
        lastError: entry.lastError ?? null,
        receivedAt: entry.receivedAt,
        finishedAt: entry.finishedAt ?? null,
      })),
    });
  });

  router.post('/webhooks/:id/retry', async (req, res) => {
    const { shop } = apiLocals(res);
    if (!isValidObjectId(req.params.id)) {
      res.status(404).json({ error: 'not_found', message: 'No such delivery' });
      return;
    }
    // A failed delivery stays in the inbox for the replay horizon, then lives in the log.
    const found = await findFailedDelivery(ctx.connection, shop, req.params.id);
    if (!found) {
      res.status(409).json({ error: 'not_retryable', message: 'Only a failed delivery of this shop can be retried' });
      return;
    }
    const failed = found.delivery;
    if (failed.body === EXPIRED_BODY) {
      res.status(409).json({ error: 'not_retryable', message: 'This delivery is past its retention period; its payload is no longer stored' });
      return;
    }
    await retryFailedDelivery(ctx.connection, found, ctx.clock());
    nudgeWorker();
    res.status(202).json({ id: String(failed._id), status: 'pending' });
  });

  router.get('/exports', async (_req, res) => {
    const { shop } = apiLocals(res);
    const now = ctx.clock();
    const list = await liveExports(ctx.connection, shop, now, 100);
    res.json({
      exports: list.map((entry) => ({
        id: entry.exportId,
        customerId: entry.customerId,
        requestedAt: entry.requestedAt,
        expiresAt: entry.expiresAt,
        documents: entry.documents,
      })),
    });
  });

  /** Streams the export chunk by chunk: its size is bounded by neither a document nor this process's memory. */
  router.get('/exports/:id', async (req, res) => {
    const { shop } = apiLocals(res);
    const found = await liveExport(ctx.connection, shop, String(req.params.id), ctx.clock());
    if (!found) {
      res.status(404).json({ error: 'not_found', message: 'No such export (exports are kept for 30 days)' });
      return;
    }
    res.set('Content-Disposition', `attachment; filename="customer-${found.customerId}-${found.exportId}.json"`);
    res.type('application/json');
    try {
      await streamExport(ctx.connection, found, async (text) => {
        if (res.destroyed) throw new Error('download aborted by the client');
        if (!res.write(text)) await Promise.race([once(res, 'drain'), once(res, 'close')]);
      });
      res.end();
    } catch (error) {
      // Part of the body is already sent: the client must see a broken download, not a short one.
      if (!res.destroyed) req.log.error({ err: error }, 'export download failed');
      res.destroy();
    }
  });
  return router;
}

import { Router } from 'express';
import { isValidObjectId } from 'mongoose';
import type { AppContext } from '../platform/context.js';
import { dataExportModel, EXPIRED_BODY, streamExport } from '../compliance/index.js';
import { once } from 'node:events';
import { inboxModel, webhookLogModel, type InboxStatus } from '../inbox/index.js';
import { isDuplicateKey } from '../platform/models.js';
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
  const inbox = inboxModel(ctx.connection);
  const log = webhookLogModel(ctx.connection);
  const exports = dataExportModel(ctx.connection);

  router.get('/webhooks', async (req, res) => {
    const { shop } = apiLocals(res);
    const status = typeof req.query.status === 'string' ? req.query.status : undefined;
    if (status !== undefined && !isInboxStatus(status)) {
      res.status(422).json({ error: 'invalid_request', errors: { status: `must be one of ${[...STATUSES].join(', ')}` } });
      return;
    }
    const filter = { shop, ...(status ? { status } : {}) };
    const [waiting, finished] = await Promise.all([
      inbox.find(filter, { body: 0 }).sort({ receivedAt: -1 }).limit(100).lean(),
      log.find(filter, { body: 0 }).sort({ receivedAt: -1 }).limit(100).lean(),
    ]);
    const deliveries = [...waiting, ...finished].sort((a, b) => b.receivedAt.getTime() - a.receivedAt.getTime()).slice(0, 100);
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
    const recent = await inbox.findOne({ _id: req.params.id, shop, status: 'failed' }).lean();
    const failed = recent ?? (await log.findOne({ _id: req.params.id, shop, status: 'failed' }).lean());
    if (!failed) {
      res.status(409).json({ error: 'not_retryable', message: 'Only a failed delivery of this shop can be retried' });
      return;
    }
    if (failed.body === EXPIRED_BODY) {
      res.status(409).json({ error: 'not_retryable', message: 'This delivery is past its retention period; its payload is no longer stored' });
      return;
    }
    // A manual retry starts a new round of attempts (its claims are keyed by round and attempt).
    const again = { status: 'pending' as const, attempts: 0, retries: (failed.retries ?? 0) + 1, availableAt: ctx.clock() };
    if (recent) {
      await inbox.updateOne({ _id: failed._id }, { $set: again, $unset: { finishedAt: 1, outcome: 1 } });
    } else {
      // Back into the inbox first, then out of the log: a crash in between leaves it in both, never lost.
      const { finishedAt: _finishedAt, outcome: _outcome, ...stored } = failed;
      await inbox.create({ ...stored, ...again }).catch((error: unknown) => {
        if (!isDuplicateKey(error)) throw error;
      });
      await log.deleteOne({ _id: failed._id });
    }
    nudgeWorker();
    res.status(202).json({ id: String(failed._id), status: 'pending' });
  });

  router.get('/exports', async (_req, res) => {
    const { shop } = apiLocals(res);
    const now = ctx.clock();
    const list = await exports
      .find({ shop, expiresAt: { $gt: now } }, { exportId: 1, customerId: 1, requestedAt: 1, expiresAt: 1, documents: 1 })
      .sort({ requestedAt: -1 })
      .limit(100)
      .maxTimeMS(5_000)
      .lean();
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
    const found = await exports.findOne({ shop, exportId: String(req.params.id), expiresAt: { $gt: ctx.clock() } }).lean();
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

import { Router } from 'express';
import { isValidObjectId } from 'mongoose';
import type { AppContext } from '../platform/context.js';
import { dataExportModel } from '../compliance/index.js';
import { inboxModel, webhookLogModel, type InboxStatus } from './store.js';
import { isDuplicateKey } from '../platform/models.js';
import { apiLocals } from '../platform/api-locals.js';

const STATUSES: ReadonlySet<string> = new Set<InboxStatus>(['pending', 'processing', 'processed', 'skipped', 'failed']);

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
      res.status(422).json({ errors: { status: `must be one of ${[...STATUSES].join(', ')}` } });
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
    const failed = await log.findOne({ _id: req.params.id, shop, status: 'failed' }).lean();
    if (!failed) {
      res.status(409).json({ error: 'not_retryable', message: 'Only a failed delivery of this shop can be retried' });
      return;
    }
    // Back into the inbox first, then out of the log: a crash in between leaves it in both, never lost.
    const { finishedAt: _finishedAt, outcome: _outcome, ...again } = failed;
    await inbox.create({ ...again, status: 'pending', attempts: 0, availableAt: ctx.clock() }).catch((error: unknown) => {
      if (!isDuplicateKey(error)) throw error;
    });
    await log.deleteOne({ _id: failed._id });
    nudgeWorker();
    res.status(202).json({ id: String(failed._id), status: 'pending' });
  });

  router.get('/exports', async (_req, res) => {
    const { shop } = apiLocals(res);
    const list = await exports.find({ shop }, { content: 0 }).sort({ requestedAt: -1 }).limit(100).lean();
    res.json({ exports: list.map((entry) => ({ id: entry.exportId, customerId: entry.customerId, requestedAt: entry.requestedAt })) });
  });

  router.get('/exports/:id', async (req, res) => {
    const { shop } = apiLocals(res);
    const found = await exports.findOne({ shop, exportId: String(req.params.id) }).lean();
    if (!found) {
      res.status(404).json({ error: 'not_found', message: 'No such export' });
      return;
    }
    res.set('Content-Disposition', `attachment; filename="customer-${found.customerId}-${found.exportId}.json"`);
    res.type('application/json').send(found.content);
  });
  return router;
}

import { createHmac, timingSafeEqual } from 'node:crypto';
import express, { Router, type ErrorRequestHandler } from 'express';
import type { AppContext } from '../platform/context.js';
import type { AckGate } from './ack-gate.js';
import { isShopDomain } from '../shopify/shop-domain.js';
import { inboxModel } from './store.js';
import { isDuplicateKey } from '../platform/models.js';

export const WEBHOOK_BODY_LIMIT = '1mb';

function header(value: string | string[] | undefined): string | undefined {
  return typeof value === 'string' && value.length > 0 && value.length <= 256 ? value : undefined;
}

/** Shopify's signature: base64 HMAC-SHA256 of the raw body with the app secret. */
export function validWebhookHmac(secret: string, rawBody: Buffer, given: string | undefined): boolean {
  if (!given) return false;
  const expected = createHmac('sha256', secret).update(rawBody).digest();
  const received = Buffer.from(given, 'base64');
  return received.length === expected.length && timingSafeEqual(received, expected);
}

/** The customer a payload is about: `customer.id` on orders, `id` on customers/* topics. */
function customerIdOf(topic: string, payload: unknown): string | undefined {
  if (typeof payload !== 'object' || payload === null) return undefined;
  const record = payload as { id?: unknown; customer?: { id?: unknown } | null };
  const id = topic.startsWith('customers/') && !('customer' in record) ? record.id : record.customer?.id;
  return typeof id === 'number' || (typeof id === 'string' && /^\d{1,20}$/.test(id)) ? String(id) : undefined;
}

/**
 * POST /webhooks: verify the HMAC on the raw bytes, check the body is JSON and the headers are
 * Shopify's, then store the delivery in the inbox and only then answer 200. Effects are applied by
 * the inbox worker. `onStored` wakes the local worker so effects follow at once.
 */
export function webhooksRouter(ctx: AppContext, onStored: (id: string) => void = () => {}, gate?: AckGate): Router {
  const router = Router();
  const inbox = inboxModel(ctx.connection);

  router.post('/webhooks', express.raw({ type: () => true, limit: WEBHOOK_BODY_LIMIT }), async (req, res) => {
    const raw: Buffer = Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0);
    if (!validWebhookHmac(ctx.config.shopifyApiSecret, raw, header(req.headers['x-shopify-hmac-sha256']))) {
      res.status(401).json({ error: 'invalid_hmac', message: 'X-Shopify-Hmac-Sha256 is missing or does not match the body' });
      return;
    }
    const text = raw.toString('utf8');
    let payload: unknown;
    try {
      payload = JSON.parse(text);
    } catch {
      res.status(400).json({ error: 'invalid_json', message: 'The webhook body is not JSON' });
      return;
    }
    const topic = header(req.headers['x-shopify-topic']);
    const shop = header(req.headers['x-shopify-shop-domain']);
    const webhookId = header(req.headers['x-shopify-webhook-id']);
    if (!topic || !webhookId || !isShopDomain(shop)) {
      res.status(400).json({
        error: 'missing_headers',
        message: 'X-Shopify-Topic, X-Shopify-Webhook-Id and a valid X-Shopify-Shop-Domain are required',
      });
      return;
    }
    const triggered = header(req.headers['x-shopify-triggered-at']);
    const triggeredAt = triggered && !Number.isNaN(Date.parse(triggered)) ? new Date(triggered) : null;
    const now = ctx.clock();
    const storingDone = gate?.storing();
    try {
      const entry = await inbox.create({
        shop,
        eventId: header(req.headers['x-shopify-event-id']) ?? webhookId,
        webhookId,
        topic,
        apiVersion: header(req.headers['x-shopify-api-version']) ?? 'unknown',
        triggeredAt,
        receivedAt: now,
        customerId: customerIdOf(topic, payload),
        body: text,
        status: 'pending',
        attempts: 0,
        availableAt: now,
      });
      onStored(String(entry._id));
    } catch (error) {
      if (!isDuplicateKey(error)) {
        req.log.error({ err: error, shop, topic }, 'could not store webhook');
        res.status(503).json({ error: 'unavailable', message: 'The delivery could not be stored; Shopify will retry' });
        return;
      }
    } finally {
      storingDone?.();
    }
    res.status(200).json({ ok: true });
  });

  const rejectBadBody: ErrorRequestHandler = (error: { type?: string; status?: number }, _req, res, next) => {
    if (error.type === 'entity.too.large') {
      res.status(413).json({ error: 'too_large', message: `Webhook bodies are limited to ${WEBHOOK_BODY_LIMIT}` });
      return;
    }
    if (typeof error.status === 'number' && error.status >= 400 && error.status < 500) {
      res.status(400).json({ error: 'bad_request', message: 'The webhook body could not be read' });
      return;
    }
    next(error);
  };
  router.use('/webhooks', rejectBadBody);
  return router;
}

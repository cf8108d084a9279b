import { createHmac, timingSafeEqual } from 'node:crypto';
import express, { Router, type ErrorRequestHandler } from 'express';
import type { AppContext } from '../platform/context.js';
import type { AckGate } from './ack-gate.js';
import { isShopDomain } from '../shopify/shop-domain.js';
import { isInstalled, shopIdOf } from '../shops/index.js';
import { parseExact, stringifyExact, type JsonValue } from './exact-json.js';
import { inboxModel, webhookLogModel } from './store.js';
import type { InboxWorker } from './worker.js';
import { checkPayload, COMPLIANCE_TOPICS } from './webhook-payloads.js';
import { isDuplicateKey } from '../platform/models.js';

export const WEBHOOK_BODY_LIMIT = '1mb';

function ignoreDuplicate(error: unknown): undefined {
  if (!isDuplicateKey(error)) throw error;
  return undefined;
}

function header(value: string | string[] | undefined): string | undefined {
  return typeof value === 'string' && value.length > 0 && value.length <= 256 ? value : undefined;
}

const CANONICAL_HMAC = /^[A-Za-z0-9+/]{43}=$/;

/**
 * Shopify's signature: base64 HMAC-SHA256 of the raw body with the app secret. Only the canonical
 * encoding is accepted (44 characters that decode to 32 bytes and encode back identically): Node's
 * decoder skips unknown characters and ignores trailing bits, so several spellings decode alike.
 */
export function validWebhookHmac(secret: string, rawBody: Buffer, given: string | undefined): boolean {
  if (!given || !CANONICAL_HMAC.test(given)) return false;
  const received = Buffer.from(given, 'base64');
  if (received.length !== 32 || received.toString('base64') !== given) return false;
  const expected = createHmac('sha256', secret).update(rawBody).digest();
  return timingSafeEqual(received, expected);
}

/**
 * Why a fitting delivery is recorded as skipped instead of stored for its handler, if it is: only
 * compliance topics are acted on for a shop that is not installed (never installed, or uninstalled),
 * and shop/redact only once the shop is uninstalled.
 */
async function skipReason(ctx: AppContext, topic: string, shop: string): Promise<string | undefined> {
  const compliance = COMPLIANCE_TOPICS.has(topic);
  if (compliance && topic !== 'shop/redact') return undefined;
  const installed = await isInstalled(ctx.connection, shop);
  if (!compliance && !installed) return `${shop} is not installed: only compliance topics are acted on`;
  // Acknowledged, not refused: Shopify would retry a 4xx for days, and sends shop/redact again 48 hours after a real uninstall.
  if (topic === 'shop/redact' && installed) return `${shop} is still installed: shop/redact is only acted on after app/uninstalled`;
  return undefined;
}

/**
 * An order on a custom domain names its shop only by id (webhook-payloads.ts): when the app knows
 * the header shop's id, a different one is a body captured from another shop.
 */
async function shopIdMismatch(ctx: AppContext, topic: string, shop: string, namedShopId: string | undefined): Promise<string | undefined> {
  if (namedShopId === undefined) return undefined;
  const known = await shopIdOf(ctx.connection, shop);
  return known === undefined || known === namedShopId
    ? undefined
    : `${topic}: the payload names shop id ${namedShopId}, the X-Shopify-Shop-Domain header ${shop} (id ${known})`;
}

/**
 * POST /webhooks: verify the HMAC on the raw bytes, check the body is JSON, the headers are
 * Shopify's and the payload fits its topic and shop, then store the delivery in the inbox (without
 * the personal fields no handler reads) and only then answer 200. An event already received (still
 * in the inbox, or seen within `SEEN_EVENT_RETENTION_MS`) is acknowledged and not stored again.
 * Effects are applied by the inbox worker. The local worker is handed the stored delivery, so effects follow at once.
 */
export function webhooksRouter(ctx: AppContext, worker: Pick<InboxWorker, 'nudge' | 'firstClaim'>, gate?: AckGate): Router {
  const router = Router();
  const inbox = inboxModel(ctx.connection);
  const log = webhookLogModel(ctx.connection);

  router.post('/webhooks', express.raw({ type: () => true, limit: WEBHOOK_BODY_LIMIT }), async (req, res) => {
    const raw: Buffer = Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0);
    if (!validWebhookHmac(ctx.config.shopifyApiSecret, raw, header(req.headers['x-shopify-hmac-sha256']))) {
      res.status(401).json({ error: 'invalid_hmac', message: 'X-Shopify-Hmac-Sha256 is missing or does not match the body' });
      return;
    }
    let payload: JsonValue;
    try {
      payload = parseExact(raw.toString('utf8'));
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
    const verdict = checkPayload(topic, shop, payload);
    const mismatch = verdict.fits ? await shopIdMismatch(ctx, topic, shop, verdict.namedShopId) : undefined;
    if (!verdict.fits || mismatch) {
      const refusal = verdict.fits ? { error: 'shop_mismatch', message: mismatch } : { error: verdict.error, message: verdict.message };
      // A signed body under the wrong headers is a replay or a forgery, never Shopify: the log keeps a record, the database nothing.
      if (refusal.error === 'shop_mismatch')
        ctx.logger.warn({ shop, topic, webhookId, refused: refusal.error }, `webhook refused: ${refusal.message}`);
      res.status(400).json(refusal);
      return;
    }
    const triggered = header(req.headers['x-shopify-triggered-at']);
    const triggeredAt = triggered && !Number.isNaN(Date.parse(triggered)) ? new Date(triggered) : null;
    const eventId = header(req.headers['x-shopify-event-id']) ?? webhookId;
    const apiVersion = header(req.headers['x-shopify-api-version']) ?? 'unknown';
    const now = ctx.clock();
    const storingDone = gate?.storing();
    try {
      const skipped = await skipReason(ctx, topic, shop);
      if (skipped) {
        // Recorded with its outcome but without the body: a shop that is not installed gets no personal data stored.
        await log
          .create({
            shop,
            eventId,
            webhookId,
            topic,
            apiVersion,
            triggeredAt,
            receivedAt: now,
            body: '{}',
            status: 'skipped',
            attempts: 0,
            availableAt: now,
            outcome: skipped,
            finishedAt: now,
          })
          .catch(ignoreDuplicate);
      } else {
        // Stored as already claimed by this process's worker (its first attempt), which takes it at
        // once without another read; the unique (shop, event id) turns a duplicate or a replay within
        // the replay horizon into "already have it".
        const entry = await inbox
          .create({
            shop,
            eventId,
            webhookId,
            topic,
            apiVersion,
            triggeredAt,
            receivedAt: now,
            customerId: verdict.customerId,
            body: stringifyExact(verdict.stored),
            ...worker.firstClaim(now),
          })
          .catch(ignoreDuplicate);
        if (entry) worker.nudge(entry.toObject());
      }
    } catch (error) {
      req.log.error({ err: error, shop, topic }, 'could not store webhook');
      res.status(503).json({ error: 'unavailable', message: 'The delivery could not be stored; Shopify will retry' });
      return;
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

import type { AppContext } from './context.js';

/** One webhook delivery as the inbox stores it, handed to its topic's handler. */
export interface WebhookDelivery {
  shop: string;
  topic: string;
  /** X-Shopify-Event-Id, or X-Shopify-Webhook-Id when Shopify sent no event id. */
  eventId: string;
  webhookId: string;
  apiVersion: string;
  triggeredAt: Date | null;
  receivedAt: Date;
  payload: unknown;
}

export type HandlerOutcome = { status: 'processed'; detail?: string } | { status: 'skipped'; reason: string };

/**
 * Turns a delivery into domain input and applies its effects. Must be idempotent: the worker may
 * run it again after a crash. Throw to have it retried with backoff; throw a PermanentFailure to
 * fail the delivery at once with its reason.
 */
export type TopicHandler = (delivery: WebhookDelivery, ctx: AppContext, now: Date) => Promise<HandlerOutcome>;

export class PermanentFailure extends Error {
  override readonly name = 'PermanentFailure';
}

import { createHmac, randomUUID } from 'node:crypto';

export interface WebhookEvent {
  shop: string;
  topic: string;
  payload: object;
  /** One event id per Shopify event; duplicates and retries of it carry the same one. */
  eventId: string;
  triggeredAt: Date;
}

export interface DeliveryOptions {
  /** Send each event this many times (as new deliveries of the same event). */
  duplicate?: number;
  /** Shuffle the order deliveries go out in. */
  shuffle?: boolean;
  /** How many deliveries are in flight at once. */
  concurrency?: number;
  /** Retry schedule for non-2xx answers, in ms (Shopify retries 8 times over 4 hours). */
  retryDelaysMs?: number[];
  /** Called after each acknowledgement with the count so far; the sender that got it waits for the promise. */
  onAcknowledged?: (acknowledged: number) => void | Promise<void>;
}

export interface DeliveryReport {
  sent: number;
  acknowledged: number;
  failed: number;
  statuses: Record<string, number>;
}

export const API_VERSION = '2026-10';

export function signWebhook(secret: string, body: string): string {
  return createHmac('sha256', secret).update(body).digest('base64');
}

export function webhookHeaders(secret: string, event: WebhookEvent, body: string, webhookId: string): Record<string, string> {
  return {
    'Content-Type': 'application/json',
    'X-Shopify-Topic': event.topic,
    'X-Shopify-Hmac-Sha256': signWebhook(secret, body),
    'X-Shopify-Shop-Domain': event.shop,
    'X-Shopify-Webhook-Id': webhookId,
    'X-Shopify-Event-Id': event.eventId,
    'X-Shopify-Triggered-At': event.triggeredAt.toISOString(),
    'X-Shopify-API-Version': API_VERSION,
  };
}

export function newEvent(shop: string, topic: string, payload: object, triggeredAt: Date): WebhookEvent {
  return { shop, topic, payload, eventId: randomUUID(), triggeredAt };
}

function shuffled<T>(items: T[]): T[] {
  const copy = [...items];
  for (let index = copy.length - 1; index > 0; index--) {
    const other = Math.floor(Math.random() * (index + 1));
    [copy[index], copy[other]] = [copy[other]!, copy[index]!];
  }
  return copy;
}

/**
 * Delivers events to the app as Shopify does: signed with the app secret, Shopify's headers,
 * retried on anything but 2xx with the same webhook id; duplicates get a new webhook id but keep
 * the event id.
 */
export async function deliver(appUrl: string, secret: string, events: WebhookEvent[], options: DeliveryOptions = {}): Promise<DeliveryReport> {
  const deliveries = events.flatMap((event) => Array.from({ length: options.duplicate ?? 1 }, () => ({ event, webhookId: randomUUID() })));
  const queue = options.shuffle ? shuffled(deliveries) : deliveries;
  const report: DeliveryReport = { sent: 0, acknowledged: 0, failed: 0, statuses: {} };
  const retryDelays = options.retryDelaysMs ?? [50, 200, 1000];
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.max(1, options.concurrency ?? 8) }, async () => {
      for (let index = next++; index < queue.length; index = next++) {
        const { event, webhookId } = queue[index]!;
        const body = JSON.stringify(event.payload);
        let acknowledged = false;
        for (let attempt = 0; attempt <= retryDelays.length && !acknowledged; attempt++) {
          if (attempt > 0) await new Promise((resolve) => setTimeout(resolve, retryDelays[attempt - 1]));
          report.sent++;
          try {
            const response = await fetch(`${appUrl}/webhooks`, { method: 'POST', headers: webhookHeaders(secret, event, body, webhookId), body });
            await response.arrayBuffer();
            report.statuses[response.status] = (report.statuses[response.status] ?? 0) + 1;
            acknowledged = response.status >= 200 && response.status < 300;
          } catch {
            report.statuses.network = (report.statuses.network ?? 0) + 1;
          }
        }
        if (acknowledged) {
          report.acknowledged++;
          await options.onAcknowledged?.(report.acknowledged);
        } else report.failed++;
      }
    }),
  );
  return report;
}

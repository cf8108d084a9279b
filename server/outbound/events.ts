import { createHmac, timingSafeEqual } from 'node:crypto';

/** The events a merchant's endpoint or Shopify Flow can receive. */
export const OUTBOUND_EVENTS = ['points.earned', 'points.redeemed', 'tier.changed', 'points.expiring', 'offer.issued'] as const;
export type OutboundEventType = (typeof OUTBOUND_EVENTS)[number];

/** One event as every endpoint receives it (the JSON body of the POST). */
export interface OutboundEvent {
  /** Stable across retries and processes: the receiver's idempotency key. */
  id: string;
  type: OutboundEventType;
  shop: string;
  occurredAt: string;
  data: Record<string, string | number | null>;
}

/** The signature header value: base64 HMAC-SHA256 of the raw body under the endpoint's secret (as Shopify signs its webhooks). */
export function signBody(secret: string, body: string): string {
  return createHmac('sha256', secret).update(body, 'utf8').digest('base64');
}

export function validSignature(secret: string, body: string | Buffer, given: string | undefined): boolean {
  if (!given) return false;
  const expected = createHmac('sha256', secret).update(body).digest();
  const received = Buffer.from(given, 'base64');
  return received.length === expected.length && timingSafeEqual(received, expected);
}

/** Attempts before a delivery is given up, and the wait after each failed one: 10 h 42 min from the first attempt to the last. */
export const MAX_ATTEMPTS = 8;
const BACKOFF_MS = [30_000, 2 * 60_000, 10 * 60_000, 30 * 60_000, 60 * 60_000, 3 * 60 * 60_000, 6 * 60 * 60_000];

/** When to try again after `attempts` failed attempts, or null when the delivery has had its last one. */
export function nextAttemptAt(attempts: number, now: Date): Date | null {
  if (attempts >= MAX_ATTEMPTS) return null;
  return new Date(now.getTime() + BACKOFF_MS[Math.min(attempts, BACKOFF_MS.length) - 1]!);
}

/** The Flow trigger (extensions/tally-flow-*) that carries each event. */
export const FLOW_TRIGGER_HANDLES: Record<OutboundEventType, string> = {
  'points.earned': 'tally-points-earned',
  'points.redeemed': 'tally-points-redeemed',
  'tier.changed': 'tally-tier-changed',
  'points.expiring': 'tally-points-expiring',
  'offer.issued': 'tally-offer-issued',
};

/**
 * The payload of flowTriggerReceive for an event: `customer_id` for the trigger's customer_reference
 * field, and the keys of its other fields (Flow allows letters and spaces in trigger field keys).
 */
export function flowPayload(event: OutboundEvent): Record<string, string | number> {
  const { data } = event;
  const customer = { customer_id: Number(data.customerId) };
  switch (event.type) {
    case 'points.earned':
    case 'points.redeemed':
      return { ...customer, Points: Number(data.points), Balance: Number(data.balance), Reason: String(data.reason ?? '') };
    case 'tier.changed':
      return {
        ...customer,
        'Tier name': String(data.toName ?? ''),
        'Previous tier name': String(data.fromName ?? ''),
        Direction: String(data.direction),
      };
    case 'points.expiring':
      return { ...customer, Points: Number(data.points), 'Expires on': String(data.expiresOn) };
    case 'offer.issued':
      return {
        ...customer,
        'Offer kind': String(data.kind),
        Title: String(data.title),
        Points: Number(data.points),
        'Expires at': String(data.expiresAt),
      };
  }
}

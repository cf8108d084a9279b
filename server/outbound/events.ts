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

/** The legacy header's value: base64 HMAC-SHA256 of the raw body alone (as Shopify signs its webhooks); it carries no time, so a copy can be replayed. */
export function signBody(secret: string, body: string): string {
  return createHmac('sha256', secret).update(body, 'utf8').digest('base64');
}

export function validSignature(secret: string, body: string | Buffer, given: string | undefined): boolean {
  if (!given) return false;
  const expected = createHmac('sha256', secret).update(body).digest();
  const received = Buffer.from(given, 'base64');
  return received.length === expected.length && timingSafeEqual(received, expected);
}

/** How far a receiver should let a signature's time be from its own clock (docs/integrations.md). */
export const SIGNATURE_TOLERANCE_SECONDS = 300;

const timedHmac = (secret: string, timestamp: number, body: string | Buffer) =>
  createHmac('sha256', secret).update(`${timestamp}.`, 'utf8').update(body).digest('hex');

/**
 * `X-Tally-Signature`, as Stripe signs: `t=<unix seconds>,v1=<hex HMAC-SHA256 of "<t>.<raw body>">`.
 * The time is signed with the body, so a receiver that refuses old times refuses replays.
 */
export function signTimed(secret: string, body: string, at: Date): string {
  const timestamp = Math.floor(at.getTime() / 1000);
  return `t=${timestamp},v1=${timedHmac(secret, timestamp, body)}`;
}

/** What a receiver does with `X-Tally-Signature`: a v1 signature of this body whose time is within the tolerance of `now`. */
export function validTimedSignature(
  secret: string,
  body: string | Buffer,
  header: string | undefined,
  now: Date,
  toleranceSeconds = SIGNATURE_TOLERANCE_SECONDS,
): boolean {
  const parts = (header ?? '').split(',').map((part) => part.trim().split('='));
  const timestamp = Number(parts.find(([key]) => key === 't')?.[1]);
  if (!Number.isInteger(timestamp) || Math.abs(now.getTime() / 1000 - timestamp) > toleranceSeconds) return false;
  const expected = Buffer.from(timedHmac(secret, timestamp, body), 'hex');
  return parts
    .filter(([key, value]) => key === 'v1' && /^[0-9a-f]{64}$/.test(value ?? ''))
    .some(([, value]) => timingSafeEqual(Buffer.from(value!, 'hex'), expected));
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

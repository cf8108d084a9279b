import type { DomainEvent } from '../platform/events.js';
import type { AppContext } from '../platform/context.js';
import type { Program } from '../program/index.js';
import type { OrderPoints } from './store.js';

/**
 * Published once an order's credit is written (every orders/paid that reaches the ledger, a retry
 * included: subscribers are idempotent). Tiers read the same facts later from the order records.
 */
export interface OrderCredited extends DomainEvent {
  type: 'OrderCredited';
  program: Program;
  record: OrderPoints;
  /** The customer's paid orders after this one (the ledger's count), or null when the order earned nothing. */
  paidOrders: number | null;
  noteAttributes: Array<{ name: string; value?: string | null }>;
  discountCodes: string[];
}

/** Published after a refund or cancellation took back (part of) an order's points. */
export interface OrderReversed extends DomainEvent {
  type: 'OrderReversed';
  program: Program;
  record: OrderPoints;
  /** The reversal's ledger key (`reverse:refund:<id>` or `cancel:order:<id>`). */
  key: string;
  /** What it took back: points, and the eligible money refunded. */
  points: number;
  spend: number;
  /** The order is refunded in full or cancelled. */
  endsOrder: boolean;
}

/** A discount code an order used and the money it took off, as the order says (minor units; null when it does not say). */
export interface UsedCode {
  code: string;
  amount: number | null;
}

/** A checkout hold the order named, and what settling it did. */
export interface HoldSettlement {
  settled: boolean;
  points: number;
  reason?: string;
}

declare module '../platform/context.js' {
  interface Ports {
    /** The tier and membership multiplier the customer holds before this order (1, with no database call, without tiers). */
    tierMultiplier(ctx: AppContext, input: { shop: string; customerId: string; program: Program; orderId: string; now: Date }): Promise<number>;
    /** Spends the points of the checkout hold the order names (null when it names none). */
    settleOrderHold(
      ctx: AppContext,
      input: { shop: string; orderId: string; customerId: string; noteAttributes: Array<{ name: string; value?: string | null }>; now: Date },
    ): Promise<HoldSettlement | null>;
    /** Marks the order's reward codes used, with the discount each gave; returns how many were ours. */
    markCodesUsed(ctx: AppContext, input: { shop: string; orderId: string; codes: UsedCode[]; now: Date }): Promise<number>;
  }
}

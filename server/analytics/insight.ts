import { valueOf } from '../program/index.js';

const DAY_MS = 86_400_000;

export type ChurnRisk = 'unknown' | 'low' | 'medium' | 'high';

export interface GoodwillAdjustment {
  points: number;
  reason: string;
  /** The support ticket the reason names (`#1234`, `ticket 1234`, `ZD-1234`, a …/tickets/1234 link), if any. */
  ticket: string | null;
  staffId: string | null;
  createdAt: Date;
}

/** Adjustments staff made by hand (in the admin, or through Shopify Flow): not imports, transfers or group moves. */
const GOODWILL_SOURCES: ReadonlySet<string> = new Set(['admin', 'flow']);

/** Goodwill is what staff granted: an `adjust` entry from the admin or Flow. */
export function isGoodwill(entry: { source: string }): boolean {
  return GOODWILL_SOURCES.has(entry.source);
}

export interface CustomerInsight {
  customerId: string;
  orders: number;
  /** Eligible amounts of the customer's orders less what refunds gave back (`revenueOf` for one customer). */
  lifetimeValue: number;
  /** Eligible money refunded, already taken out of the lifetime value. */
  refunded: number;
  averageOrder: number;
  firstOrderAt: Date | null;
  lastOrderAt: Date | null;
  /** The customer's usual days between orders (median gap); null under two orders. */
  usualIntervalDays: number | null;
  daysSinceLastOrder: number | null;
  /** Days since the last order against the usual interval: low under 1.5×, medium under 3×, high beyond. */
  churnRisk: ChurnRisk;
  goodwill: { points: number; value: number; adjustments: GoodwillAdjustment[] };
}

const TICKET = /(?:tickets?\/|ticket\s*#?\s*|#|\b[A-Z][A-Z0-9]{1,9}-)(\d{1,12})\b/i;

export function ticketOf(reason: string): string | null {
  const match = TICKET.exec(reason);
  return match ? match[0].trim() : null;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}

export function churnRiskOf(daysSince: number | null, usualInterval: number | null): ChurnRisk {
  if (daysSince === null || usualInterval === null) return 'unknown';
  const ratio = daysSince / Math.max(1, usualInterval);
  if (ratio < 1.5) return 'low';
  return ratio < 3 ? 'medium' : 'high';
}

/**
 * A customer at a glance for support and CRM: orders (eligible amounts, shop money), how often
 * they buy and whether they are overdue, and the goodwill staff have granted (positive adjustments).
 */
export function customerInsight(
  customerId: string,
  orders: Array<{ amount: number; paidAt: Date }>,
  adjustments: Array<{ points: number; reason: string; staffId?: string | null; createdAt: Date }>,
  pointValue: number,
  now: Date,
  refunded = 0,
): CustomerInsight {
  const sorted = [...orders].sort((a, b) => a.paidAt.getTime() - b.paidAt.getTime());
  const lifetimeValue = sorted.reduce((sum, order) => sum + order.amount, 0) - refunded;
  const gaps = sorted.slice(1).map((order, index) => (order.paidAt.getTime() - sorted[index]!.paidAt.getTime()) / DAY_MS);
  const usualIntervalDays = gaps.length > 0 ? Math.round(median(gaps) * 10) / 10 : null;
  const last = sorted.at(-1)?.paidAt ?? null;
  const daysSinceLastOrder = last ? Math.floor((now.getTime() - last.getTime()) / DAY_MS) : null;
  const goodwill = adjustments
    .filter((adjustment) => adjustment.points > 0)
    .map((adjustment): GoodwillAdjustment => ({
      points: adjustment.points,
      reason: adjustment.reason,
      ticket: ticketOf(adjustment.reason),
      staffId: adjustment.staffId ?? null,
      createdAt: adjustment.createdAt,
    }));
  const goodwillPoints = goodwill.reduce((sum, adjustment) => sum + adjustment.points, 0);
  return {
    customerId,
    orders: sorted.length,
    lifetimeValue,
    refunded,
    averageOrder: sorted.length > 0 ? Math.round(lifetimeValue / sorted.length) : 0,
    firstOrderAt: sorted[0]?.paidAt ?? null,
    lastOrderAt: last,
    usualIntervalDays,
    daysSinceLastOrder,
    churnRisk: churnRiskOf(daysSinceLastOrder, usualIntervalDays),
    goodwill: { points: goodwillPoints, value: valueOf(goodwillPoints, pointValue), adjustments: goodwill },
  };
}

import type { AppContext } from '../platform/context.js';
import { accountingReport, utcDay, type DayRange } from '../accounting/index.js';
import { analyticsFor } from './service.js';

/** The trailing window the economics panel prices a program on. */
export const RECENT_DAYS = 30;

/**
 * The shop's figures at a glance, for Home and the program-economics panel: the same functions as
 * Analytics and accounting compute them (docs/analytics.md, "One definition per figure"), so each
 * page shows the same number for the same thing. Money in minor units.
 */
export interface ShopFigures {
  currency: string;
  /** Minor units per 1000 points (`pointValueOf`), and how it was found. */
  pointValue: number;
  pointValueBasis: string;
  /** Points customers hold: the sum of all balances (`pointsOutstanding`, accounting's last closing). */
  pointsHeld: number;
  /** pointsHeld at the point value (`liabilityOf`). */
  liability: number;
  members: number;
  /** The last RECENT_DAYS days, today included: orders, revenue net of refunds, what the rewards and cash back cost. */
  recent: PeriodFigures;
  /** This calendar month (UTC) to today. */
  month: PeriodFigures & { pointsIssued: number; pointsRedeemed: number };
  /** When the figures were computed from: everything before it is in them. */
  asOf: Date;
}

export interface PeriodFigures extends DayRange {
  orders: number;
  revenue: number;
  refunded: number;
  averageOrder: number;
  programCost: number;
}

const shift = (day: string, days: number): string => new Date(Date.parse(`${day}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);

export async function shopFigures(ctx: AppContext, shop: string, now: Date, options: { fresh?: boolean } = {}): Promise<ShopFigures | null> {
  const today = utcDay(now);
  const recentRange = { from: shift(today, 1 - RECENT_DAYS), to: today };
  const monthRange = { from: `${today.slice(0, 8)}01`, to: today };
  // One refresh first (fresh if asked), then the other reads share it.
  const accounting = await accountingReport(ctx, shop, { from: today, to: today }, now, options);
  if (!accounting) return null;
  const [recent, month] = await Promise.all([
    analyticsFor(ctx, shop, recentRange, now, undefined, options),
    analyticsFor(ctx, shop, monthRange, now),
  ]);
  if (!recent || !month) return null;
  const period = (range: DayRange, analytics: NonNullable<typeof recent>): PeriodFigures => ({
    ...range,
    orders: analytics.orders,
    revenue: analytics.revenue,
    refunded: analytics.refunded,
    averageOrder: analytics.averageOrder,
    programCost: analytics.programCost,
  });
  return {
    currency: accounting.currency,
    pointValue: accounting.pointValue,
    pointValueBasis: accounting.pointValueBasis,
    pointsHeld: accounting.pointsHeld,
    liability: accounting.liability,
    members: month.members,
    recent: period(recentRange, recent),
    month: { ...period(monthRange, month), pointsIssued: month.pointsIssued, pointsRedeemed: month.pointsRedeemed },
    asOf: recent.asOf < accounting.asOf ? recent.asOf : accounting.asOf,
  };
}

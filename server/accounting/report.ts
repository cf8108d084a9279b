import type { AppContext } from '../platform/context.js';
import { firstLedgerDay, movementsOfDays } from '../ledger/index.js';
import { loadProgram, pointValueOf, valueOf } from '../program/index.js';
import { BREAKAGE_METHOD, breakageRate, dailyReport, summarizeDays, type AccountingDay, type DayMovements } from './daily-report.js';
import { aggregateAsOf, refreshDays, type DayAggregate } from './day-aggregates.js';
import { ledgerDaysThrough, writeLedgerDays } from './store.js';
import type { DayRange } from './day-range.js';

/** The ledger summed per day, from the entries written that day. */
export const ledgerDaysAggregate: DayAggregate = {
  name: 'ledger-days',
  firstDay: (ctx, shop) => firstLedgerDay(ctx.connection, shop),
  recompute: async (ctx, shop, from, to, now) =>
    writeLedgerDays(ctx.connection, shop, from, to, summarizeDays(await movementsOfDays(ctx.connection, shop, from, to)), now),
};

/** Every stored day up to `to`, after bringing the unsealed ones (today) up to date. */
export async function ledgerDaysUpTo(
  ctx: AppContext,
  shop: string,
  to: string,
  now: Date,
  options: { fresh?: boolean } = {},
): Promise<DayMovements[]> {
  await refreshDays(ctx, ledgerDaysAggregate, shop, now, options);
  return ledgerDaysThrough(ctx.connection, shop, to);
}

export interface AccountingReport {
  currency: string;
  pointValue: number;
  pointValueBasis: string;
  days: AccountingDay[];
  /** Points outstanding at the end of the range at their redemption value, in minor units. */
  liability: number;
  /** The liability less expected breakage. */
  liabilityNetOfBreakage: number;
  breakageRate: number;
  breakageMethod: string;
  /** Points pending at the end of the range: outside every balance until released. */
  pendingPoints: number;
  /** Points customers hold at the end of the range: the last closing, the sum of all balances (`pointsOutstanding`). */
  pointsHeld: number;
  /** When the ledger's day sums were last brought up to date: the figures include every entry written before it. */
  asOf: Date;
}

/**
 * The points accounting of `range`. `liability` is the one liability figure: points held (the last
 * closing) at `pointValueOf(program)`; Home, the economics panel and Analytics all show this one.
 */
export async function accountingReport(
  ctx: AppContext,
  shop: string,
  range: DayRange,
  now: Date,
  options: { fresh?: boolean } = {},
): Promise<AccountingReport | null> {
  const program = await loadProgram(ctx.connection, shop);
  if (!program) return null;
  const value = pointValueOf(program);
  const stored = await ledgerDaysUpTo(ctx, shop, range.to, now, options);
  const asOf = (await aggregateAsOf(ctx, ledgerDaysAggregate, shop)) ?? now;
  const days = dailyReport(stored, range.from, range.to, value.perThousand);
  const closing = days.at(-1)?.closing ?? 0;
  const rate = breakageRate(stored, range.to);
  return {
    currency: program.currency,
    pointValue: value.perThousand,
    pointValueBasis: value.basis,
    days,
    liability: valueOf(closing, value.perThousand),
    liabilityNetOfBreakage: valueOf(Math.round(closing * (1 - rate)), value.perThousand),
    breakageRate: rate,
    breakageMethod: BREAKAGE_METHOD,
    pendingPoints: stored.reduce((sum, day) => sum + day.pending, 0),
    pointsHeld: closing,
    asOf,
  };
}

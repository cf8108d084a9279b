import type { AppContext } from '../platform/context.js';
import { firstLedgerDay, movementsOfDays } from '../ledger/index.js';
import { loadProgram } from '../program/index.js';
import { BREAKAGE_METHOD, breakageRate, dailyReport, summarizeDays, valueOf, type AccountingDay, type DayMovements } from './daily-report.js';
import { refreshDays, type DayAggregate } from './day-aggregates.js';
import { pointValueOf } from './point-value.js';
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
export async function ledgerDaysUpTo(ctx: AppContext, shop: string, to: string, now: Date): Promise<DayMovements[]> {
  await refreshDays(ctx, ledgerDaysAggregate, shop, now);
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
}

export async function accountingReport(ctx: AppContext, shop: string, range: DayRange, now: Date): Promise<AccountingReport | null> {
  const program = await loadProgram(ctx.connection, shop);
  if (!program) return null;
  const value = pointValueOf(program);
  const stored = await ledgerDaysUpTo(ctx, shop, range.to, now);
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
  };
}

import { valueOf } from '../program/index.js';
/**
 * Points accounting, decided from the ledger's movements alone (no database, time passed in).
 * Every entry moves the available balance by `available`; each entry type lands in exactly one
 * column, so a day closes as it opens plus its movements by construction, whatever the types.
 */
export type Column = 'earned' | 'redeemed' | 'reversed' | 'expired' | 'adjusted';

/**
 * Where each ledger entry type is booked. Columns that reduce the balance (redeemed, reversed,
 * expired) carry −available, the others +available, so a column may go negative on a day when
 * its corrections outweigh it (an edit that lowers an order's points, points returned to a
 * customer after a failed or released redemption).
 */
export const COLUMN_OF_TYPE = {
  earn: 'earned',
  bonus: 'earned',
  release: 'earned',
  order_edit: 'earned',
  redeem: 'redeemed',
  redeem_refund: 'redeemed',
  hold: 'redeemed',
  hold_release: 'redeemed',
  reverse: 'reversed',
  expire: 'expired',
  adjust: 'adjusted',
} as const satisfies Record<string, Column>;

/** A type the ledger adds before this table knows it is booked as an adjustment, so days still reconcile. */
export function columnOf(type: string): Column {
  return (COLUMN_OF_TYPE as Record<string, Column>)[type] ?? 'adjusted';
}

const REDUCING: ReadonlySet<Column> = new Set(['redeemed', 'reversed', 'expired']);
/** Types that show a customer taking part (earning or spending), as opposed to the program acting on them. */
const ACTIVITY_TYPES: ReadonlySet<string> = new Set(['earn', 'bonus', 'redeem', 'hold']);

export interface Movement {
  customerId: string;
  seq: number;
  type: string;
  available: number;
  pending: number;
  day: string;
}

/** One UTC day of the ledger, summed: the accounting columns plus what analytics reads. */
export interface DayMovements {
  day: string;
  earned: number;
  redeemed: number;
  reversed: number;
  expired: number;
  adjusted: number;
  /** Net change of pending points (outside the balance until released). */
  pending: number;
  entries: number;
  /** Customers whose first ledger entry was written this day. */
  newMembers: number;
  /** Customers who earned or spent points this day. */
  activeCustomers: string[];
}

export function emptyDay(day: string): DayMovements {
  return { day, earned: 0, redeemed: 0, reversed: 0, expired: 0, adjusted: 0, pending: 0, entries: 0, newMembers: 0, activeCustomers: [] };
}

/** The net change a day made to the shop's available points. */
export function netOf(day: Pick<DayMovements, Column>): number {
  return day.earned - day.redeemed - day.reversed - day.expired + day.adjusted;
}

/** Sums movements into one DayMovements per day they were written on, in day order. */
export function summarizeDays(movements: Movement[]): DayMovements[] {
  const days = new Map<string, DayMovements & { active: Set<string> }>();
  for (const movement of movements) {
    let day = days.get(movement.day);
    if (!day) {
      day = { ...emptyDay(movement.day), active: new Set() };
      days.set(movement.day, day);
    }
    const column = columnOf(movement.type);
    day[column] += REDUCING.has(column) ? -movement.available : movement.available;
    day.pending += movement.pending;
    day.entries++;
    if (movement.seq === 1) day.newMembers++;
    if (ACTIVITY_TYPES.has(movement.type)) day.active.add(movement.customerId);
  }
  return [...days.values()].sort((a, b) => a.day.localeCompare(b.day)).map(({ active, ...day }) => ({ ...day, activeCustomers: [...active].sort() }));
}

export interface AccountingDay {
  date: string;
  opening: number;
  earned: number;
  redeemed: number;
  reversed: number;
  expired: number;
  adjusted: number;
  closing: number;
  closingValue: number;
}

export function nextDay(day: string): string {
  return new Date(Date.parse(`${day}T00:00:00Z`) + 86_400_000).toISOString().slice(0, 10);
}

export function daysBetween(from: string, to: string): string[] {
  const days: string[] = [];
  for (let day = from; day <= to; day = nextDay(day)) days.push(day);
  return days;
}

/**
 * The daily report for `from`..`to` from the stored day sums (any days, in any order; days
 * before `from` make the opening). Days without movements close as they open.
 */
export function dailyReport(stored: DayMovements[], from: string, to: string, pointValue: number): AccountingDay[] {
  const byDay = new Map(stored.map((day) => [day.day, day]));
  let balance = stored.filter((day) => day.day < from).reduce((sum, day) => sum + netOf(day), 0);
  return daysBetween(from, to).map((date) => {
    const day = byDay.get(date) ?? emptyDay(date);
    const opening = balance;
    balance = opening + netOf(day);
    return {
      date,
      opening,
      earned: day.earned,
      redeemed: day.redeemed,
      reversed: day.reversed,
      expired: day.expired,
      adjusted: day.adjusted,
      closing: balance,
      closingValue: valueOf(balance, pointValue),
    };
  });
}

export const BREAKAGE_METHOD =
  'Settled-points ratio: of all points whose fate is known up to the report end (redeemed, including points held at checkout, or expired), the share that expired. Points still outstanding are left out until they settle; with nothing settled yet the estimate is 0.';

/** Expected breakage, from the shop's own history up to `to` (BREAKAGE_METHOD), to 4 decimals. */
export function breakageRate(stored: DayMovements[], to: string): number {
  const settled = stored
    .filter((day) => day.day <= to)
    .reduce((sum, day) => ({ redeemed: sum.redeemed + day.redeemed, expired: sum.expired + day.expired }), { redeemed: 0, expired: 0 });
  const total = settled.redeemed + settled.expired;
  return total > 0 ? Math.round((settled.expired / total) * 10_000) / 10_000 : 0;
}

const CSV_COLUMNS = ['date', 'opening', 'earned', 'redeemed', 'reversed', 'expired', 'adjusted', 'closing', 'closingValue'] as const;

/** The report as CSV for an accountant: one row per day, money in minor units with its currency. */
export function dailyReportCsv(days: AccountingDay[], currency: string, pointValue: number): string {
  const header = [...CSV_COLUMNS, 'currency', 'pointValuePer1000'].join(',');
  return [header, ...days.map((day) => [...CSV_COLUMNS.map((column) => day[column]), currency, pointValue].join(','))].join('\r\n') + '\r\n';
}

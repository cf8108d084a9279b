/**
 * How an entry meets the balance: `none` applies as asked (a balance may go negative);
 * `require` applies only if the available balance covers it, else nothing is written (a
 * redemption); `clamp` takes at most what is available and records the rest as a shortfall.
 */
export type BalanceGuard = 'none' | 'require' | 'clamp';

/** `tier`: no points; the customer's tier standing as tiers recorded it, which later entries carry (store.ts). */
export type EntryType =
  'earn' | 'bonus' | 'reverse' | 'release' | 'order_edit' | 'redeem' | 'redeem_refund' | 'adjust' | 'expire' | 'hold' | 'hold_release' | 'tier';

/** The running totals every entry carries, so the newest entry is the customer's account. */
export interface RunningTotals {
  seq: number;
  balance: number;
  pendingBalance: number;
  lifetimeEarned: number;
  /** Paid orders credited so far (punch card). */
  paidOrders: number;
  /** The UTC day of the entry and the points earned on it so far (daily cap). */
  day: string;
  earnedOnDay: number;
}

export interface EntryChange {
  type: EntryType;
  available: number;
  pending: number;
  guard: BalanceGuard;
}

export type NextEntry = { refused: true } | { refused: false; totals: RunningTotals; available: number; shortfall: number };

const EARNING_TYPES: ReadonlySet<EntryType> = new Set(['earn', 'bonus']);

/**
 * A reversal that exceeds the available balance (points were spent): `allow` lets the balance go
 * negative; `stop_at_zero` takes only what is available and the rest is a shortfall.
 */
export function takeWithinBalance(policy: 'allow' | 'stop_at_zero', available: number, reversal: number): { taken: number; shortfall: number } {
  if (policy === 'allow' || reversal <= available) return { taken: reversal, shortfall: 0 };
  const taken = Math.max(0, available);
  return { taken, shortfall: reversal - taken };
}

/** The entry that follows `last` (null for a customer's first): its balances after the change, under its guard. */
export function nextEntry(last: RunningTotals | null, change: EntryChange, now: Date): NextEntry {
  const balance = last?.balance ?? 0;
  let available = change.available;
  let shortfall = 0;
  if (change.guard === 'require' && balance + available < 0) return { refused: true };
  if (change.guard === 'clamp' && available < 0) {
    const within = takeWithinBalance('stop_at_zero', balance, -available);
    available = -within.taken;
    shortfall = within.shortfall;
  }
  const day = now.toISOString().slice(0, 10);
  const earned = EARNING_TYPES.has(change.type) ? Math.max(0, change.available) + Math.max(0, change.pending) : 0;
  return {
    refused: false,
    available,
    shortfall,
    totals: {
      seq: (last?.seq ?? 0) + 1,
      balance: balance + available,
      pendingBalance: (last?.pendingBalance ?? 0) + change.pending,
      lifetimeEarned: (last?.lifetimeEarned ?? 0) + earned,
      paidOrders: (last?.paidOrders ?? 0) + (change.type === 'earn' ? 1 : 0),
      day,
      earnedOnDay: (last?.day === day ? last.earnedOnDay : 0) + earned,
    },
  };
}

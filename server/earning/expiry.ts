import type { Program } from '../program/index.js';

const DAY_MS = 86_400_000;

/** The day (UTC, yyyy-mm-dd) an account's points expire for inactivity, or null when they do not. */
export function inactivityExpiryDate(program: Program, lastActivityAt: Date): Date | null {
  if (program.expiry.mode !== 'inactivity') return null;
  return new Date(lastActivityAt.getTime() + program.expiry.days * DAY_MS);
}

export type ExpiryDecision = { action: 'none' } | { action: 'remind'; expiresOn: string } | { action: 'expire'; points: number; on: string };

/**
 * After N days without activity the whole available balance expires; a reminder is due
 * `reminderDaysBefore` days earlier. Decided per day, so a daily job is idempotent.
 */
export function expireInactive(program: Program, account: { available: number; lastActivityAt: Date }, now: Date): ExpiryDecision {
  const expiresAt = inactivityExpiryDate(program, account.lastActivityAt);
  if (!expiresAt || account.available <= 0) return { action: 'none' };
  const day = (date: Date) => date.toISOString().slice(0, 10);
  if (now >= expiresAt) return { action: 'expire', points: account.available, on: day(now) };
  const remindFrom = new Date(expiresAt.getTime() - program.expiry.reminderDaysBefore * DAY_MS);
  if (program.expiry.reminderDaysBefore > 0 && now >= remindFrom) return { action: 'remind', expiresOn: day(expiresAt) };
  return { action: 'none' };
}

/** Earned batches, spent oldest first: how many points of each batch are still unspent. */
export function unspentBatches(
  batches: Array<{ key: string; points: number; earnedAt: Date }>,
  spent: number,
): Array<{ key: string; points: number; earnedAt: Date }> {
  let toSpend = spent;
  const left: Array<{ key: string; points: number; earnedAt: Date }> = [];
  for (const batch of [...batches].sort((a, b) => a.earnedAt.getTime() - b.earnedAt.getTime())) {
    const used = Math.min(batch.points, Math.max(0, toSpend));
    toSpend -= used;
    if (batch.points - used > 0) left.push({ ...batch, points: batch.points - used });
  }
  return left;
}

/**
 * Batch expiry: each earned batch expires `days` after it was earned, counting spending against
 * the oldest batches first. Returns the points that expire at `now`.
 */
export function expireBatches(
  program: Program,
  batches: Array<{ key: string; points: number; earnedAt: Date }>,
  spentOrExpired: number,
  available: number,
  now: Date,
): number {
  if (program.expiry.mode !== 'batch') return 0;
  const cutoff = now.getTime() - program.expiry.days * DAY_MS;
  const expiring = unspentBatches(batches, spentOrExpired)
    .filter((batch) => batch.earnedAt.getTime() <= cutoff)
    .reduce((sum, batch) => sum + batch.points, 0);
  return Math.max(0, Math.min(expiring, available));
}

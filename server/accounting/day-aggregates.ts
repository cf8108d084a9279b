import type { AppContext } from '../platform/context.js';
import { nextDay } from './daily-report.js';
import { changedDays, clearChangedDays, markDayChanged, watermarkOf, writeWatermark } from './store.js';

/**
 * A per-(shop, day) aggregate kept by recomputing whole days from their facts and replacing the
 * stored documents: a recompute is idempotent, so concurrent runs (two processes, a job and a
 * page view) cannot corrupt it the way concurrent `$inc` does on FerretDB.
 */
export interface DayAggregate {
  name: string;
  /** The first day that has facts, or null when there are none yet. */
  firstDay(ctx: AppContext, shop: string): Promise<string | null>;
  /** Recomputes and stores every day of `from`..`to`. */
  recompute(ctx: AppContext, shop: string, from: string, to: string, now: Date): Promise<void>;
}

/** Facts are dated by the writer's clock: a day stops receiving them this long after it ends. */
const SETTLE_MS = 60 * 60_000;
/**
 * Unsealed days recomputed this recently are served as they are: the requests of one page view
 * share one recompute (on FerretDB every ledger query scans the whole collection).
 */
const FRESH_MS = 60_000;

export const utcDay = (date: Date): string => date.toISOString().slice(0, 10);

function previousDay(day: string): string {
  return new Date(Date.parse(`${day}T00:00:00Z`) - 86_400_000).toISOString().slice(0, 10);
}

/**
 * Brings an aggregate up to date at `now`: days after the watermark (normally today, and
 * yesterday within its settling hour) and days marked changed are recomputed, unless that was
 * done less than FRESH_MS ago; the watermark then moves to the last day that can no longer
 * change. `fresh` skips that minute: the admin asks for it right after a change it made itself
 * (an adjustment, an import), so the figures it shows next include it. Returns the days recomputed.
 */
export async function refreshDays(
  ctx: AppContext,
  aggregate: DayAggregate,
  shop: string,
  now: Date,
  options: { fresh?: boolean } = {},
): Promise<number> {
  const today = utcDay(now);
  const marks = await changedDays(ctx.connection, shop, aggregate.name);
  const watermark = await watermarkOf(ctx.connection, shop, aggregate.name);
  const age = watermark?.refreshedAt ? now.getTime() - watermark.refreshedAt.getTime() : Infinity;
  if (!options.fresh && marks.length === 0 && age >= 0 && age < FRESH_MS) return 0;
  const sealed = watermark?.sealedThrough ?? null;
  const start = sealed !== null ? nextDay(sealed) : await aggregate.firstDay(ctx, shop);
  let recomputed = 0;
  for (const day of [...new Set(marks.map((mark) => mark.day))].sort()) {
    if (start !== null && day >= start) continue;
    await aggregate.recompute(ctx, shop, day, day, now);
    recomputed++;
  }
  if (start !== null && start <= today) {
    await aggregate.recompute(ctx, shop, start, today, now);
    recomputed += Math.round((Date.parse(today) - Date.parse(start)) / 86_400_000) + 1;
    const lastFinal = previousDay(utcDay(new Date(now.getTime() - SETTLE_MS)));
    const sealedNow = sealed !== null && sealed > lastFinal ? sealed : lastFinal;
    if (sealedNow >= previousDay(start)) await writeWatermark(ctx.connection, shop, aggregate.name, sealedNow, now);
  }
  await clearChangedDays(
    ctx.connection,
    marks.map((mark) => mark._id),
  );
  return recomputed;
}

/** When the aggregate's open days were last recomputed: what its figures are "as of"; null before the first run. */
export async function aggregateAsOf(ctx: AppContext, aggregate: Pick<DayAggregate, 'name'>, shop: string): Promise<Date | null> {
  return (await watermarkOf(ctx.connection, shop, aggregate.name))?.refreshedAt ?? null;
}

/** Records that a fact landed on `day` after it may have been sealed; the next refresh recomputes it. */
export async function dayChanged(ctx: AppContext, aggregate: DayAggregate, shop: string, day: string, ref: string, now: Date): Promise<void> {
  await markDayChanged(ctx.connection, shop, aggregate.name, day, ref, now);
}

import { Schema, type Connection, type Model } from 'mongoose';
import type { AppContext } from './context.js';
import { insertOnce } from './atomic.js';
import { modelOn } from './models.js';

/** Work that runs once per shop per period (a day, an hour), whatever the number of processes. */
export interface ScheduledJob {
  name: string;
  period: 'hour' | 'day';
  run(ctx: AppContext, shop: string, now: Date): Promise<void>;
}

/** One attempt at a job's run for a period; attempts are inserted, never taken over by an update. */
interface JobRun {
  shop: string;
  job: string;
  period: string;
  attempt: number;
  status: 'running' | 'done' | 'failed';
  leaseUntil: Date;
  startedAt: Date;
  finishedAt?: Date;
  error?: string;
}

const jobRunSchema = new Schema<JobRun>(
  {
    shop: { type: String, required: true },
    job: { type: String, required: true },
    period: { type: String, required: true },
    status: { type: String, required: true },
    attempt: { type: Number, required: true },
    leaseUntil: { type: Date, required: true },
    startedAt: { type: Date, required: true },
    finishedAt: Date,
    error: String,
  },
  { collection: 'job_attempts', versionKey: false },
);
jobRunSchema.index({ shop: 1, job: 1, period: 1, attempt: -1 }, { unique: true });

export function jobRunModel(connection: Connection): Model<JobRun> {
  return modelOn(connection, 'JobRun', jobRunSchema);
}

export function periodKey(period: ScheduledJob['period'], now: Date): string {
  const iso = now.toISOString();
  return period === 'day' ? iso.slice(0, 10) : iso.slice(0, 13);
}

const LEASE_MS = 5 * 60_000;
const MAX_ATTEMPTS = 5;

/**
 * Claims (shop, job, period) for this process: each attempt is a unique insert, so of several
 * processes exactly one gets attempt 1; a run whose lease expired (its process died) or that
 * failed is claimed again as the next attempt, up to MAX_ATTEMPTS.
 */
async function claim(runs: Model<JobRun>, shop: string, job: string, period: string, now: Date): Promise<JobRun | null> {
  const attemptRun = (attempt: number): JobRun => ({
    shop,
    job,
    period,
    attempt,
    status: 'running',
    leaseUntil: new Date(now.getTime() + LEASE_MS),
    startedAt: now,
  });
  const first = attemptRun(1);
  if (await insertOnce(runs, first)) return first;
  const latest = await runs.findOne({ shop, job, period }).sort({ attempt: -1 }).lean();
  if (!latest || latest.status === 'done' || latest.attempt >= MAX_ATTEMPTS) return null;
  if (latest.status === 'running' && latest.leaseUntil >= now) return null;
  const next = attemptRun(latest.attempt + 1);
  return (await insertOnce(runs, next)) ? next : null;
}

/** Runs every job that is due for every given shop at `now`; returns how many runs it made. */
export async function runDueJobs(ctx: AppContext, jobs: ScheduledJob[], shops: string[], now: Date): Promise<number> {
  const runs = jobRunModel(ctx.connection);
  let made = 0;
  for (const shop of shops) {
    for (const job of jobs) {
      const period = periodKey(job.period, now);
      const run = await claim(runs, shop, job.name, period, now);
      if (!run) continue;
      made++;
      // Only this attempt's holder writes its document: a plain update is enough.
      const mine = { shop, job: job.name, period, attempt: run.attempt };
      try {
        await job.run(ctx, shop, now);
        await runs.updateOne(mine, { $set: { status: 'done', finishedAt: ctx.clock() } });
      } catch (error) {
        ctx.logger.error({ err: error, shop, job: job.name, period }, 'scheduled job failed');
        await runs.updateOne(mine, { $set: { status: 'failed', error: (error as Error).message } });
      }
    }
  }
  return made;
}

export interface Scheduler {
  stop(): Promise<void>;
}

/** Ticks every `everyMs`, running due jobs for the shops `listShops` returns. */
export function startScheduler(ctx: AppContext, jobs: ScheduledJob[], listShops: () => Promise<string[]>, everyMs = 60_000): Scheduler {
  let running: Promise<unknown> = Promise.resolve();
  let stopped = false;
  const tick = (): void => {
    running = running
      .then(async () => (stopped ? 0 : runDueJobs(ctx, jobs, await listShops(), ctx.clock())))
      .catch((error: unknown) => ctx.logger.error({ err: error }, 'scheduler tick failed'));
  };
  const timer = setInterval(tick, everyMs);
  timer.unref();
  tick();
  return {
    async stop() {
      stopped = true;
      clearInterval(timer);
      await running;
    },
  };
}

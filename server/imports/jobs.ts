import type { ScheduledJob } from '../platform/jobs.js';
import { runShopBackfills } from './backfill-runner.js';
import { runShopImports } from './runner.js';

/** Resumes imports whose process stopped (a crash, a deploy) once an hour per shop. */
export const importJobs: ScheduledJob[] = [
  { name: 'imports.resume', period: 'hour', run: (ctx, shop) => runShopImports(ctx, shop) },
  { name: 'backfills.resume', period: 'hour', run: (ctx, shop) => runShopBackfills(ctx, shop) },
];

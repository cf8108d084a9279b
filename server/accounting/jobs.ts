import type { ScheduledJob } from '../platform/jobs.js';
import { refreshDays } from './day-aggregates.js';
import { ledgerDaysAggregate } from './report.js';

/** Hourly, per shop: the ledger's day sums catch up, so a page view recomputes only today. */
export const accountingJobs: ScheduledJob[] = [
  { name: 'aggregate-ledger-days', period: 'hour', run: async (ctx, shop, now) => void (await refreshDays(ctx, ledgerDaysAggregate, shop, now)) },
];

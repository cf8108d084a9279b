import type { ScheduledJob } from '../platform/jobs.js';
import { refreshDays } from '../accounting/index.js';
import { orderDaysAggregate } from './service.js';

/** Hourly, per shop: paid orders' day sums catch up, so a page view recomputes only today. */
export const analyticsJobs: ScheduledJob[] = [
  { name: 'aggregate-order-days', period: 'hour', run: async (ctx, shop, now) => void (await refreshDays(ctx, orderDaysAggregate, shop, now)) },
];

import type { ScheduledJob } from '../platform/jobs.js';
import { expireExports, expireWebhookLog } from './retention.js';

/** Retention: webhook bodies and data exports are dropped when their time is up. */
export const complianceJobs: ScheduledJob[] = [
  { name: 'retention-webhook-log', period: 'day', run: async (ctx, shop, now) => void (await expireWebhookLog(ctx.connection, shop, now)) },
  { name: 'retention-exports', period: 'day', run: async (ctx, shop, now) => void (await expireExports(ctx.connection, shop, now)) },
];

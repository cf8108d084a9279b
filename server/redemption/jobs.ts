import type { ScheduledJob } from '../platform/jobs.js';
import { releaseExpiredHolds } from './hold-service.js';
import { expireUnusedCodes } from './service.js';

/** Redemption's periodic work: codes not used in time expire, holds not used by checkout give their points back. */
export const redemptionJobs: ScheduledJob[] = [
  { name: 'expire-reward-codes', period: 'hour', run: async (ctx, shop, now) => void (await expireUnusedCodes(ctx, shop, now)) },
  { name: 'release-expired-holds', period: 'hour', run: async (ctx, shop, now) => void (await releaseExpiredHolds(ctx, shop, now)) },
];

import { loadProgram } from '../program/index.js';
import type { ScheduledJob } from '../platform/jobs.js';
import { settleDueReferrals } from './service.js';

export const referralJobs: ScheduledJob[] = [
  {
    name: 'referrals-settle',
    period: 'hour',
    run: async (ctx, shop, now) => {
      const program = await loadProgram(ctx.connection, shop);
      if (program) await settleDueReferrals(ctx, program, shop, now);
    },
  },
];

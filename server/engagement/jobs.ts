import type { AppContext } from '../platform/context.js';
import { loadProgram } from '../program/index.js';
import type { ScheduledJob } from '../platform/jobs.js';
import { creditBirthdays } from './actions.js';
import { issueOffers } from './offers.js';
import { completeTransfers } from './transfers.js';

export const engagementJobs: ScheduledJob[] = [
  {
    name: 'engagement-transfers-complete',
    period: 'hour',
    run: async (ctx: AppContext, shop, now) => void (await completeTransfers(ctx, shop, now)),
  },
  {
    name: 'engagement-birthdays',
    period: 'day',
    run: async (ctx: AppContext, shop, now) => {
      const program = await loadProgram(ctx.connection, shop);
      if (program) await creditBirthdays(ctx, program, shop, now);
    },
  },
  {
    name: 'engagement-offers',
    period: 'day',
    run: async (ctx: AppContext, shop, now) => void (await issueOffers(ctx, shop, now)),
  },
];

import type { AppContext } from '../platform/context.js';
import type { ScheduledJob } from '../platform/jobs.js';
import { completeGroupMoves } from './moves.js';

export const groupJobs: ScheduledJob[] = [
  {
    name: 'group-moves-complete',
    period: 'hour',
    run: async (ctx: AppContext, shop, now) => void (await completeGroupMoves(ctx, shop, now)),
  },
];

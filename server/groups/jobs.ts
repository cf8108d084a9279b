import type { AppContext } from '../platform/context.js';
import type { ScheduledJob } from '../platform/jobs.js';
import { forgetLinkCodes } from './links.js';
import { completeGroupMoves } from './moves.js';

export const groupJobs: ScheduledJob[] = [
  {
    name: 'group-moves-complete',
    period: 'hour',
    run: async (ctx: AppContext, shop, now) => void (await completeGroupMoves(ctx, shop, now)),
  },
  { name: 'group-link-codes-forget', period: 'hour', run: (ctx: AppContext, shop, now) => forgetLinkCodes(ctx, shop, now) },
];

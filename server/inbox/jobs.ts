import type { AppContext } from '../platform/context.js';
import { forgetClaimsBefore } from './store.js';

const DAY_MS = 86_400_000;

/** Daily housekeeping of the inbox: the claims of finished work (deliveries move to the log in the worker). */
export const inboxJobs = [
  {
    name: 'forget-inbox-claims',
    period: 'day' as const,
    run: async (ctx: AppContext, shop: string, now: Date) => {
      await forgetClaimsBefore(ctx.connection, shop, new Date(now.getTime() - DAY_MS));
    },
  },
];

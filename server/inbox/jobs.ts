import type { AppContext } from '../platform/context.js';
import { forgetClaimsBefore, forgetSeenEventsBefore, SEEN_EVENT_RETENTION_MS } from './store.js';

const DAY_MS = 86_400_000;

/** Daily housekeeping of the inbox: event ids past the replay horizon, claims of finished work. */
export const inboxJobs = [
  {
    name: 'forget-seen-events',
    period: 'day' as const,
    run: async (ctx: AppContext, shop: string, now: Date) => {
      await forgetSeenEventsBefore(ctx.connection, shop, new Date(now.getTime() - SEEN_EVENT_RETENTION_MS));
      await forgetClaimsBefore(ctx.connection, shop, new Date(now.getTime() - DAY_MS));
    },
  },
];

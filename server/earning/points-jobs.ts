import type { AppContext } from '../platform/context.js';
import { expireBatches, expireInactive } from './expiry.js';
import { applyEntry, customerMovements, customersWithLedger, ledgerKeys, newestEntry, orderEntries } from '../ledger/index.js';
import type { ScheduledJob } from '../platform/jobs.js';
import { loadProgram } from '../program/index.js';
import { reconcileCashBack } from './cash-back.js';
import { recordReminder } from './reminders.js';
import { ordersDueForRelease } from './store.js';

/** Pending points whose return window has closed become available, once per order. */
export async function releasePendingPoints(ctx: AppContext, shop: string, now: Date): Promise<number> {
  const due = await ordersDueForRelease(ctx.connection, shop, now);
  let released = 0;
  for (const order of due) {
    const entries = await orderEntries(ctx.connection, shop, order.orderId);
    if (entries.some((entry) => entry.type === 'release')) continue;
    const pending = entries.reduce((sum, entry) => sum + entry.pending, 0);
    if (pending <= 0) continue;
    const result = await applyEntry(
      ctx.connection,
      {
        shop,
        customerId: order.customerId,
        key: ledgerKeys.pendingReleased(order.orderId),
        type: 'release',
        available: pending,
        pending: -pending,
        reason: 'return window closed',
        source: `order ${order.orderId}`,
        orderId: order.orderId,
        guard: 'none',
      },
      now,
    );
    if (result.appliedNow) released += pending;
  }
  return released;
}

/**
 * Expiry, by the program's mode. Batch: points expire N days after they were earned, oldest spent
 * first. Inactivity: a customer whose last ledger activity is older than the program's period
 * loses the available balance (key `expire:<customer>:<day>`, so a day's run is idempotent);
 * a reminder is recorded once per expiry date within the reminder window.
 */
export async function expireInactivePoints(ctx: AppContext, shop: string, now: Date): Promise<{ expired: number; reminded: number }> {
  const program = await loadProgram(ctx.connection, shop);
  const totals = { expired: 0, reminded: 0 };
  if (!program || program.expiry.mode === 'none') return totals;
  for (const customerId of await customersWithLedger(ctx.connection, shop)) {
    const newest = await newestEntry(ctx.connection, shop, customerId);
    if (!newest) continue;
    if (program.expiry.mode === 'batch') {
      // Each credit is a batch; spending and earlier expiry count against the oldest batches first.
      const entries = await customerMovements(ctx.connection, shop, customerId);
      const batches = entries
        .filter((entry) => entry.available > 0)
        .map((entry) => ({ key: entry.key, points: entry.available, earnedAt: entry.createdAt }));
      const used = entries.filter((entry) => entry.available < 0).reduce((sum, entry) => sum - entry.available, 0);
      const expiring = expireBatches(program, batches, used, newest.balance, now);
      if (expiring > 0) {
        const day = now.toISOString().slice(0, 10);
        const result = await applyEntry(
          ctx.connection,
          {
            shop,
            customerId,
            key: ledgerKeys.pointsExpired(customerId, day),
            type: 'expire',
            available: -expiring,
            pending: 0,
            reason: `points earned more than ${program.expiry.days} days ago`,
            source: 'expiry',
            guard: 'clamp',
          },
          now,
        );
        if (result.appliedNow) totals.expired += expiring;
      }
      continue;
    }
    const lastActivity = newest.type === 'expire' ? null : newest.createdAt;
    if (!lastActivity) continue;
    const decision = expireInactive(program, { available: newest.balance, lastActivityAt: lastActivity }, now);
    if (decision.action === 'remind') {
      if (await recordReminder(ctx.connection, { shop, customerId, expiresOn: decision.expiresOn, points: newest.balance, createdAt: now }))
        totals.reminded++;
    } else if (decision.action === 'expire') {
      const result = await applyEntry(
        ctx.connection,
        {
          shop,
          customerId,
          key: ledgerKeys.pointsExpired(customerId, decision.on),
          type: 'expire',
          available: -decision.points,
          pending: 0,
          reason: `no activity for ${program.expiry.days} days`,
          source: 'expiry',
          guard: 'clamp',
        },
        now,
      );
      if (result.appliedNow) totals.expired += decision.points;
    }
  }
  return totals;
}

/** Earning's periodic work: pending points released, points expired, cash back reconciled. */
export const earningJobs: ScheduledJob[] = [
  { name: 'release-pending', period: 'hour', run: async (ctx, shop, now) => void (await releasePendingPoints(ctx, shop, now)) },
  { name: 'expire-inactive', period: 'day', run: async (ctx, shop, now) => void (await expireInactivePoints(ctx, shop, now)) },
  // Cash back claims whose holder crashed are settled (found on Shopify, or credited once).
  { name: 'reconcile-cash-back', period: 'hour', run: async (ctx, shop, now) => void (await reconcileCashBack(ctx, shop, now)) },
];

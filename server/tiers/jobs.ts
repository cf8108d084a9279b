import type { AppContext } from '../platform/context.js';
import { loadProgram } from '../program/index.js';
import type { ScheduledJob } from '../platform/jobs.js';
import { backfillQualifyingHistory } from './backfill.js';
import { creditTierBirthdayBonuses } from './perks.js';
import { tierSettingsOf } from './rules.js';
import { evaluateCustomer } from './service.js';
import { readState, statesToRevisit, type TierState } from './store.js';
import { syncTierToShopify } from './shopify-sync.js';

export type TierSync = (ctx: AppContext, state: TierState, tierIds: string[]) => Promise<boolean>;

/**
 * The reconciling pass: customers whose standing ran out (a new year, a window rolling past an
 * order, a grace period ending) or was computed under another program version are re-evaluated,
 * and tiers Shopify does not have yet are written to the customer. Idempotent.
 */
export async function revisitTiers(
  ctx: AppContext,
  shop: string,
  now: Date,
  sync: TierSync = syncTierToShopify,
): Promise<{ evaluated: number; synced: number }> {
  const program = await loadProgram(ctx.connection, shop);
  const totals = { evaluated: 0, synced: 0 };
  if (!program) return totals;
  const tierIds = tierSettingsOf(program).tiers.map((tier) => tier.id);
  for (const found of await statesToRevisit(ctx.connection, shop, program.version, now)) {
    let state: TierState | null = found;
    const stale = found.programVersion !== program.version || (found.validUntil !== null && found.validUntil <= now);
    if (stale) {
      await evaluateCustomer(
        ctx,
        program,
        shop,
        found.customerId,
        now,
        found.programVersion !== program.version ? 'program changed' : 'period rolled over',
      );
      totals.evaluated++;
      state = await readState(ctx.connection, shop, found.customerId);
    }
    if (state?.needsSync && (await sync(ctx, state, tierIds))) totals.synced++;
  }
  return totals;
}

export const tierJobs: ScheduledJob[] = [
  { name: 'tiers-backfill', period: 'hour', run: async (ctx, shop, now) => void (await backfillQualifyingHistory(ctx, shop, now)) },
  { name: 'tiers-revisit', period: 'hour', run: async (ctx, shop, now) => void (await revisitTiers(ctx, shop, now)) },
  {
    name: 'tiers-birthday-bonus',
    period: 'day',
    run: async (ctx, shop, now) => {
      const program = await loadProgram(ctx.connection, shop);
      if (program) await creditTierBirthdayBonuses(ctx, program, shop, now);
    },
  },
];

import { applyEntry, type ApplyResult, type LedgerEntry } from '../ledger/index.js';
import type { AppContext } from '../platform/context.js';

/**
 * Credits points for something the shopper did, under its exactly-once key (a bonus: it counts as
 * earned). `newest`: the customer's newest entry when the caller has it (no read on the first attempt).
 */
export async function creditBonus(
  ctx: AppContext,
  credit: { shop: string; customerId: string; key: string; points: number; reason: string; source: string },
  now: Date,
  newest?: LedgerEntry | null,
): Promise<ApplyResult> {
  return applyEntry(
    ctx.connection,
    {
      shop: credit.shop,
      customerId: credit.customerId,
      key: credit.key,
      type: 'bonus',
      available: credit.points,
      pending: 0,
      reason: credit.reason,
      source: credit.source,
      guard: 'none',
    },
    now,
    newest,
  );
}

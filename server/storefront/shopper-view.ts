import { sharedAvailable } from '../groups/index.js';
import type { AppContext } from '../platform/context.js';
import { describeEntry, publicProgram, type EntryDescription, type PublicProgram } from './view.js';
import { latestEntries, newestEntry, type LedgerEntry } from '../ledger/index.js';
import { loadProgram } from '../program/index.js';
import { findHoldOutcome, issuedRedemptionsOf, redemptionView } from '../redemption/index.js';
import { shopperTierView, type ShopperTierView } from '../tiers/index.js';

const HISTORY_LENGTH = 5;

export interface ShopperView extends ShopperTierView {
  customerId: string | null;
  /** `shops` is how many shops of a program group the balance spans (1 outside a group). */
  points: { balance: number; pending: number; lifetimeEarned: number; shops: number } | null;
  program: PublicProgram;
  /** Issued codes the customer has not used yet, newest first. */
  codes: Array<ReturnType<typeof redemptionView>>;
  /** `reason` is the ledger's English note; `description` is what the storefront words in the shopper's language. */
  history: Array<{ type: string; points: number; pending: number; reason: string; description: EntryDescription; createdAt: Date }>;
}

/**
 * What a shopper sees on the storefront, at checkout and in their account: the public program,
 * and for a logged-in customer the balance, unused codes and recent history. The newest ledger
 * entries are read by _id (seq N, N-1, …), the one lookup every engine serves without a scan.
 */
export async function shopperView(ctx: AppContext, shop: string, customerId: string | null, now: Date): Promise<ShopperView | null> {
  const program = await loadProgram(ctx.connection, shop);
  if (!program) return null;
  const view: ShopperView = {
    customerId,
    points: null,
    program: publicProgram(program, now),
    codes: [],
    history: [],
    ...(await shopperTierView(ctx, program, shop, customerId, now)),
  };
  if (customerId === null) return view;
  const [newest, unused] = await Promise.all([
    newestEntry(ctx.connection, shop, customerId),
    issuedRedemptionsOf(ctx.connection, shop, customerId, 20),
  ]);
  const recent = newest ? await latestEntries(ctx.connection, shop, customerId, newest.seq, HISTORY_LENGTH) : [];
  // In a program group the balance is the customer's one account: what they hold in every shop where they linked it.
  const shared = await sharedAvailable(ctx, shop, customerId, newest?.balance ?? 0);
  view.points = { balance: shared.available, pending: newest?.pendingBalance ?? 0, lifetimeEarned: newest?.lifetimeEarned ?? 0, shops: shared.shops };
  view.codes = unused.filter((redemption) => redemption.expiresAt > now).map(redemptionView);
  const used = await holdsUsed(ctx, shop, recent);
  view.history = recent.map((entry) => ({
    type: entry.type,
    points: entry.available,
    pending: entry.pending,
    reason: entry.reason,
    description: used.get(entry.source) ?? describeEntry(entry),
    createdAt: entry.createdAt,
  }));
  return view;
}

/**
 * Once an order is paid with a checkout hold, the hold's entry is that order's spending: it reads
 * "Used on order #1005", no longer "Held for checkout". The order's name comes from the order's own
 * entries among the same recent ones, when they are there. Keyed by the entries' `source`.
 */
async function holdsUsed(ctx: AppContext, shop: string, recent: LedgerEntry[]): Promise<Map<string, EntryDescription>> {
  const holds = recent.filter((entry) => entry.type === 'hold' && entry.source.startsWith('hold '));
  const used = new Map<string, EntryDescription>();
  if (holds.length === 0) return used;
  const names = new Map(recent.filter((entry) => entry.orderId && entry.orderName).map((entry) => [entry.orderId!, entry.orderName!]));
  await Promise.all(
    holds.map(async (entry) => {
      const outcome = await findHoldOutcome(ctx.connection, shop, entry.source.slice('hold '.length));
      if (outcome?.outcome === 'settled')
        used.set(entry.source, { kind: 'hold_used', order: (outcome.orderId && names.get(outcome.orderId)) ?? null });
    }),
  );
  return used;
}

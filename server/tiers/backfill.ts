import type { AppContext } from '../platform/context.js';
import { creditedOrdersBetween } from '../earning/index.js';
import { customerEntriesOfTypes, ledgerKeys } from '../ledger/index.js';
import { loadProgram } from '../program/index.js';
import { historyFromRecords } from './history.js';
import { hasTiersOrMembership, tierSettingsOf } from './rules.js';
import { evaluateCustomer } from './service.js';
import { backfillDone, recordBackfill, recordEventOnce } from './store.js';

/** More entries of one customer than any order history needs; the ledger read is newest first. */
const ENTRIES_PER_CUSTOMER = 100_000;

/**
 * Qualifying events are recorded only while a program has tiers or a membership, so a merchant
 * who switches them on (or changes them) would see every customer at the bottom. Once per
 * program version with tiers, this rebuilds each customer's history from earning's order records
 * and the order's ledger entries, inserts what is missing under the live path's keys (an event
 * recorded both ways counts once) and re-evaluates the customers it added to. A background job:
 * the order path is not touched. Idempotent; an interrupted run is done again by the next one.
 */
export async function backfillQualifyingHistory(ctx: AppContext, shop: string, now: Date): Promise<{ events: number; customers: number } | null> {
  const program = await loadProgram(ctx.connection, shop);
  if (!program || !hasTiersOrMembership(tierSettingsOf(program))) return null;
  if (await backfillDone(ctx.connection, shop, program.version)) return null;
  const byCustomer = new Map<string, Awaited<ReturnType<typeof creditedOrdersBetween>>>();
  for (const order of await creditedOrdersBetween(ctx.connection, shop, new Date(0), new Date(now.getTime() + 1))) {
    const orders = byCustomer.get(order.customerId) ?? [];
    orders.push(order);
    byCustomer.set(order.customerId, orders);
  }
  const totals = { events: 0, customers: 0 };
  for (const [customerId, orders] of byCustomer) {
    const entries = await customerEntriesOfTypes(ctx.connection, shop, customerId, ['earn', 'reverse'], ENTRIES_PER_CUSTOMER);
    const history = historyFromRecords(orders, entries, (key, orderId) => key === ledgerKeys.orderCancelled(orderId));
    let added = 0;
    for (const event of history.filter((candidate) => candidate.at.getTime() <= now.getTime()))
      if (await recordEventOnce(ctx.connection, { ...event, shop, customerId, recordedAt: now })) added++;
    if (added === 0) continue;
    totals.events += added;
    totals.customers++;
    await evaluateCustomer(ctx, program, shop, customerId, now, 'history before tiers');
  }
  await recordBackfill(ctx.connection, { shop, programVersion: program.version, ...totals, finishedAt: now });
  return totals;
}

import { randomUUID } from 'node:crypto';
import type { AppContext } from '../platform/context.js';
import { acquireLease, insertOnce, releaseLease, renewLease, type Lease } from '../platform/atomic.js';
import type { AdminGraphql } from '../shopify/admin-graphql.js';
import { ShopifyApiError } from '../shopify/admin-graphql.js';
import { BULK_OPERATION, BULK_OPERATION_RUN_QUERY, type BulkOperationData, type BulkOperationRunQueryData } from '../shopify/operations.js';
import { recordOrderOnce, type OrderPoints } from '../earning/index.js';
import { applyEntry, ledgerKeys } from '../ledger/index.js';
import { loadProgram, type Program } from '../program/index.js';
import { adminClientFor } from '../shops/index.js';
import { recordQualifyingOrder } from '../tiers/index.js';
import { backfillOrdersQuery, backfillPoints, backfillSkipReason, readOrdersJsonl, type BackfillOrder } from './backfill.js';
import {
  backfillChunkModel,
  backfillChunksOf,
  backfillJobModel,
  backfillOperationModel,
  backfillOperationOf,
  backfillOutcomeModel,
  backfillOutcomesOf,
  type BackfillJob,
} from './backfill-store.js';
import { importLeaseModel } from './store.js';

export interface BackfillOptions {
  admin?: AdminGraphql;
  /** Time between two looks at a running bulk operation. */
  pollMs?: number;
  ordersPerChunk?: number;
}

const LEASE_MS = 2 * 60_000;
const POLL_MS = 5_000;
export const ORDERS_PER_CHUNK = 250;
const QUEUE_LIMIT = 20;

/** Stops the run until the next attempt (a bulk operation slot is busy, Shopify is unreachable). */
class BackfillWaits extends Error {
  override readonly name = 'BackfillWaits';
}

const running = new WeakMap<AppContext, Set<Promise<void>>>();

export function startShopBackfills(ctx: AppContext, shop: string, options: BackfillOptions = {}): void {
  let set = running.get(ctx);
  if (!set) running.set(ctx, (set = new Set()));
  const run = runShopBackfills(ctx, shop, options).catch((error: unknown) =>
    ctx.logger.warn({ err: error, shop }, 'backfill run stopped; it resumes on the next run'),
  );
  set.add(run);
  void run.finally(() => set.delete(run));
}

export async function drainBackfills(ctx: AppContext): Promise<void> {
  const set = running.get(ctx);
  while (set && set.size > 0) await Promise.all([...set]);
}

async function unfinishedBackfills(ctx: AppContext, shop: string): Promise<BackfillJob[]> {
  const recent = await backfillJobModel(ctx.connection).find({ shop }).sort({ createdAt: -1 }).limit(QUEUE_LIMIT).lean<BackfillJob[]>();
  const finished = new Set(
    (
      await backfillOutcomesOf(
        ctx.connection,
        shop,
        recent.map((job) => job._id),
      )
    ).map((outcome) => outcome.backfillId),
  );
  return recent.filter((job) => !finished.has(job._id)).reverse();
}

/**
 * Runs a shop's unfinished backfills oldest first under one lease per shop (the `backfill` key of the
 * import leases), so two processes never credit the same file at once. Every order is credited under
 * the key the live orders/paid path uses, so nothing is credited twice whatever ran before or after.
 */
export async function runShopBackfills(ctx: AppContext, shop: string, options: BackfillOptions = {}): Promise<void> {
  const leases = importLeaseModel(ctx.connection);
  const acquired = await acquireLease(leases, { shop, key: 'backfill', owner: randomUUID(), now: ctx.clock(), ttlMs: LEASE_MS });
  if (!acquired) return;
  const held: { lease: Lease | null } = { lease: acquired };
  try {
    for (const job of await unfinishedBackfills(ctx, shop)) {
      if (!held.lease) return;
      await runBackfill(ctx, job, held, options);
    }
  } catch (error) {
    if (!(error instanceof BackfillWaits)) throw error;
    ctx.logger.info({ shop, reason: error.message }, 'backfill waits');
  } finally {
    if (held.lease) await releaseLease(leases, held.lease);
  }
}

async function finish(ctx: AppContext, job: BackfillJob, status: 'done' | 'failed', message: string | null): Promise<void> {
  await insertOnce(backfillOutcomeModel(ctx.connection), { _id: job._id, shop: job.shop, backfillId: job._id, status, message, at: ctx.clock() });
}

async function renew(ctx: AppContext, held: { lease: Lease | null }): Promise<boolean> {
  if (!held.lease) return false;
  held.lease = await renewLease(importLeaseModel(ctx.connection), held.lease, ctx.clock(), LEASE_MS);
  return held.lease !== null;
}

/** The bulk operation of this backfill: the one recorded, or a new one. Null after failing the backfill. */
async function operationFor(ctx: AppContext, job: BackfillJob, admin: AdminGraphql): Promise<string | null> {
  const recorded = await backfillOperationOf(ctx.connection, job.shop, job._id);
  if (recorded) return recorded.operationId;
  const data = await admin<BulkOperationRunQueryData>(job.shop, BULK_OPERATION_RUN_QUERY, { query: backfillOrdersQuery(job.since) }, 10);
  const { bulkOperation, userErrors } = data.bulkOperationRunQuery;
  if (!bulkOperation) {
    const busy = userErrors.some((error) => error.code === 'OPERATION_IN_PROGRESS' || error.code === 'LIMIT_REACHED');
    const words = userErrors.map((error) => error.message).join('; ') || 'no operation returned';
    if (busy) throw new BackfillWaits(`Shopify runs other bulk operations for this shop: ${words}`);
    await finish(ctx, job, 'failed', `Shopify refused the bulk query: ${words}`);
    return null;
  }
  const record = { _id: job._id, shop: job.shop, backfillId: job._id, operationId: bulkOperation.id, startedAt: ctx.clock() };
  if (await insertOnce(backfillOperationModel(ctx.connection), record)) return bulkOperation.id;
  return (await backfillOperationOf(ctx.connection, job.shop, job._id))?.operationId ?? bulkOperation.id;
}

const FINISHED_BADLY = new Set(['FAILED', 'CANCELED', 'CANCELING', 'EXPIRED']);

/** Polls the operation until it completes; its result URL (null for an empty result), or undefined after failing the backfill. */
async function resultUrl(
  ctx: AppContext,
  job: BackfillJob,
  operationId: string,
  admin: AdminGraphql,
  held: { lease: Lease | null },
  pollMs: number,
): Promise<string | null | undefined> {
  for (;;) {
    const { bulkOperation } = await admin<BulkOperationData>(job.shop, BULK_OPERATION, { id: operationId }, 1);
    if (!bulkOperation) {
      await finish(ctx, job, 'failed', `Shopify no longer knows the bulk operation ${operationId}`);
      return undefined;
    }
    if (bulkOperation.status === 'COMPLETED') return bulkOperation.url;
    if (FINISHED_BADLY.has(bulkOperation.status)) {
      await finish(
        ctx,
        job,
        'failed',
        `The bulk operation ended ${bulkOperation.status}${bulkOperation.errorCode ? ` (${bulkOperation.errorCode})` : ''}`,
      );
      return undefined;
    }
    if (!(await renew(ctx, held))) throw new BackfillWaits('lease lost while polling');
    await new Promise((resolve) => setTimeout(resolve, pollMs));
  }
}

async function download(url: string): Promise<string> {
  let response: Response;
  try {
    response = await fetch(url, { signal: AbortSignal.timeout(120_000) });
  } catch (error) {
    throw new BackfillWaits(`the bulk result could not be downloaded: ${(error as Error).message}`);
  }
  if (!response.ok) throw new BackfillWaits(`the bulk result download answered ${response.status}`);
  return response.text();
}

type Credit = 'credited' | 'already' | 'skipped';

/** Credits one order once: its record (as orders/paid writes it) first, then the entry under `earn:order:<id>`. */
async function creditOrder(
  ctx: AppContext,
  job: BackfillJob,
  program: Program | null,
  order: BackfillOrder,
  now: Date,
): Promise<{ result: Credit; points: number }> {
  if (backfillSkipReason(order, program?.earning.testOrders ?? false) !== null || order.customerId === null) return { result: 'skipped', points: 0 };
  const { eligible, points } = backfillPoints(order, { kind: job.rateSource, pointsPerCurrencyUnit: job.pointsPerCurrencyUnit });
  const record: OrderPoints = {
    _id: `${job.shop}|${order.orderId}`,
    shop: job.shop,
    orderId: order.orderId,
    customerId: order.customerId,
    eligible,
    paidTotal: eligible,
    taxesIncluded: order.includedTax > 0,
    earned: points,
    cashBack: 0,
    currency: order.currency,
    notes: [`backfill ${job._id}`],
    pendingUntil: null,
    creditedAt: order.createdAt,
  };
  const { record: stored } = await recordOrderOnce(ctx.connection, record);
  if (stored.earned <= 0) return { result: stored === record ? 'credited' : 'already', points: 0 };
  const applied = await applyEntry(
    ctx.connection,
    {
      shop: job.shop,
      customerId: stored.customerId,
      key: ledgerKeys.orderEarned(stored.orderId),
      type: 'earn',
      available: stored.earned,
      pending: 0,
      reason: `order ${order.name} (${order.createdAt.toISOString().slice(0, 10)}), credited by a backfill`,
      source: `order ${stored.orderId}`,
      orderId: stored.orderId,
      staffId: job.staffId,
      guard: 'none',
    },
    now,
  );
  if (!applied.appliedNow) return { result: 'already', points: 0 };
  await recordQualifyingOrder(ctx, {
    shop: job.shop,
    customerId: stored.customerId,
    orderId: stored.orderId,
    points: stored.earned,
    spend: stored.eligible,
    lineVariantIds: [],
    paidAt: order.createdAt,
    ...(program ? { program } : {}),
  });
  return { result: 'credited', points: stored.earned };
}

async function runBackfill(ctx: AppContext, job: BackfillJob, held: { lease: Lease | null }, options: BackfillOptions): Promise<void> {
  const admin = options.admin ?? adminClientFor(ctx);
  let url: string | null | undefined;
  try {
    const operationId = await operationFor(ctx, job, admin);
    if (operationId === null) return;
    url = await resultUrl(ctx, job, operationId, admin, held, options.pollMs ?? POLL_MS);
  } catch (error) {
    if (error instanceof ShopifyApiError && !error.retryable) {
      await finish(ctx, job, 'failed', `Shopify refused the bulk operation: ${error.message}`);
      return;
    }
    if (error instanceof ShopifyApiError) throw new BackfillWaits(error.message);
    throw error;
  }
  if (url === undefined) return;
  const orders = url === null ? [] : readOrdersJsonl(await download(url));
  const size = options.ordersPerChunk ?? ORDERS_PER_CHUNK;
  const done = new Set((await backfillChunksOf(ctx.connection, job.shop, job._id)).map((chunk) => chunk.chunk));
  const program = await loadProgram(ctx.connection, job.shop);
  for (let index = 0; index * size < orders.length; index++) {
    if (done.has(index)) continue;
    const counts = { credited: 0, already: 0, skipped: 0, points: 0 };
    const now = ctx.clock();
    for (const order of orders.slice(index * size, (index + 1) * size)) {
      const { result, points } = await creditOrder(ctx, job, program, order, now);
      counts[result === 'already' ? 'already' : result]++;
      counts.points += points;
    }
    await insertOnce(backfillChunkModel(ctx.connection), {
      _id: `${job._id}|${index}`,
      shop: job.shop,
      backfillId: job._id,
      chunk: index,
      orders: Math.min(size, orders.length - index * size),
      credited: counts.credited,
      alreadyCredited: counts.already,
      skipped: counts.skipped,
      points: counts.points,
      fileOrders: orders.length,
      createdAt: ctx.clock(),
    });
    if (!(await renew(ctx, held))) return;
  }
  await finish(ctx, job, 'done', orders.length === 0 ? 'No orders since that date' : null);
}

import { createHash, randomUUID } from 'node:crypto';
import type { AppContext } from '../platform/context.js';
import { acquireLease, insertOnce, releaseLease, renewLease, type Lease } from '../platform/atomic.js';
import { ShopifyApiError } from '../shopify/admin-graphql.js';
import { profilesWithEmails } from '../customers/index.js';
import { applyEntry, balanceOf, customerEntriesOfTypes, ledgerKeys } from '../ledger/index.js';
import { loadProgram, type Program } from '../program/index.js';
import { adminClientFor } from '../shops/index.js';
import { recordQualifyingAdjustment } from '../tiers/index.js';
import type { BackfillOptions } from './backfill-runner.js';
import { parseCsv } from './csv.js';
import { FORMAT_NAMES, readImportFile, type RowError } from './formats.js';
import { chunkUnits, groupByCustomer, planCustomer, type CustomerUnit } from './plan.js';
import { shopifyEmailLookup, type EmailLookup } from './shopify-customers.js';
import {
  chunksOf,
  importChunkModel,
  importedStandingModel,
  importJobModel,
  importLeaseModel,
  importOutcomeModel,
  outcomesOf,
  type ImportChange,
  type ImportJob,
} from './store.js';

export interface ImportOptions {
  /** Shopify customers by email; Admin GraphQL by default. */
  lookupEmails?: EmailLookup;
  rowsPerChunk?: number;
  backfill?: BackfillOptions;
}

/** Rows per chunk: the unit of progress and of resuming after a crash. */
export const ROWS_PER_CHUNK = 200;
const LEASE_MS = 2 * 60_000;
/** Imports of a shop that may wait at once; older unfinished ones are picked up first. */
const QUEUE_LIMIT = 50;

/** The file as chunks of customers: the same file always splits the same way, so a chunk number names the same customers. */
export function chunkedFile(job: Pick<ImportJob, 'format' | 'csv'>, rowsPerChunk: number) {
  const parsed = readImportFile(job.format, parseCsv(job.csv));
  const grouped = groupByCustomer(parsed.rows);
  return { parsed, units: grouped.units, groupErrors: grouped.errors, chunks: chunkUnits(grouped.units, rowsPerChunk) };
}

const running = new WeakMap<AppContext, Set<Promise<void>>>();
/** Processes shutting down: their runs stop after the chunk they are writing, and none starts. */
const stopping = new WeakSet<AppContext>();

/** Starts working through the shop's unfinished imports in the background (a no-op while another process holds them). */
export function startShopImports(ctx: AppContext, shop: string, options: ImportOptions = {}): void {
  if (stopping.has(ctx)) return;
  let set = running.get(ctx);
  if (!set) running.set(ctx, (set = new Set()));
  const run = runShopImports(ctx, shop, options).catch((error: unknown) =>
    ctx.logger.error({ err: error, shop }, 'import run stopped; it resumes on the next run'),
  );
  set.add(run);
  void run.finally(() => set.delete(run));
}

/** Resolves when the imports this process started have stopped (tests, shutdown). */
export async function drainImports(ctx: AppContext): Promise<void> {
  const set = running.get(ctx);
  while (set && set.size > 0) await Promise.all([...set]);
}

/**
 * Shutdown: each run stops after the chunk it is writing (at most ROWS_PER_CHUNK rows) and gives
 * up its lease, so an import of any size never holds the process; the next run, in this process's
 * successor or another one, resumes at the first chunk not recorded.
 */
export async function stopImports(ctx: AppContext): Promise<void> {
  stopping.add(ctx);
  await drainImports(ctx);
}

/**
 * The merchant stops an import: its outcome `cancelled` is a unique insert, so it wins or loses
 * against the run's own `done` once. The run sees it before its next chunk; rows imported before
 * keep their points (importing the file again continues where it stopped). False when it had already ended.
 */
export async function cancelImport(ctx: AppContext, job: Pick<ImportJob, '_id' | 'shop'>, staffId: string): Promise<boolean> {
  return insertOnce(importOutcomeModel(ctx.connection), {
    _id: job._id,
    shop: job.shop,
    importId: job._id,
    status: 'cancelled',
    message: `Cancelled by staff member ${staffId}: rows imported before stay imported`,
    at: ctx.clock(),
  });
}

/** Whether the run should stop before its next chunk: the process is shutting down, or the import was cancelled. */
async function shouldStop(ctx: AppContext, job: ImportJob): Promise<boolean> {
  return stopping.has(ctx) || (await importOutcomeModel(ctx.connection).exists({ _id: job._id })) !== null;
}

async function unfinishedImports(ctx: AppContext, shop: string): Promise<ImportJob[]> {
  const recent = await importJobModel(ctx.connection)
    .find({ shop }, { _id: 1 })
    .sort({ createdAt: -1 })
    .limit(QUEUE_LIMIT)
    .lean<Array<{ _id: string }>>();
  const finished = new Set(
    (
      await outcomesOf(
        ctx.connection,
        shop,
        recent.map((job) => job._id),
      )
    ).map((outcome) => outcome.importId),
  );
  const waiting = recent.filter((job) => !finished.has(job._id)).map((job) => job._id);
  if (waiting.length === 0) return [];
  return importJobModel(ctx.connection)
    .find({ shop, _id: { $in: waiting } })
    .sort({ createdAt: 1 })
    .lean<ImportJob[]>();
}

/**
 * Works through a shop's unfinished imports, oldest first, under one lease per shop, so two
 * imports never move the same customer at once and several app processes never run one twice.
 * Each chunk is recorded with a unique insert once its entries are written; after a crash the run
 * starts again at the first chunk not recorded, and the ledger keys make the redone rows no-ops.
 */
export async function runShopImports(ctx: AppContext, shop: string, options: ImportOptions = {}): Promise<void> {
  const leases = importLeaseModel(ctx.connection);
  for (let round = 0; round < 3; round++) {
    const acquired = await acquireLease(leases, { shop, key: 'imports', owner: randomUUID(), now: ctx.clock(), ttlMs: LEASE_MS });
    if (!acquired) return;
    // The run renews its lease chunk by chunk: whatever stops it gives up the lease it holds now.
    const held: { lease: Lease | null } = { lease: acquired };
    try {
      for (
        let job = (await unfinishedImports(ctx, shop))[0];
        job && held.lease && !stopping.has(ctx);
        job = (await unfinishedImports(ctx, shop))[0]
      ) {
        await runImport(ctx, job, held, options);
      }
    } finally {
      if (held.lease) await releaseLease(leases, held.lease);
    }
    // An import posted while the lease was being given up found it held: look once more.
    if (stopping.has(ctx) || (await unfinishedImports(ctx, shop)).length === 0) return;
  }
}

async function finish(ctx: AppContext, job: ImportJob, status: 'done' | 'failed', message: string | null): Promise<void> {
  await insertOnce(importOutcomeModel(ctx.connection), { _id: job._id, shop: job.shop, importId: job._id, status, message, at: ctx.clock() });
}

async function runImport(ctx: AppContext, job: ImportJob, held: { lease: Lease | null }, options: ImportOptions): Promise<void> {
  if (job.fileError) {
    await finish(ctx, job, 'failed', job.fileError);
    return;
  }
  const file = chunkedFile(job, job.rowsPerChunk ?? options.rowsPerChunk ?? ROWS_PER_CHUNK);
  const done = new Set((await chunksOf(ctx.connection, job.shop, job._id)).map((chunk) => chunk.chunk));
  const program = await loadProgram(ctx.connection, job.shop);
  const lookup = options.lookupEmails ?? shopifyEmailLookup(adminClientFor(ctx));
  for (const [index, chunk] of file.chunks.entries()) {
    if (done.has(index)) continue;
    if (await shouldStop(ctx, job)) return;
    try {
      const result = await importUnits(ctx, job, file.units.slice(chunk.first, chunk.end), program, lookup);
      await insertOnce(importChunkModel(ctx.connection), {
        _id: `${job._id}|${index}`,
        shop: job.shop,
        importId: job._id,
        chunk: index,
        rows: chunk.rows,
        rowErrors: result.errors,
        changes: result.changes,
        createdAt: ctx.clock(),
      });
    } catch (error) {
      if (error instanceof ShopifyApiError && !error.retryable) {
        await finish(ctx, job, 'failed', `Shopify refused the customer lookup: ${error.message}`);
        return;
      }
      throw error;
    }
    if (!held.lease) return;
    held.lease = await renewLease(importLeaseModel(ctx.connection), held.lease, ctx.clock(), LEASE_MS);
    if (!held.lease) return;
  }
  await finish(ctx, job, 'done', null);
}

/** Customer ids for the units that name a customer by email: the app's profiles first, then Shopify. */
async function resolveCustomers(ctx: AppContext, shop: string, units: CustomerUnit[], lookup: EmailLookup): Promise<Map<string, string>> {
  const emails = [...new Set(units.filter((unit) => !unit.customerId && unit.email).map((unit) => unit.email!))];
  const found = new Map<string, string>();
  if (emails.length === 0) return found;
  const profiles = await profilesWithEmails(ctx.connection, shop, emails);
  for (const profile of profiles) if (!found.has(profile.email.toLowerCase())) found.set(profile.email.toLowerCase(), profile.customerId);
  const unknown = emails.filter((email) => !found.has(email));
  if (unknown.length > 0) for (const [email, id] of await lookup(shop, unknown)) found.set(email, id);
  return found;
}

function programTier(program: Program | null, name: string): Program['tiers'][number] | undefined {
  const wanted = name.trim().toLowerCase();
  return program?.tiers.find((tier) => tier.id.toLowerCase() === wanted || tier.name.trim().toLowerCase() === wanted);
}

async function importUnits(
  ctx: AppContext,
  job: ImportJob,
  units: CustomerUnit[],
  program: Program | null,
  lookup: EmailLookup,
): Promise<{ errors: RowError[]; changes: ImportChange[] }> {
  const ids = await resolveCustomers(ctx, job.shop, units, lookup);
  const errors: RowError[] = [];
  const changes: ImportChange[] = [];
  const now = ctx.clock();
  for (const unit of units) {
    const customerId = unit.customerId ?? ids.get(unit.email!);
    if (!customerId) {
      for (const row of unit.rows)
        errors.push({
          row,
          column: 'email',
          message: `no customer with the email ${unit.email} in this shop: create the customer in Shopify or correct the address`,
        });
      continue;
    }
    const prefix = ledgerKeys.importedPrefix(customerId);
    const earlier = (await customerEntriesOfTypes(ctx.connection, job.shop, customerId, ['adjust'], 100_000)).filter((entry) =>
      entry.key.startsWith(prefix),
    );
    const before = (await balanceOf(ctx.connection, job.shop, customerId)).available;
    const plan = planCustomer(job.format, FORMAT_NAMES[job.format], unit, customerId, {
      importedSoFar: earlier.reduce((sum, entry) => sum + entry.available, 0),
      balanceSteps: earlier.filter((entry) => entry.key.startsWith(`${prefix}balance:`)).length,
      existingKeys: new Set(earlier.map((entry) => entry.key)),
      balanceNow: before,
      balances: job.balances ?? 'add',
    });
    let moved = 0;
    for (const entry of plan.entries) {
      if (job.dryRun) {
        moved += entry.points;
        continue;
      }
      const applied = await applyEntry(
        ctx.connection,
        {
          shop: job.shop,
          customerId,
          key: entry.key,
          type: 'adjust',
          available: entry.points,
          pending: 0,
          reason: entry.reason,
          source: 'import',
          staffId: job.staffId,
          guard: 'none',
        },
        now,
      );
      if (applied.appliedNow) moved += applied.entry?.available ?? 0;
    }

    const balanceRow = unit.balanceRow;
    const tierName = balanceRow?.tier ?? unit.history.find((row) => row.tier)?.tier;
    const tier = tierName ? programTier(program, tierName) : undefined;
    if (tierName && !tier) {
      const known = program?.tiers.map((candidate) => candidate.name).join(', ') || 'none yet';
      errors.push({
        row: balanceRow?.row ?? unit.rows[0]!,
        column: 'tier',
        message: `"${tierName}" is not a tier of this program (tiers: ${known}); the points were imported, the tier was not`,
      });
    }
    if (!job.dryRun) await recordStanding(ctx, job, customerId, balanceRow?.lifetime ?? null, tierName ?? null, tier, program, now);
    changes.push({
      row: unit.rows[0]!,
      customerId,
      email: unit.email ?? null,
      balanceBefore: before,
      points: moved,
      balanceAfter: before + moved,
      tier: tier?.name ?? null,
    });
  }
  return { errors, changes };
}

/**
 * Keeps the lifetime points and tier the customer had in the other app, and carries a tier the
 * program knows over as a qualifying adjustment worth that tier's threshold in the program's
 * metric (once per customer and tier), so the customer keeps the tier they had earned.
 */
async function recordStanding(
  ctx: AppContext,
  job: ImportJob,
  customerId: string,
  lifetime: number | null,
  tierName: string | null,
  tier: Program['tiers'][number] | undefined,
  program: Program | null,
  now: Date,
): Promise<void> {
  if (lifetime === null && tierName === null) return;
  const key = `${customerId}:${createHash('sha256')
    .update(JSON.stringify([job.format, lifetime, tierName]))
    .digest('hex')
    .slice(0, 24)}`;
  await insertOnce(importedStandingModel(ctx.connection), {
    shop: job.shop,
    customerId,
    key,
    source: job.format,
    lifetime,
    tier: tierName,
    importId: job._id,
    at: now,
  });
  if (!tier || !program || tier.threshold === 0) return;
  const metric = program.tierRules.metric;
  await recordQualifyingAdjustment(ctx, {
    shop: job.shop,
    customerId,
    adjustmentKey: `${ledgerKeys.importedPrefix(customerId)}tier:${tier.id}`,
    points: metric === 'points' ? tier.threshold : 0,
    spend: metric === 'spend' ? tier.threshold : 0,
    orders: metric === 'orders' ? tier.threshold : 0,
    at: now,
    program,
  });
}

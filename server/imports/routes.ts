import { createHash, randomUUID } from 'node:crypto';
import { Router } from 'express';
import { z } from 'zod';
import type { AppContext } from '../platform/context.js';
import { apiLocals } from '../platform/api-locals.js';
import { fieldErrors } from '../platform/field-errors.js';
import { backfillRouter } from './backfill-routes.js';
import { IMPORT_FORMATS, type RowError } from './formats.js';
import { cancelImport, chunkedFile, ROWS_PER_CHUNK, startShopImports, type ImportOptions } from './runner.js';
import { BALANCE_MODES, chunksOf, importJobModel, importSummary, outcomeOf, outcomesOf, recentImports, type ImportJob } from './store.js';
import { jsonBody } from '../platform/http-app.js';

/** 5 MB of CSV is about 100,000 customer rows; larger files are split by the merchant. */
const MAX_CSV_BYTES = 5 * 1024 * 1024;
const ERRORS_SHOWN = 1000;
const CHANGES_SHOWN = 500;

const importBody = z.object({
  format: z.enum(IMPORT_FORMATS, { message: `must be one of ${IMPORT_FORMATS.join(', ')}` }),
  csv: z
    .string()
    .min(1, 'is required')
    .refine((csv) => Buffer.byteLength(csv) <= MAX_CSV_BYTES, 'is larger than 5 MB: split the file'),
  dryRun: z.boolean().optional(),
  balances: z.enum(BALANCE_MODES, { message: 'must be set (replace each balance) or add (add to it)' }).optional(),
});

/** POST /api/imports and GET /api/imports[/:id]: uploads, progress, dry-run previews, per-row errors. */
export function importsRouter(ctx: AppContext, options: ImportOptions = {}): Router {
  const router = Router();
  router.use(backfillRouter(ctx, options.backfill));

  router.post('/imports', jsonBody('6mb'), async (req, res) => {
    const { shop, staffId } = apiLocals(res);
    const body = importBody.safeParse(req.body);
    if (!body.success) {
      res.status(422).json({ error: 'invalid_import', message: 'The import request is invalid', errors: fieldErrors(body.error) });
      return;
    }
    const { format, csv, dryRun = false, balances = 'set' } = body.data;
    const rowsPerChunk = options.rowsPerChunk ?? ROWS_PER_CHUNK;
    const file = chunkedFile({ format, csv }, rowsPerChunk);
    const total = Math.max(0, file.parsed.rows.length + new Set(file.parsed.errors.map((error) => error.row)).size);
    const inUnits = file.units.reduce((sum, unit) => sum + unit.rows.length, 0);
    const job: ImportJob = {
      _id: randomUUID().replace(/-/g, ''),
      shop,
      format,
      dryRun,
      balances,
      csv,
      fileHash: createHash('sha256').update(csv).digest('hex'),
      total,
      unreadRows: total - inUnits,
      chunks: file.chunks.length,
      rowsPerChunk,
      readErrors: [...file.parsed.errors, ...file.groupErrors].slice(0, ERRORS_SHOWN),
      fileError: file.parsed.fileError ?? null,
      staffId,
      createdAt: ctx.clock(),
    };
    await importJobModel(ctx.connection).create(job);
    startShopImports(ctx, shop, options);
    res.status(202).json({ id: job._id });
  });

  router.get('/imports', async (_req, res) => {
    const { shop } = apiLocals(res);
    const jobs = await recentImports(ctx.connection, shop, 20);
    const outcomes = new Map(
      (
        await outcomesOf(
          ctx.connection,
          shop,
          jobs.map((job) => job._id),
        )
      ).map((outcome) => [outcome.importId, outcome]),
    );
    res.json({
      imports: jobs.map((job) => ({
        id: job._id,
        format: job.format,
        dryRun: job.dryRun,
        total: job.total,
        status: outcomes.get(job._id)?.status ?? 'running',
        createdAt: job.createdAt,
      })),
    });
  });

  router.post('/imports/:id/cancel', async (req, res) => {
    const { shop, staffId } = apiLocals(res);
    const job = await importSummary(ctx.connection, shop, String(req.params.id));
    if (!job) {
      res.status(404).json({ error: 'unknown_import', message: 'No such import in this shop' });
      return;
    }
    if (!(await cancelImport(ctx, job, staffId))) {
      const outcome = await outcomeOf(ctx.connection, shop, job._id);
      res.status(409).json({ error: 'import_finished', message: `This import has already ended (${outcome?.status ?? 'finished'})` });
      return;
    }
    res.json({ id: job._id, status: 'cancelled' });
  });

  router.get('/imports/:id', async (req, res) => {
    const { shop } = apiLocals(res);
    const job = await importSummary(ctx.connection, shop, String(req.params.id));
    if (!job) {
      res.status(404).json({ error: 'unknown_import', message: 'No such import in this shop' });
      return;
    }
    const [chunks, outcome] = await Promise.all([chunksOf(ctx.connection, shop, job._id), outcomeOf(ctx.connection, shop, job._id)]);
    // A run whose process died resumes when someone looks (and from the hourly job).
    if (!outcome) startShopImports(ctx, shop, options);
    const errors: RowError[] = [...job.readErrors, ...chunks.flatMap((chunk) => chunk.rowErrors)].sort((a, b) => a.row - b.row);
    const changes = chunks.flatMap((chunk) => chunk.changes);
    const moved = changes.map((change) => change.points);
    res.json({
      id: job._id,
      format: job.format,
      dryRun: job.dryRun,
      balances: job.balances ?? 'add',
      status: outcome?.status ?? 'running',
      message: outcome?.message ?? null,
      processed: job.unreadRows + chunks.reduce((sum, chunk) => sum + chunk.rows, 0),
      total: job.total,
      errors: errors.slice(0, ERRORS_SHOWN),
      errorCount: errors.length,
      summary: {
        customers: changes.length,
        customersChanged: moved.filter((points) => points !== 0).length,
        pointsAdded: moved.filter((points) => points > 0).reduce((sum, points) => sum + points, 0),
        pointsRemoved: -moved.filter((points) => points < 0).reduce((sum, points) => sum + points, 0),
      },
      changes: changes.slice(0, CHANGES_SHOWN),
      fileHash: job.fileHash,
      createdAt: job.createdAt,
      finishedAt: outcome?.at ?? null,
    });
  });
  return router;
}

/** The request schemas of these routes: the OpenAPI document is derived from them (headless/openapi.ts). */
export const importRequests = { import: importBody };

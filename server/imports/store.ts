import { Schema, type Connection, type Model } from 'mongoose';
import { leaseSchema, type Lease } from '../platform/atomic.js';
import { modelOn } from '../platform/models.js';
import { backfillModels } from './backfill-store.js';
import type { ImportFormat, RowError } from './formats.js';

export const BALANCE_MODES = ['set', 'add'] as const;
export type BalanceMode = (typeof BALANCE_MODES)[number];

/** An uploaded file and what reading it found; written once, never updated. */
export interface ImportJob {
  _id: string;
  shop: string;
  format: ImportFormat;
  dryRun: boolean;
  /**
   * What a balance line does: `set` the customer's balance to it (what "import balances" means to a
   * merchant), or `add` it on top of the points the customer earned in Tally. Imports stored before
   * the choice existed added.
   */
  balances?: BalanceMode;
  csv: string;
  /** sha256 of the file: shown so a merchant sees that two uploads were the same file. */
  fileHash: string;
  /** Data rows in the file (errors included). */
  total: number;
  /** Rows that fall outside every chunk (errors found on reading). */
  unreadRows: number;
  chunks: number;
  /** The chunk size the file was split with when it was posted: a resumed run splits it the same way. */
  rowsPerChunk?: number;
  readErrors: RowError[];
  fileError: string | null;
  staffId: string;
  createdAt: Date;
}

/** What one customer's rows did (or, in a dry run, would do). */
export interface ImportChange {
  row: number;
  customerId: string;
  email: string | null;
  balanceBefore: number;
  points: number;
  balanceAfter: number;
  tier: string | null;
}

/** One chunk of customers done: inserted once under its number, the progress the admin reads. */
export interface ImportChunk {
  _id: string;
  shop: string;
  importId: string;
  chunk: number;
  rows: number;
  rowErrors: RowError[];
  changes: ImportChange[];
  createdAt: Date;
}

export interface ImportOutcome {
  _id: string;
  shop: string;
  importId: string;
  /** `cancelled`: the merchant stopped it; rows imported before stay imported. */
  status: 'done' | 'failed' | 'cancelled';
  message: string | null;
  at: Date;
}

/** Lifetime points and the tier a customer had in the app they came from, newest last. */
export interface ImportedStanding {
  shop: string;
  customerId: string;
  key: string;
  source: ImportFormat;
  lifetime: number | null;
  tier: string | null;
  importId: string;
  at: Date;
}

const jobSchema = new Schema<ImportJob>(
  {
    _id: { type: String, required: true },
    shop: { type: String, required: true },
    format: { type: String, required: true },
    dryRun: { type: Boolean, required: true },
    balances: String,
    csv: { type: String, required: true },
    fileHash: { type: String, required: true },
    total: { type: Number, required: true },
    unreadRows: { type: Number, required: true },
    chunks: { type: Number, required: true },
    rowsPerChunk: Number,
    readErrors: { type: Schema.Types.Mixed, default: [] },
    fileError: { type: String, default: null },
    staffId: { type: String, required: true },
    createdAt: { type: Date, required: true },
  },
  { collection: 'imports', versionKey: false },
);
jobSchema.index({ shop: 1, createdAt: -1 });

const chunkSchema = new Schema<ImportChunk>(
  {
    _id: { type: String, required: true },
    shop: { type: String, required: true },
    importId: { type: String, required: true },
    chunk: { type: Number, required: true },
    rows: { type: Number, required: true },
    rowErrors: { type: Schema.Types.Mixed, default: [] },
    changes: { type: Schema.Types.Mixed, default: [] },
    createdAt: { type: Date, required: true },
  },
  { collection: 'import_chunks', versionKey: false },
);
chunkSchema.index({ shop: 1, importId: 1, chunk: 1 }, { unique: true });

const outcomeSchema = new Schema<ImportOutcome>(
  {
    _id: { type: String, required: true },
    shop: { type: String, required: true },
    importId: { type: String, required: true },
    status: { type: String, required: true },
    message: { type: String, default: null },
    at: { type: Date, required: true },
  },
  { collection: 'import_outcomes', versionKey: false },
);
outcomeSchema.index({ shop: 1, importId: 1 }, { unique: true });

const standingSchema = new Schema<ImportedStanding>(
  {
    shop: { type: String, required: true },
    customerId: { type: String, required: true },
    key: { type: String, required: true },
    source: { type: String, required: true },
    lifetime: { type: Number, default: null },
    tier: { type: String, default: null },
    importId: { type: String, required: true },
    at: { type: Date, required: true },
  },
  { collection: 'imported_standings', versionKey: false },
);
standingSchema.index({ shop: 1, key: 1 }, { unique: true });
standingSchema.index({ shop: 1, customerId: 1, at: -1 });

const importLeaseSchema = leaseSchema().set('collection', 'import_leases');

export const importJobModel = (connection: Connection): Model<ImportJob> => modelOn(connection, 'ImportJob', jobSchema);
export const importChunkModel = (connection: Connection): Model<ImportChunk> => modelOn(connection, 'ImportChunk', chunkSchema);
export const importOutcomeModel = (connection: Connection): Model<ImportOutcome> => modelOn(connection, 'ImportOutcome', outcomeSchema);
export const importedStandingModel = (connection: Connection): Model<ImportedStanding> => modelOn(connection, 'ImportedStanding', standingSchema);
export const importLeaseModel = (connection: Connection): Model<Lease> => modelOn(connection, 'ImportLease', importLeaseSchema);

/** Every model of this folder, for server/indexes.ts. */
export const importModels = [importJobModel, importChunkModel, importOutcomeModel, importedStandingModel, importLeaseModel, ...backfillModels];

export async function findImport(connection: Connection, shop: string, id: string): Promise<ImportJob | null> {
  return importJobModel(connection).findOne({ _id: id, shop }).lean<ImportJob>();
}

/** The import without its file, for listing and progress. */
export async function importSummary(connection: Connection, shop: string, id: string): Promise<Omit<ImportJob, 'csv'> | null> {
  return importJobModel(connection).findOne({ _id: id, shop }, { csv: 0 }).lean<Omit<ImportJob, 'csv'>>();
}

export async function recentImports(connection: Connection, shop: string, limit: number): Promise<Array<Omit<ImportJob, 'csv'>>> {
  return importJobModel(connection).find({ shop }, { csv: 0 }).sort({ createdAt: -1 }).limit(limit).lean<Array<Omit<ImportJob, 'csv'>>>();
}

export async function chunksOf(connection: Connection, shop: string, importId: string): Promise<ImportChunk[]> {
  return importChunkModel(connection).find({ shop, importId }).sort({ chunk: 1 }).lean<ImportChunk[]>();
}

export async function outcomeOf(connection: Connection, shop: string, importId: string): Promise<ImportOutcome | null> {
  return importOutcomeModel(connection).findOne({ shop, importId }).lean<ImportOutcome>();
}

export async function outcomesOf(connection: Connection, shop: string, importIds: string[]): Promise<ImportOutcome[]> {
  return importOutcomeModel(connection)
    .find({ shop, importId: { $in: importIds } })
    .lean<ImportOutcome[]>();
}

/** The newest lifetime points and tier imports recorded for a customer. */
export async function importedStanding(connection: Connection, shop: string, customerId: string): Promise<ImportedStanding | null> {
  return importedStandingModel(connection).findOne({ shop, customerId }).sort({ at: -1 }).lean<ImportedStanding>();
}

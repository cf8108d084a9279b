import { Schema, type Connection, type Model } from 'mongoose';
import { modelOn } from '../platform/models.js';

/** A backfill the merchant asked for: written once, never updated. */
export interface BackfillJob {
  _id: string;
  shop: string;
  /** The first day (UTC, YYYY-MM-DD) whose orders are credited. */
  since: string;
  rateSource: 'rate' | 'program';
  pointsPerCurrencyUnit: number;
  staffId: string;
  createdAt: Date;
}

/** The Shopify bulk operation a backfill started, recorded once so a resumed run polls it instead of starting another. */
export interface BackfillOperation {
  _id: string;
  shop: string;
  backfillId: string;
  operationId: string;
  startedAt: Date;
}

/** A chunk of the file's orders done, inserted once: the progress the admin reads and where a resumed run starts. */
export interface BackfillChunk {
  _id: string;
  shop: string;
  backfillId: string;
  chunk: number;
  orders: number;
  credited: number;
  alreadyCredited: number;
  skipped: number;
  points: number;
  /** The order count in the whole file, so progress has a total from the first chunk on. */
  fileOrders: number;
  createdAt: Date;
}

export interface BackfillOutcome {
  _id: string;
  shop: string;
  backfillId: string;
  status: 'done' | 'failed';
  message: string | null;
  at: Date;
}

const jobSchema = new Schema<BackfillJob>(
  {
    _id: { type: String, required: true },
    shop: { type: String, required: true },
    since: { type: String, required: true },
    rateSource: { type: String, required: true },
    pointsPerCurrencyUnit: { type: Number, required: true },
    staffId: { type: String, required: true },
    createdAt: { type: Date, required: true },
  },
  { collection: 'backfills', versionKey: false },
);
jobSchema.index({ shop: 1, createdAt: -1 });

const operationSchema = new Schema<BackfillOperation>(
  {
    _id: { type: String, required: true },
    shop: { type: String, required: true },
    backfillId: { type: String, required: true },
    operationId: { type: String, required: true },
    startedAt: { type: Date, required: true },
  },
  { collection: 'backfill_operations', versionKey: false },
);
operationSchema.index({ shop: 1, backfillId: 1 }, { unique: true });

const chunkSchema = new Schema<BackfillChunk>(
  {
    _id: { type: String, required: true },
    shop: { type: String, required: true },
    backfillId: { type: String, required: true },
    chunk: { type: Number, required: true },
    orders: { type: Number, required: true },
    credited: { type: Number, required: true },
    alreadyCredited: { type: Number, required: true },
    skipped: { type: Number, required: true },
    points: { type: Number, required: true },
    fileOrders: { type: Number, required: true },
    createdAt: { type: Date, required: true },
  },
  { collection: 'backfill_chunks', versionKey: false },
);
chunkSchema.index({ shop: 1, backfillId: 1, chunk: 1 }, { unique: true });

const outcomeSchema = new Schema<BackfillOutcome>(
  {
    _id: { type: String, required: true },
    shop: { type: String, required: true },
    backfillId: { type: String, required: true },
    status: { type: String, required: true },
    message: { type: String, default: null },
    at: { type: Date, required: true },
  },
  { collection: 'backfill_outcomes', versionKey: false },
);
outcomeSchema.index({ shop: 1, backfillId: 1 }, { unique: true });

export const backfillJobModel = (connection: Connection): Model<BackfillJob> => modelOn(connection, 'BackfillJob', jobSchema);
export const backfillOperationModel = (connection: Connection): Model<BackfillOperation> => modelOn(connection, 'BackfillOperation', operationSchema);
export const backfillChunkModel = (connection: Connection): Model<BackfillChunk> => modelOn(connection, 'BackfillChunk', chunkSchema);
export const backfillOutcomeModel = (connection: Connection): Model<BackfillOutcome> => modelOn(connection, 'BackfillOutcome', outcomeSchema);

export const backfillModels = [backfillJobModel, backfillOperationModel, backfillChunkModel, backfillOutcomeModel];

export async function findBackfill(connection: Connection, shop: string, id: string): Promise<BackfillJob | null> {
  return backfillJobModel(connection).findOne({ _id: id, shop }).lean<BackfillJob>();
}

export async function recentBackfills(connection: Connection, shop: string, limit: number): Promise<BackfillJob[]> {
  return backfillJobModel(connection).find({ shop }).sort({ createdAt: -1 }).limit(limit).lean<BackfillJob[]>();
}

export async function backfillOperationOf(connection: Connection, shop: string, backfillId: string): Promise<BackfillOperation | null> {
  return backfillOperationModel(connection).findOne({ shop, backfillId }).lean<BackfillOperation>();
}

export async function backfillChunksOf(connection: Connection, shop: string, backfillId: string): Promise<BackfillChunk[]> {
  return backfillChunkModel(connection).find({ shop, backfillId }).sort({ chunk: 1 }).lean<BackfillChunk[]>();
}

export async function backfillOutcomesOf(connection: Connection, shop: string, backfillIds: string[]): Promise<BackfillOutcome[]> {
  return backfillOutcomeModel(connection)
    .find({ shop, backfillId: { $in: backfillIds } })
    .lean<BackfillOutcome[]>();
}

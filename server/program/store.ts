import { Schema, type Connection, type Model } from 'mongoose';
import { insertOnce } from '../platform/atomic.js';
import { modelOn } from '../platform/models.js';
import { defaultProgram, type Program } from './program.js';

/**
 * Every saved program is a new version, inserted under the unique (shop, version): of two saves
 * from the same version exactly one lands (an insert is atomic on every engine; a guarded update
 * is not on FerretDB). The current program is the highest version, and the rest is its history.
 */
interface ProgramVersion {
  shop: string;
  version: number;
  program: Program;
  updatedAt: Date;
  updatedBy?: string;
}

const versionSchema = new Schema<ProgramVersion>(
  {
    shop: { type: String, required: true },
    version: { type: Number, required: true },
    program: { type: Schema.Types.Mixed, required: true },
    updatedAt: { type: Date, required: true },
    updatedBy: String,
  },
  { collection: 'program_versions', versionKey: false, minimize: false },
);
versionSchema.index({ shop: 1, version: -1 }, { unique: true });

export function programModel(connection: Connection): Model<ProgramVersion> {
  return modelOn(connection, 'ProgramVersion', versionSchema);
}

/**
 * Programs are read on every order and storefront view and change rarely: each process keeps the
 * current one for a few seconds. A save through this process replaces it at once; another
 * process's save is seen within CACHE_MS.
 */
const CACHE_MS = 5_000;
const cache = new WeakMap<Connection, Map<string, { program: Program | null; until: number }>>();

function cacheOf(connection: Connection): Map<string, { program: Program | null; until: number }> {
  let shops = cache.get(connection);
  if (!shops) cache.set(connection, (shops = new Map()));
  return shops;
}

/** Creates the shop's default program (CONTRACT.md) unless it has one. Idempotent. */
export async function ensureDefaultProgram(connection: Connection, shop: string, currency: string, now: Date): Promise<void> {
  if (await insertOnce(programModel(connection), { shop, version: 1, program: { ...defaultProgram(currency), version: 1 }, updatedAt: now }))
    cacheOf(connection).delete(shop);
}

export async function loadProgram(connection: Connection, shop: string): Promise<Program | null> {
  const cached = cacheOf(connection).get(shop);
  if (cached && cached.until > Date.now() && cached.program) return cached.program;
  const found = await programModel(connection).findOne({ shop }).sort({ version: -1 }).lean();
  const program = found ? { ...found.program, version: found.version } : null;
  cacheOf(connection).set(shop, { program, until: Date.now() + CACHE_MS });
  return program;
}

export type SaveResult = { saved: true; program: Program } | { saved: false; reason: 'stale' };

/** Saves a validated program as the version after `expectedVersion`; `stale` when another save took it. */
export async function saveProgram(
  connection: Connection,
  shop: string,
  program: Program,
  expectedVersion: number,
  staffId: string,
  now: Date,
): Promise<SaveResult> {
  const next = { ...program, version: expectedVersion + 1 };
  if (!(await insertOnce(programModel(connection), { shop, version: next.version, program: next, updatedAt: now, updatedBy: staffId })))
    return { saved: false, reason: 'stale' };
  cacheOf(connection).set(shop, { program: next, until: Date.now() + CACHE_MS });
  return { saved: true, program: next };
}

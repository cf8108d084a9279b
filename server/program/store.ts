import { Schema, type Connection, type Model } from 'mongoose';
import { defaultProgram, type Program } from './program.js';
import { modelOn } from '../platform/models.js';

/** The shop's current program; `version` goes up with every saved change. */
interface ProgramDocument {
  shop: string;
  version: number;
  program: Program;
  updatedAt: Date;
  updatedBy?: string;
}

const programSchema = new Schema<ProgramDocument>(
  {
    shop: { type: String, required: true },
    version: { type: Number, required: true },
    program: { type: Schema.Types.Mixed, required: true },
    updatedAt: { type: Date, required: true },
    updatedBy: String,
  },
  { collection: 'programs', versionKey: false, minimize: false },
);
programSchema.index({ shop: 1 }, { unique: true });

export function programModel(connection: Connection): Model<ProgramDocument> {
  return modelOn(connection, 'Program', programSchema);
}

/** Creates the shop's default program (CONTRACT.md) unless it has one. Idempotent. */
export async function ensureDefaultProgram(connection: Connection, shop: string, currency: string, now: Date): Promise<void> {
  await programModel(connection).updateOne(
    { shop },
    { $setOnInsert: { version: 1, program: defaultProgram(currency), updatedAt: now } },
    { upsert: true },
  );
}

export async function loadProgram(connection: Connection, shop: string): Promise<Program | null> {
  const found = await programModel(connection).findOne({ shop }).lean();
  return found ? { ...found.program, version: found.version } : null;
}

export type SaveResult = { saved: true; program: Program } | { saved: false; reason: 'stale' };

/** Saves a validated program if the stored version is still `expectedVersion` (no lost update). */
export async function saveProgram(connection: Connection, shop: string, program: Program, expectedVersion: number, staffId: string, now: Date): Promise<SaveResult> {
  const next = { ...program, version: expectedVersion + 1 };
  const result = await programModel(connection).updateOne(
    { shop, version: expectedVersion },
    { $set: { version: next.version, program: next, updatedAt: now, updatedBy: staffId } },
  );
  return result.modifiedCount === 1 ? { saved: true, program: next } : { saved: false, reason: 'stale' };
}

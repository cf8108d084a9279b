import type { Connection } from 'mongoose';
import { EXPIRED_BODY, expireLoggedDeliveries } from '../inbox/index.js';
import { DEFAULT_EXPORT_OPTIONS } from './export.js';
import { dataExportChunkModel, dataExportModel } from './store.js';

const DAY_MS = 86_400_000;

export { EXPIRED_BODY };

export interface RetentionPolicy {
  /** Days a finished delivery keeps its body (orders carry names and addresses); its outcome stays. */
  webhookBodyDays: number;
  /** Days a finished delivery stays in the log at all. */
  webhookLogDays: number;
  /** Days an export's chunks may live: a finished export has expired by then, a crashed attempt's are orphans. */
  exportChunkDays: number;
}

export const DEFAULT_RETENTION: RetentionPolicy = {
  webhookBodyDays: 30,
  webhookLogDays: 90,
  exportChunkDays: DEFAULT_EXPORT_OPTIONS.retentionDays + 1,
};

/** Clears old bodies and deletes old entries of the shop's webhook log; returns how many of each. */
export async function expireWebhookLog(
  connection: Connection,
  shop: string,
  now: Date,
  policy: RetentionPolicy = DEFAULT_RETENTION,
): Promise<{ cleared: number; deleted: number }> {
  return expireLoggedDeliveries(
    connection,
    shop,
    new Date(now.getTime() - policy.webhookLogDays * DAY_MS),
    new Date(now.getTime() - policy.webhookBodyDays * DAY_MS),
  );
}

/** Deletes the shop's expired exports, then chunks older than any live export's. */
export async function expireExports(connection: Connection, shop: string, now: Date, policy: RetentionPolicy = DEFAULT_RETENTION): Promise<number> {
  const expired = await dataExportModel(connection).deleteMany({ shop, expiresAt: { $lte: now } });
  await dataExportChunkModel(connection).deleteMany({ shop, createdAt: { $lt: new Date(now.getTime() - policy.exportChunkDays * DAY_MS) } });
  return expired.deletedCount;
}

import type { Connection } from 'mongoose';

/** Creates every collection's indexes; safe to run at each start and from several processes. */
export async function ensureIndexes(connection: Connection): Promise<void> {
  await Promise.all(Object.values(connection.models).map((model) => model.createIndexes()));
}

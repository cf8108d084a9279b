import type { Connection, Model, Schema } from 'mongoose';

/** Registers `schema` on this connection once and returns the model. */
export function modelOn<T>(connection: Connection, name: string, schema: Schema<T>): Model<T> {
  return (connection.models[name] as Model<T> | undefined) ?? connection.model<T>(name, schema);
}

export function isDuplicateKey(error: unknown): boolean {
  return typeof error === 'object' && error !== null && 'code' in error && error.code === 11000;
}

/**
 * A capability's collections as one function that registers their schemas and indexes on a
 * connection (boot's ensureIndexes creates the indexes), so a capability hands out no model.
 */
export function collectionsOf(...models: Array<(connection: Connection) => unknown>): (connection: Connection) => void {
  return (connection) => {
    for (const model of models) model(connection);
  };
}

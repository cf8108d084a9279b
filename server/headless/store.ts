import { Schema, type Connection, type Model } from 'mongoose';
import { modelOn } from '../platform/models.js';
import type { ApiKeyScope } from './api-keys.js';

/** A shop's API key for its own tools: only a salted, peppered hash of the secret is kept. */
export interface ApiKey {
  _id: string;
  shop: string;
  name: string;
  scopes: ApiKeyScope[];
  salt: string;
  hash: string;
  /** The start of the key as shown once, so the merchant recognises it in the list. */
  prefix: string;
  createdBy: string;
  createdAt: Date;
}

const apiKeySchema = new Schema<ApiKey>(
  {
    _id: { type: String, required: true },
    shop: { type: String, required: true },
    name: { type: String, required: true },
    scopes: { type: [String], required: true },
    salt: { type: String, required: true },
    hash: { type: String, required: true },
    prefix: { type: String, required: true },
    createdBy: { type: String, required: true },
    createdAt: { type: Date, required: true },
  },
  { collection: 'api_keys', versionKey: false },
);
apiKeySchema.index({ shop: 1, createdAt: -1 });

export function apiKeyModel(connection: Connection): Model<ApiKey> {
  return modelOn(connection, 'ApiKey', apiKeySchema);
}

/** Reads by _id (the key id in the token); the shop comes from the stored key, never from the request. */
export async function findApiKey(connection: Connection, id: string): Promise<ApiKey | null> {
  return apiKeyModel(connection).findById(id).lean<ApiKey>();
}

export async function shopApiKeys(connection: Connection, shop: string): Promise<ApiKey[]> {
  return apiKeyModel(connection).find({ shop }).sort({ createdAt: -1 }).limit(100).lean<ApiKey[]>();
}

/** Revokes: the key is gone at once for every process (a delete is atomic on every engine). */
export async function revokeApiKey(connection: Connection, shop: string, id: string): Promise<boolean> {
  return (await apiKeyModel(connection).deleteOne({ _id: id, shop })).deletedCount === 1;
}

import { Schema, type Connection, type Model } from 'mongoose';
import { modelOn } from '../platform/models.js';

/** A shop that installed the app, with its offline session (Shopify's offline access token). */
export interface Shop {
  shop: string;
  name?: string;
  currency?: string;
  timezone?: string;
  shopifyPlus?: boolean;
  accessToken?: string;
  scope?: string;
  installedAt?: Date;
  uninstalledAt?: Date;
  status: 'installed' | 'uninstalled';
}

const shopSchema = new Schema<Shop>(
  {
    shop: { type: String, required: true },
    name: String,
    currency: String,
    timezone: String,
    shopifyPlus: Boolean,
    accessToken: String,
    scope: String,
    installedAt: Date,
    uninstalledAt: Date,
    status: { type: String, required: true },
  },
  { collection: 'shops', versionKey: false },
);
shopSchema.index({ shop: 1 }, { unique: true });
shopSchema.index({ status: 1, shop: 1 });

export function shopModel(connection: Connection): Model<Shop> {
  return modelOn(connection, 'Shop', shopSchema);
}

export async function installedShops(connection: Connection): Promise<string[]> {
  const shops = await shopModel(connection).find({ status: 'installed' }, { shop: 1 }).lean();
  return shops.map((entry) => entry.shop);
}

export async function offlineAccessToken(connection: Connection, shop: string): Promise<string> {
  const found = await shopModel(connection).findOne({ shop, status: 'installed' }, { accessToken: 1 }).lean();
  if (!found?.accessToken) throw new Error(`${shop} has no offline access token (not installed)`);
  return found.accessToken;
}

/** Forgets the offline token of an install made at or before `uninstalledAt`; false when none matched. */
export async function markUninstalled(connection: Connection, shop: string, uninstalledAt: Date, now: Date): Promise<boolean> {
  const result = await shopModel(connection).updateOne(
    { shop, status: 'installed', installedAt: { $lte: uninstalledAt } },
    { $set: { status: 'uninstalled', uninstalledAt: now }, $unset: { accessToken: 1, scope: 1 } },
  );
  return result.matchedCount > 0;
}

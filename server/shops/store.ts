import { Schema, type Connection, type Model } from 'mongoose';
import type { AppContext } from '../platform/context.js';
import { modelOn } from '../platform/models.js';
import { TokenDecryptionError, tokenCipherFor } from './token-cipher.js';

/**
 * A shop that installed the app, with its offline session. The offline access token is stored only
 * sealed (`encryptedAccessToken`, see token-cipher.ts); `accessToken` is the plain field of
 * installs made before encryption, removed at the shop's next install.
 */
export interface Shop {
  shop: string;
  /** Shopify's numeric id of the shop (the digits of its `gid://shopify/Shop/N`), learnt at install. */
  shopId?: string;
  name?: string;
  currency?: string;
  timezone?: string;
  shopifyPlus?: boolean;
  encryptedAccessToken?: string;
  accessToken?: string;
  scope?: string;
  installedAt?: Date;
  uninstalledAt?: Date;
  status: 'installed' | 'uninstalled';
}

const shopSchema = new Schema<Shop>(
  {
    shop: { type: String, required: true },
    shopId: String,
    name: String,
    currency: String,
    timezone: String,
    shopifyPlus: Boolean,
    encryptedAccessToken: String,
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

/**
 * Every webhook asks whether its shop is installed: a process remembers a yes for a few seconds
 * (an uninstall through this process forgets it at once; another process's within INSTALLED_CACHE_MS).
 */
const INSTALLED_CACHE_MS = 10_000;
const installedUntil = new WeakMap<Connection, Map<string, number>>();

function installedCache(connection: Connection): Map<string, number> {
  let shops = installedUntil.get(connection);
  if (!shops) installedUntil.set(connection, (shops = new Map()));
  return shops;
}

export async function isInstalled(connection: Connection, shop: string): Promise<boolean> {
  const cache = installedCache(connection);
  if ((cache.get(shop) ?? 0) > Date.now()) return true;
  const installed = Boolean(await shopModel(connection).exists({ shop, status: 'installed' }));
  if (installed) cache.set(shop, Date.now() + INSTALLED_CACHE_MS);
  else cache.delete(shop);
  return installed;
}

const shopIds = new WeakMap<Connection, Map<string, string>>();

/** The shop's numeric id when the app knows it (installs before it was recorded do not); a shop's id never changes, so it is read once per process. */
export async function shopIdOf(connection: Connection, shop: string): Promise<string | undefined> {
  let known = shopIds.get(connection);
  if (!known) shopIds.set(connection, (known = new Map()));
  const cached = known.get(shop);
  if (cached) return cached;
  const found = (await shopModel(connection).findOne({ shop }, { shopId: 1 }).lean())?.shopId;
  if (found) known.set(shop, found);
  return found;
}

type TokenContext = Pick<AppContext, 'connection' | 'config'>;

/** Stores the offline session of a (re)install, its token sealed. */
export async function saveInstall(
  ctx: TokenContext,
  shop: string,
  session: { accessToken: string; scope: string },
  details: Pick<Shop, 'shopId' | 'name' | 'currency' | 'timezone' | 'shopifyPlus'>,
  now: Date,
): Promise<void> {
  await shopModel(ctx.connection).updateOne(
    { shop },
    {
      $set: {
        status: 'installed',
        installedAt: now,
        encryptedAccessToken: tokenCipherFor(ctx.config).seal(shop, session.accessToken),
        scope: session.scope,
        ...details,
      },
      $unset: { uninstalledAt: 1, accessToken: 1 },
    },
    { upsert: true },
  );
}

/** The token of an installed shop, or undefined when there is none that opens with the configured keys. */
async function openToken(ctx: TokenContext, shop: string): Promise<string | undefined> {
  const shops = shopModel(ctx.connection);
  const found = await shops.findOne({ shop, status: 'installed' }, { encryptedAccessToken: 1 }).lean();
  if (!found?.encryptedAccessToken) return undefined;
  const cipher = tokenCipherFor(ctx.config);
  try {
    const { token, stale } = cipher.open(shop, found.encryptedAccessToken);
    // Sealed with an older key: seal it again with the current one, so that key can be retired.
    if (stale)
      await shops.updateOne({ shop, encryptedAccessToken: found.encryptedAccessToken }, { $set: { encryptedAccessToken: cipher.seal(shop, token) } });
    return token;
  } catch (error) {
    if (error instanceof TokenDecryptionError) return undefined;
    throw error;
  }
}

/** Whether the shop is installed with a token this process can open (otherwise the next session token installs it again). */
export async function hasOfflineToken(ctx: TokenContext, shop: string): Promise<boolean> {
  return (await openToken(ctx, shop)) !== undefined;
}

export async function offlineAccessToken(ctx: TokenContext, shop: string): Promise<string> {
  const token = await openToken(ctx, shop);
  if (token === undefined)
    throw new Error(`${shop} has no offline access token this app can open (not installed, or sealed with a key no longer configured)`);
  return token;
}

/** Forgets the offline token of an install made at or before `uninstalledAt`; false when none matched. */
export async function markUninstalled(connection: Connection, shop: string, uninstalledAt: Date, now: Date): Promise<boolean> {
  installedCache(connection).delete(shop);
  const result = await shopModel(connection).updateOne(
    { shop, status: 'installed', installedAt: { $lte: uninstalledAt } },
    { $set: { status: 'uninstalled', uninstalledAt: now }, $unset: { encryptedAccessToken: 1, accessToken: 1, scope: 1 } },
  );
  return result.matchedCount > 0;
}

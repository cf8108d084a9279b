import type { Config } from '../platform/config.js';
import { shopifyOrigin } from './shop-domain.js';

export interface OfflineToken {
  accessToken: string;
  scope: string;
}

/** The staff member an online access token acts for (Shopify's `associated_user`). */
export interface AssociatedUser {
  id: string;
  firstName: string;
  lastName: string;
  email: string | null;
  accountOwner: boolean;
}

export interface OnlineToken {
  accessToken: string;
  expiresIn: number;
  associatedUser: AssociatedUser;
}

const TOKEN_TYPES = {
  offline: 'urn:shopify:params:oauth:token-type:offline-access-token',
  online: 'urn:shopify:params:oauth:token-type:online-access-token',
} as const;

/** Shopify's token exchange (RFC 8693 grant, a session token as subject) for the requested token type. */
async function exchange(config: Config, shop: string, sessionToken: string, type: keyof typeof TOKEN_TYPES): Promise<Record<string, unknown>> {
  const response = await fetch(`${shopifyOrigin(config, shop)}/admin/oauth/access_token`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', Accept: 'application/json' },
    body: JSON.stringify({
      client_id: config.shopifyApiKey,
      client_secret: config.shopifyApiSecret,
      grant_type: 'urn:ietf:params:oauth:grant-type:token-exchange',
      subject_token: sessionToken,
      subject_token_type: 'urn:ietf:params:oauth:token-type:id_token',
      requested_token_type: TOKEN_TYPES[type],
    }),
    signal: AbortSignal.timeout(15_000),
  });
  const body = (await response.json().catch(() => ({}))) as Record<string, unknown>;
  if (!response.ok || typeof body.access_token !== 'string') {
    throw new Error(
      `${type} token exchange for ${shop} failed with ${response.status}: ${String(body.error_description ?? body.error ?? 'no access_token')}`,
    );
  }
  return body;
}

/** Exchanges a verified session token for the shop's offline access token. */
export async function exchangeForOfflineToken(config: Config, shop: string, sessionToken: string): Promise<OfflineToken> {
  const body = await exchange(config, shop, sessionToken, 'offline');
  return { accessToken: String(body.access_token), scope: typeof body.scope === 'string' ? body.scope : '' };
}

const text = (value: unknown): string => (typeof value === 'string' ? value : '');

/** Exchanges a session token for an online access token, which names the staff member who holds the session. */
export async function exchangeForOnlineToken(config: Config, shop: string, sessionToken: string): Promise<OnlineToken> {
  const body = await exchange(config, shop, sessionToken, 'online');
  const user = body.associated_user;
  if (typeof user !== 'object' || user === null) throw new Error(`online token exchange for ${shop} answered without associated_user`);
  const fields = user as Record<string, unknown>;
  if (typeof fields.id !== 'number' && typeof fields.id !== 'string') throw new Error(`online token exchange for ${shop}: associated_user has no id`);
  return {
    accessToken: String(body.access_token),
    expiresIn: typeof body.expires_in === 'number' ? body.expires_in : 0,
    associatedUser: {
      id: String(fields.id),
      firstName: text(fields.first_name),
      lastName: text(fields.last_name),
      email: typeof fields.email === 'string' ? fields.email : null,
      accountOwner: fields.account_owner === true,
    },
  };
}

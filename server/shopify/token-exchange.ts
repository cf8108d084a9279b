import type { Config } from '../platform/config.js';
import { shopifyOrigin } from './shop-domain.js';

export interface OfflineToken {
  accessToken: string;
  scope: string;
}

/**
 * Exchanges a verified session token for the shop's offline access token (Shopify's token
 * exchange: RFC 8693 grant, offline token type).
 */
export async function exchangeForOfflineToken(config: Config, shop: string, sessionToken: string): Promise<OfflineToken> {
  const response = await fetch(`${shopifyOrigin(config, shop)}/admin/oauth/access_token`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', Accept: 'application/json' },
    body: JSON.stringify({
      client_id: config.shopifyApiKey,
      client_secret: config.shopifyApiSecret,
      grant_type: 'urn:ietf:params:oauth:grant-type:token-exchange',
      subject_token: sessionToken,
      subject_token_type: 'urn:ietf:params:oauth:token-type:id_token',
      requested_token_type: 'urn:shopify:params:oauth:token-type:offline-access-token',
    }),
    signal: AbortSignal.timeout(15_000),
  });
  const body = (await response.json().catch(() => ({}))) as { access_token?: unknown; scope?: unknown; error?: unknown; error_description?: unknown };
  if (!response.ok || typeof body.access_token !== 'string') {
    throw new Error(
      `token exchange for ${shop} failed with ${response.status}: ${String(body.error_description ?? body.error ?? 'no access_token')}`,
    );
  }
  return { accessToken: body.access_token, scope: typeof body.scope === 'string' ? body.scope : '' };
}

import { createHmac, timingSafeEqual } from 'node:crypto';
import { isShopDomain } from './shop-domain.js';

export interface AppProxyRequest {
  shop: string;
  /** Trusted only because the signature covers it; null for a guest. */
  customerId: string | null;
  pathPrefix: string | null;
}

export class InvalidProxySignature extends Error {
  override readonly name = 'InvalidProxySignature';
}

/** Parameters Shopify adds once each; any of them twice makes the request ambiguous. */
const SINGLE = ['shop', 'timestamp', 'signature', 'logged_in_customer_id', 'path_prefix'] as const;
const MAX_SKEW_SECONDS = 90;

/**
 * Shopify's app-proxy signature: every query parameter but `signature`, values of a repeated
 * key joined with ",", written `key=value`, sorted, concatenated without separator, then
 * HMAC-SHA256 with the app secret, hex.
 */
export function appProxySignature(params: URLSearchParams, secret: string): string {
  const grouped = new Map<string, string[]>();
  for (const [key, value] of params) {
    if (key === 'signature') continue;
    grouped.set(key, [...(grouped.get(key) ?? []), value]);
  }
  const message = [...grouped.entries()]
    .map(([key, values]) => `${key}=${values.join(',')}`)
    .sort()
    .join('');
  return createHmac('sha256', secret).update(message).digest('hex');
}

/** Checks an app-proxy query string and returns what it vouches for; throws with the reason otherwise. */
export function verifyAppProxy(query: string, secret: string, now: Date): AppProxyRequest {
  const params = new URLSearchParams(query);
  for (const key of SINGLE) {
    if (params.getAll(key).length > 1) throw new InvalidProxySignature(`${key} appears more than once`);
  }
  const signature = params.get('signature') ?? '';
  const shop = params.get('shop') ?? '';
  const timestamp = params.get('timestamp') ?? '';
  if (!/^[0-9a-f]{64}$/.test(signature)) throw new InvalidProxySignature('signature is missing or malformed');
  if (!isShopDomain(shop)) throw new InvalidProxySignature('shop is missing or not a shop domain');
  if (!/^\d{1,12}$/.test(timestamp)) throw new InvalidProxySignature('timestamp is missing or malformed');
  const expected = Buffer.from(appProxySignature(params, secret), 'hex');
  if (!timingSafeEqual(expected, Buffer.from(signature, 'hex'))) throw new InvalidProxySignature('signature does not match');
  if (Math.abs(now.getTime() / 1000 - Number(timestamp)) > MAX_SKEW_SECONDS)
    throw new InvalidProxySignature('timestamp is more than 90 seconds away');
  const customer = params.get('logged_in_customer_id') ?? '';
  if (customer !== '' && !/^\d{1,20}$/.test(customer)) throw new InvalidProxySignature('logged_in_customer_id is not a customer id');
  return { shop, customerId: customer === '' ? null : customer, pathPrefix: params.get('path_prefix') };
}

/** Signs a query as Shopify's proxy does (the devstore storefront and tests use this). */
export function signAppProxyQuery(params: Record<string, string>, secret: string): string {
  const query = new URLSearchParams(params);
  query.set('signature', appProxySignature(query, secret));
  return query.toString();
}

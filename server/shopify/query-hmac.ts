import { createHmac, timingSafeEqual } from 'node:crypto';
import { isShopDomain } from './shop-domain.js';

const MAX_SKEW_SECONDS = 90;

/**
 * Shopify's HMAC on the query of a redirect to the app (the OAuth callback, the app's home): every
 * parameter but `hmac` and `signature`, sorted by key, form-encoded and joined with `&`, then
 * HMAC-SHA256 with the app secret, hex (as @shopify/shopify-api's validateHmac computes it).
 */
export function shopifyQueryHmac(params: URLSearchParams, secret: string): string {
  const signed = [...params].filter(([key]) => key !== 'hmac' && key !== 'signature').sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return createHmac('sha256', secret).update(new URLSearchParams(signed).toString()).digest('hex');
}

/** The shop a signed redirect query names, or undefined with anything wrong: hmac, shop, or a timestamp more than 90 s away. */
export function verifiedShopOfQuery(query: string, secret: string, now: Date): string | undefined {
  const params = new URLSearchParams(query);
  const hmac = params.get('hmac') ?? '';
  const shop = params.get('shop') ?? '';
  const timestamp = params.get('timestamp') ?? '';
  if (!/^[0-9a-f]{64}$/.test(hmac) || params.getAll('hmac').length > 1 || params.getAll('shop').length > 1) return undefined;
  if (!isShopDomain(shop) || !/^\d{1,12}$/.test(timestamp)) return undefined;
  if (!timingSafeEqual(Buffer.from(shopifyQueryHmac(params, secret), 'hex'), Buffer.from(hmac, 'hex'))) return undefined;
  if (Math.abs(now.getTime() / 1000 - Number(timestamp)) > MAX_SKEW_SECONDS) return undefined;
  return shop;
}

import type { Config } from '../platform/config.js';

const SHOP_DOMAIN = /^[a-z0-9][a-z0-9-]{0,60}\.myshopify\.com$/;

/** A shop's permanent domain as Shopify writes it: `name.myshopify.com`. */
export function isShopDomain(value: unknown): value is string {
  return typeof value === 'string' && SHOP_DOMAIN.test(value);
}

/**
 * Where the app reaches a shop's Admin API and token exchange. Production and real-store mode:
 * `https://{shop}` as Shopify documents. Devstore mode: every shop is served by the devstore
 * mounted on the app itself. This is the one place that knows.
 */
export function shopifyOrigin(config: Config, shop: string): string {
  return config.shopify === 'shopify' ? `https://${shop}` : `${config.appUrl}/devstore/shops/${shop}`;
}

/** The app embedded in a shop's admin, where a merchant lands after installing or opening it. */
export function embeddedAppUrl(config: Config, shop: string): string {
  return config.shopify === 'shopify' ? `https://${shop}/admin/apps/${config.shopifyApiKey}` : `${shopifyOrigin(config, shop)}/admin`;
}

export const ADMIN_API_VERSION = '2026-10';

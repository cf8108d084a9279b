/**
 * App Bridge as Shopify's admin provides it (the `shopify` global from app-bridge.js): session
 * tokens for every API call. In dev mode the devstore's admin frame provides the same global.
 */
interface ShopifyGlobal {
  idToken(): Promise<string>;
  config?: { shop?: string };
}

declare global {
  interface Window {
    shopify?: ShopifyGlobal;
  }
}

export async function idToken(): Promise<string> {
  if (!window.shopify) throw new Error('App Bridge is not loaded: open Tally from your Shopify admin');
  return window.shopify.idToken();
}

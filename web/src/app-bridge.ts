/**
 * App Bridge as Shopify's admin provides it (the `shopify` global from app-bridge.js): session
 * tokens for every API call, the resource picker, the save bar and its leave confirmation. In dev
 * mode the devstore's admin frame provides the same global.
 */
export type ResourceType = 'product' | 'variant' | 'collection';

/** The fields of a picked resource that Tally reads (Shopify returns many more). */
export interface PickedResource {
  id: string;
  title: string;
  displayName?: string;
  price?: string;
  variants?: Array<{ id?: string; price?: string; title?: string }>;
}

interface ShopifyGlobal {
  idToken(): Promise<string>;
  config?: { shop?: string };
  resourcePicker?(options: {
    type: ResourceType;
    action?: 'add' | 'select';
    multiple?: boolean;
    selectionIds?: Array<{ id: string }>;
  }): Promise<PickedResource[] | undefined>;
  saveBar?: { show(id: string): Promise<void>; hide(id: string): Promise<void>; leaveConfirmation(): Promise<void> };
}

declare global {
  interface Window {
    shopify?: ShopifyGlobal;
  }
}

function bridge(): ShopifyGlobal {
  if (!window.shopify) throw new Error('App Bridge is not loaded: open Tally from your Shopify admin');
  return window.shopify;
}

export async function idToken(): Promise<string> {
  return bridge().idToken();
}

/** The staff member using the admin: the session token's `sub` (Shopify's user id). */
export async function currentStaffId(): Promise<string | null> {
  const payload = (await idToken()).split('.')[1];
  if (!payload) return null;
  const claims = JSON.parse(atob(payload.replace(/-/g, '+').replace(/_/g, '/'))) as { sub?: unknown };
  return typeof claims.sub === 'string' ? claims.sub : null;
}

/** Opens Shopify's resource picker for one resource; undefined when the merchant cancels. */
export async function pickResource(type: ResourceType, selectedId?: string): Promise<PickedResource | undefined> {
  const picker = bridge().resourcePicker;
  if (!picker) throw new Error('This admin has no resource picker');
  const picked = await picker({ type, action: 'select', multiple: false, selectionIds: selectedId ? [{ id: selectedId }] : [] });
  return picked?.[0];
}

/** Resolves once the merchant may leave: at once without a visible save bar, after they confirm with one. */
export function leaveConfirmation(): Promise<void> {
  return window.shopify?.saveBar?.leaveConfirmation() ?? Promise.resolve();
}

export function showSaveBar(id: string, visible: boolean): void {
  const saveBar = window.shopify?.saveBar;
  if (saveBar) void (visible ? saveBar.show(id) : saveBar.hide(id));
}

/** Shopify's global ids end with the numeric id the program stores. */
export function numericId(gid: string): string {
  return gid.slice(gid.lastIndexOf('/') + 1);
}

import { signAppProxyQuery } from '../../server/shopify/app-proxy.js';
import { signSessionToken } from '../../devstore/session-token.js';
import type { WebhookEvent } from '../../devstore/webhooks.js';
import type { TestApp } from './app.js';

export function devstoreOf(app: TestApp) {
  if (!app.devstore) throw new Error('the test app runs without a devstore');
  return app.devstore;
}

export function sessionToken(
  app: TestApp,
  shop: string,
  options: { userId?: string; now?: Date; ttlSeconds?: number; claims?: Record<string, unknown>; secret?: string } = {},
): string {
  return signSessionToken({
    shop,
    apiKey: app.config.shopifyApiKey,
    apiSecret: options.secret ?? app.config.shopifyApiSecret,
    userId: options.userId,
    now: options.now,
    ttlSeconds: options.ttlSeconds,
    claims: options.claims,
  });
}

/** Calls the admin API as the embedded admin does, with a fresh session token of `shop`. */
export async function api(
  app: TestApp,
  shop: string,
  path: string,
  init: { method?: string; body?: unknown; userId?: string } = {},
): Promise<Response> {
  return fetch(`${app.url}/api${path}`, {
    method: init.method ?? 'GET',
    headers: {
      Authorization: `Bearer ${sessionToken(app, shop, { userId: init.userId })}`,
      ...(init.body !== undefined ? { 'Content-Type': 'application/json' } : {}),
    },
    body: init.body !== undefined ? JSON.stringify(init.body) : undefined,
  });
}

/** Creates the shop in the devstore and installs the app there through the first session token. */
export async function installShop(app: TestApp, shop: string, options: { currency?: string } = {}): Promise<void> {
  devstoreOf(app).ensureShop(shop, options);
  const response = await api(app, shop, '/program');
  if (response.status !== 200) throw new Error(`install of ${shop} failed: ${response.status} ${await response.text()}`);
}

/** Delivers events and waits until the worker has handled everything in the inbox. */
export async function deliverAndDrain(app: TestApp, events: WebhookEvent[], options: { duplicate?: number; shuffle?: boolean } = {}): Promise<void> {
  const report = await devstoreOf(app).send(events, { ...options, retryDelaysMs: [] });
  if (report.failed > 0) throw new Error(`${report.failed} deliveries were not acknowledged: ${JSON.stringify(report.statuses)}`);
  await app.worker.drain();
}

/** Calls the app proxy as Shopify forwards a storefront request: signed query, logged-in customer or guest. */
export async function proxy(
  app: TestApp,
  shop: string,
  path: string,
  init: { customerId?: string | number | null; method?: string; body?: unknown; timestamp?: number; extra?: Record<string, string> } = {},
): Promise<Response> {
  const query = signAppProxyQuery(
    {
      shop,
      logged_in_customer_id: init.customerId === undefined || init.customerId === null ? '' : String(init.customerId),
      path_prefix: '/apps/loyalty',
      timestamp: String(init.timestamp ?? Math.floor(Date.now() / 1000)),
      ...init.extra,
    },
    app.config.shopifyApiSecret,
  );
  return fetch(`${app.url}/proxy${path}?${query}`, {
    method: init.method ?? 'GET',
    headers: init.body !== undefined ? { 'Content-Type': 'application/json' } : {},
    body: init.body !== undefined ? JSON.stringify(init.body) : undefined,
  });
}

/** Grants points through the admin's manual adjustment. */
export async function grantPoints(app: TestApp, shop: string, customerId: number | string, points: number): Promise<void> {
  const response = await api(app, shop, `/customers/${customerId}/adjustments`, { method: 'POST', body: { points, reason: 'test grant' } });
  if (response.status !== 201) throw new Error(`grant failed: ${response.status} ${await response.text()}`);
}

/** Installs the shop and launches its default program, as a merchant past onboarding has it. */
export async function onboardShop(app: TestApp, shop: string): Promise<void> {
  await installShop(app, shop);
  const program = (await (await api(app, shop, '/program')).json()) as Record<string, unknown>;
  const saved = await api(app, shop, '/program', { method: 'PUT', body: { ...program, onboarded: true } });
  if (saved.status !== 200) throw new Error(`onboarding ${shop} failed: ${saved.status} ${await saved.text()}`);
}

import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createInterface } from 'node:readline';
import express from 'express';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { customerPayload } from '../../devstore/payloads.js';
import { createDevstore } from '../../devstore/router.js';
import { signSessionToken } from '../../devstore/session-token.js';
import type { DevCustomer } from '../../devstore/state.js';
import { deliver, newEvent } from '../../devstore/webhooks.js';
import { DEV_API_KEY, DEV_API_SECRET } from '../../server/platform/config.js';
import { shopifyQueryHmac } from '../../server/shopify/query-hmac.js';
import { startTestApp, type TestApp } from '../support/app.js';
import { freshDbName, sharedDatabase } from '../support/database.js';
import { stopAppProcess } from '../support/processes.js';

const API_KEY = 'made-up-client-id';
const API_SECRET = 'made-up-client-secret';
const TUNNEL = 'https://example.trycloudflare.com';
const SHOP = 'tally-real.myshopify.com';

/** What `shopify app dev` (Shopify CLI 4.8.2) passes the web process, less the ports. */
const CLI_ENV = {
  SHOPIFY_API_KEY: API_KEY,
  SHOPIFY_API_SECRET: API_SECRET,
  HOST: TUNNEL,
  APP_URL: TUNNEL,
  SCOPES:
    'read_orders,read_customers,write_customers,read_products,write_discounts,read_discounts,write_store_credit_account_transactions,read_store_credit_accounts,write_app_proxy',
  NODE_ENV: 'development',
  APP_ENV: 'development',
};

const realFetch = globalThis.fetch;

const customer = (id: number, email: string): DevCustomer => ({ id, email, firstName: 'Ada', lastName: 'Lovelace', phone: null, tags: [] });

describe('real-store mode: the app as `shopify app dev` starts it, with a made-up key and secret', () => {
  let app: TestApp;
  let local: string;
  let shopify: Server;
  /** Every request the app sent to a shop, as the URL it addressed. */
  const shopifyCalls: string[] = [];

  beforeAll(async () => {
    app = await startTestApp('real-store', CLI_ENV);
    local = `http://127.0.0.1:${app.port}`;

    // Shopify's side, played by the devstore on a server of its own (it knows the app's secret, as
    // Shopify does); the app's fetch of https://{shop}/... is observed and answered there, so no
    // request leaves the machine.
    const shopifyStandIn = createDevstore({ appUrl: local, apiKey: API_KEY, apiSecret: API_SECRET });
    shopifyStandIn.devstore.ensureShop(SHOP, { currency: 'EUR' });
    shopify = createServer(express().use(shopifyStandIn.router));
    await new Promise<void>((resolve) => shopify.listen(0, '127.0.0.1', resolve));
    const standIn = `http://127.0.0.1:${(shopify.address() as AddressInfo).port}`;
    vi.stubGlobal('fetch', async (input: string | URL | Request, init?: RequestInit) => {
      const url = new URL(input instanceof Request ? input.url : input);
      if (!url.hostname.endsWith('.myshopify.com')) return realFetch(input, init);
      shopifyCalls.push(url.href);
      return realFetch(`${standIn}/devstore/shops/${url.hostname}${url.pathname}${url.search}`, init);
    });
  });

  afterAll(async () => {
    vi.unstubAllGlobals();
    await app?.close();
    await new Promise((resolve) => shopify?.close(resolve));
  });

  it('takes the tunnel URL from HOST, listens on loopback and runs no devstore: /devstore is 404', async () => {
    expect(app.config).toMatchObject({ shopify: 'shopify', appUrl: TUNNEL, host: '127.0.0.1' });
    expect(app.devstore).toBeUndefined();
    expect((await realFetch(`${local}/healthz`)).status).toBe(200);
    for (const page of ['/devstore', `/devstore/shops/${SHOP}/admin/id-token`, '/devstore/app-bridge.js']) {
      expect({ page, status: (await realFetch(`${local}${page}`)).status }).toEqual({ page, status: 404 });
    }
  });

  it("verifies a webhook signed with the app's secret and refuses one signed with the dev secret", async () => {
    const event = newEvent(SHOP, 'customers/create', customerPayload(customer(7_100_001, 'ada@example.com')), new Date());
    expect((await deliver(local, API_SECRET, [event], { retryDelaysMs: [] })).statuses).toEqual({ 200: 1 });
    const forged = newEvent(SHOP, 'customers/create', customerPayload(customer(7_100_002, 'eve@example.com')), new Date());
    expect((await deliver(local, DEV_API_SECRET, [forged], { retryDelaysMs: [] })).statuses).toEqual({ 401: 1 });
  });

  it("serves the admin page with Shopify's App Bridge from Shopify's CDN, the app's key and frame-ancestors the shop and Shopify's admin", async () => {
    const response = await realFetch(`${local}/?shop=${SHOP}&host=YWRtaW4uc2hvcGlmeS5jb20vc3RvcmUvdGFsbHktcmVhbA&embedded=1`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-security-policy')).toBe(`frame-ancestors https://${SHOP} https://admin.shopify.com;`);
    const page = await response.text();
    expect(page).toContain('<script src="https://cdn.shopify.com/shopifycloud/app-bridge.js"></script>');
    expect(page).toContain(`<meta name="shopify-api-key" content="${API_KEY}" />`);
    expect(page).not.toContain('/devstore/');
  });

  it('installs a shop from its first session token: token exchange and Admin GraphQL addressed to https://{shop}/admin/...', async () => {
    const token = signSessionToken({ shop: SHOP, apiKey: API_KEY, apiSecret: API_SECRET });
    const response = await realFetch(`${local}/api/program`, { headers: { Authorization: `Bearer ${token}` } });
    expect(response.status).toBe(200);
    expect(shopifyCalls).toContain(`https://${SHOP}/admin/oauth/access_token`);
    expect(shopifyCalls).toContain(`https://${SHOP}/admin/api/2026-10/graphql.json`);
    expect(shopifyCalls.every((call) => call.startsWith(`https://${SHOP}/admin/`))).toBe(true);
  });

  it("sends a merchant whom Shopify redirects to the auth callback on to the app in the shop's admin; an unsigned, dev-signed or stale redirect is refused", async () => {
    const signed = (secret: string, timestamp: number): string => {
      const params = new URLSearchParams({
        code: 'a1b2',
        host: 'YWRtaW4uc2hvcGlmeS5jb20vc3RvcmUvdGFsbHktcmVhbA',
        shop: SHOP,
        state: 'x',
        timestamp: String(timestamp),
      });
      params.set('hmac', shopifyQueryHmac(params, secret));
      return `${local}/auth/callback?${params}`;
    };
    const now = Math.floor(Date.now() / 1000);
    const response = await realFetch(signed(API_SECRET, now), { redirect: 'manual' });
    expect(response.status).toBe(302);
    expect(response.headers.get('location')).toBe(`https://${SHOP}/admin/apps/${API_KEY}`);
    for (const url of [signed(DEV_API_SECRET, now), signed(API_SECRET, now - 3_600), `${local}/auth/callback?shop=${SHOP}`]) {
      expect((await realFetch(url, { redirect: 'manual' })).status).toBe(401);
    }
  });

  it('refuses a session token signed with the dev secret, or for the dev key', async () => {
    const devSigned = signSessionToken({ shop: SHOP, apiKey: API_KEY, apiSecret: DEV_API_SECRET });
    const devKey = signSessionToken({ shop: SHOP, apiKey: DEV_API_KEY, apiSecret: API_SECRET });
    for (const token of [devSigned, devKey]) {
      expect((await realFetch(`${local}/api/program`, { headers: { Authorization: `Bearer ${token}` } })).status).toBe(401);
    }
  });
});

describe('server/main.ts started with the environment of `shopify app dev`', () => {
  let child: ChildProcess | undefined;
  const dataDir = mkdtempSync(path.join(tmpdir(), 'tally-real-store-'));
  afterAll(async () => {
    if (child) await stopAppProcess({ child, url: '' });
    await rm(dataDir, { recursive: true, force: true });
  });

  it('starts in real-store mode, says which mode and why, warns that SCOPES disagrees with shopify.app.toml, and serves no devstore', async () => {
    const uri = `${sharedDatabase().uri.replace(/\/$/, '')}/${freshDbName('real-main')}`;
    child = spawn(process.execPath, ['--import', 'tsx', 'server/main.ts'], {
      env: {
        PATH: process.env.PATH,
        ...CLI_ENV,
        SCOPES: 'read_orders',
        PORT: '0',
        BACKEND_PORT: '0',
        MONGODB_URI: uri,
        DATA_DIR: dataDir,
        LOG_LEVEL: 'info',
      },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    const warnings: string[] = [];
    let listening: { msg: string; shopify?: string; why?: string; port?: number; open?: string[] } | undefined;
    for await (const line of createInterface({ input: child.stdout! })) {
      const entry = JSON.parse(line) as { level: number; msg: string };
      if (entry.level === 40) warnings.push(entry.msg);
      if (entry.msg.startsWith('Tally listening')) {
        listening = entry;
        break;
      }
    }
    child.stdout!.resume();
    expect(listening).toMatchObject({ shopify: 'shopify', open: [`${TUNNEL}/healthz`] });
    expect(listening!.msg).toContain(`Tally listening on ${TUNNEL}`);
    expect(listening!.why).toMatch(/^real-store mode: SHOPIFY_API_SECRET is the app's own secret/);
    expect(
      warnings.some((warning) =>
        /^SCOPES \(read_orders\) disagrees with .*shopify\.app\.toml's access_scopes; missing read_customers,/.test(warning),
      ),
    ).toBe(true);
    expect(warnings.some((warning) => warning.includes('built-in dev credentials'))).toBe(false);
    expect((await realFetch(`http://127.0.0.1:${listening!.port}/healthz`)).status).toBe(200);
    expect((await realFetch(`http://127.0.0.1:${listening!.port}/devstore`)).status).toBe(404);
  });
});

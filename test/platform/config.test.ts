import { describe, expect, it } from 'vitest';
import { ConfigError, DEV_API_KEY, DEV_API_SECRET, loadConfig } from '../../server/platform/config.js';

describe('config', () => {
  it('runs in dev mode on port 3000 with dev credentials and ./.data by default', () => {
    const config = loadConfig({}, '/srv/tally');
    expect(config).toMatchObject({
      mode: 'development',
      port: 3000,
      appUrl: 'http://localhost:3000',
      shopifyApiKey: DEV_API_KEY,
      usingDevCredentials: true,
      mongodbUri: undefined,
      dataDir: '/srv/tally/.data',
    });
  });

  it('derives the app URL from PORT', () => {
    expect(loadConfig({ PORT: '4100' }).appUrl).toBe('http://localhost:4100');
  });

  it('refuses to start in production without credentials and MONGODB_URI, naming each variable', () => {
    let error: unknown;
    try {
      loadConfig({ NODE_ENV: 'production' });
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const names = (error as ConfigError).problems.map((problem) => problem.split(':')[0]);
    // TOKEN_ENCRYPTION_KEY: production encrypts offline tokens at rest (issue 14, item 3).
    expect(names).toEqual(['SHOPIFY_API_KEY', 'SHOPIFY_API_SECRET', 'SHOPIFY_APP_URL', 'MONGODB_URI', 'TOKEN_ENCRYPTION_KEY']);
  });

  it('starts in production when every required variable is given', () => {
    const config = loadConfig({
      NODE_ENV: 'production',
      SHOPIFY_API_KEY: 'key',
      SHOPIFY_API_SECRET: 'secret',
      SHOPIFY_APP_URL: 'https://tally.example.com/',
      MONGODB_URI: 'mongodb://db.example.com:27017/tally?replicaSet=rs0',
      TOKEN_ENCRYPTION_KEY: Buffer.alloc(32, 7).toString('base64'),
    });
    expect(config).toMatchObject({ mode: 'production', appUrl: 'https://tally.example.com', usingDevCredentials: false });
  });

  it('names the variable and what it expected for a malformed value', () => {
    expect(() => loadConfig({ PORT: 'eighty' })).toThrow(/PORT: expected a whole number/);
    expect(() => loadConfig({ MONGODB_URI: 'postgres://x' })).toThrow(/MONGODB_URI: expected a connection string/);
  });

  it('names the mode and why, for the start-up log', () => {
    expect(loadConfig({}).modeReason).toMatch(/^devstore mode: no SHOPIFY_API_SECRET/);
    expect(loadConfig({ SHOPIFY_API_SECRET: DEV_API_SECRET }).modeReason).toMatch(/^devstore mode: SHOPIFY_API_SECRET is the built-in dev secret/);
    expect(loadConfig({ SHOPIFY_API_KEY: 'k', SHOPIFY_API_SECRET: 's' }).modeReason).toMatch(
      /^real-store mode: SHOPIFY_API_SECRET is the app's own secret/,
    );
  });
});

/** What `shopify app dev` passes a web process (Shopify CLI 4.8.2), with a made-up key and secret. */
const CLI_ENV = {
  SHOPIFY_API_KEY: 'made-up-client-id',
  SHOPIFY_API_SECRET: 'made-up-client-secret',
  HOST: 'https://example.trycloudflare.com',
  APP_URL: 'https://example.trycloudflare.com',
  SCOPES: 'read_orders,read_customers',
  NODE_ENV: 'development',
  BACKEND_PORT: '51234',
  FRONTEND_PORT: '51234',
  PORT: '51234',
  APP_ENV: 'development',
};

describe("Shopify CLI's environment", () => {
  it('starts real-store mode from what `shopify app dev` passes: HOST is the app URL, not a bind address', () => {
    expect(loadConfig(CLI_ENV)).toMatchObject({
      mode: 'development',
      shopify: 'shopify',
      appUrl: 'https://example.trycloudflare.com',
      host: '127.0.0.1',
      port: 51234,
      shopifyApiKey: 'made-up-client-id',
      shopifyApiSecret: 'made-up-client-secret',
      scopes: ['read_orders', 'read_customers'],
      usingDevCredentials: false,
    });
  });

  it('reads the app URL from SHOPIFY_APP_URL, else APP_URL, else HOST when it is a URL', () => {
    const urls = { SHOPIFY_APP_URL: 'https://a.example.com', APP_URL: 'https://b.example.com', HOST: 'https://c.example.com' };
    expect(loadConfig(urls).appUrl).toBe('https://a.example.com');
    expect(loadConfig({ ...urls, SHOPIFY_APP_URL: undefined }).appUrl).toBe('https://b.example.com');
    expect(loadConfig({ HOST: 'https://c.example.com/' }).appUrl).toBe('https://c.example.com');
    expect(loadConfig({ HOST: 'https://c.example.com' }).host).toBe('127.0.0.1');
    expect(loadConfig({ HOST: '127.0.0.1', PORT: '4100' })).toMatchObject({ host: '127.0.0.1', appUrl: 'http://localhost:4100' });
  });

  it('takes the port from PORT, else BACKEND_PORT', () => {
    expect(loadConfig({ BACKEND_PORT: '4200' }).port).toBe(4200);
    expect(loadConfig({ PORT: '4100', BACKEND_PORT: '4200' }).port).toBe(4100);
    expect(() => loadConfig({ BACKEND_PORT: 'x' })).toThrow(/BACKEND_PORT: expected a whole number/);
  });

  it('accepts the production app URL from APP_URL or HOST too, and still requires https', () => {
    const production = {
      NODE_ENV: 'production',
      SHOPIFY_API_KEY: 'key',
      SHOPIFY_API_SECRET: 'secret',
      MONGODB_URI: 'mongodb://db.example.com:27017/tally?replicaSet=rs0',
      TOKEN_ENCRYPTION_KEY: Buffer.alloc(32, 7).toString('base64'),
    };
    expect(loadConfig({ ...production, APP_URL: 'https://tally.example.com' }).appUrl).toBe('https://tally.example.com');
    expect(loadConfig({ ...production, HOST: 'https://tally.example.com' }).appUrl).toBe('https://tally.example.com');
    expect(() => loadConfig({ ...production, HOST: 'http://tally.example.com' })).toThrow(/SHOPIFY_APP_URL: production requires an https URL/);
  });

  it('names HOST, APP_URL and SCOPES when they are malformed', () => {
    expect(() => loadConfig({ HOST: 'not a host' })).toThrow(/HOST: expected an address or host name to bind to .*or the app URL/);
    expect(() => loadConfig({ APP_URL: 'tally' })).toThrow(/APP_URL: expected an absolute URL/);
    expect(() => loadConfig({ SCOPES: 'read_orders; drop table' })).toThrow(/SCOPES: expected access scopes separated by commas/);
  });
});

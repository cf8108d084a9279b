import { describe, expect, it } from 'vitest';
import { ConfigError, DEV_API_KEY, loadConfig } from '../../server/platform/config.js';

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
});

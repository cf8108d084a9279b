import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bootTally, type RunningApp } from '../../server/boot.js';
import { loadConfig } from '../../server/platform/config.js';
import { createApp } from '../../server/platform/http-app.js';
import { createLogger } from '../../server/platform/logger.js';
import { signAppProxyQuery } from '../../server/shopify/app-proxy.js';
import { signSessionToken } from '../../devstore/session-token.js';
import { freshDbName, sharedDatabase } from '../support/database.js';
import { testContext } from '../support/context.js';

/** Every line the app's logger writes, parsed. */
const pathOf = (line: Record<string, unknown>) => (line.req as { path?: string } | undefined)?.path ?? '';
/** The devstore (Shopify's stand-in, served by the same app in dev mode) answers the install's token exchange. */
const appLines = (lines: Array<Record<string, unknown>>) => lines.filter((line) => !pathOf(line).startsWith('/devstore'));

class LogCapture extends Writable {
  readonly lines: Array<Record<string, unknown>> = [];
  override _write(chunk: Buffer, _encoding: string, done: () => void): void {
    for (const line of chunk.toString('utf8').split('\n').filter(Boolean)) this.lines.push(JSON.parse(line) as Record<string, unknown>);
    done();
  }
  text(): string {
    return this.lines.map((line) => JSON.stringify(line)).join('\n');
  }
}

const shop = 'logs.myshopify.com';
const offlineToken = 'shpat_0123456789abcdefdeadbeefcafe';
const cookie = 'session=very-secret-cookie-value';

async function bootWithLog(level: string): Promise<{ app: RunningApp; log: LogCapture }> {
  const log = new LogCapture();
  const config = loadConfig({ PORT: '0', LOG_LEVEL: level });
  const app = await bootTally({ config, logger: createLogger(level, log), database: sharedDatabase(), dbName: freshDbName(`http-${level}`) });
  app.devstore!.ensureShop(shop);
  return { app, log };
}

/** An admin call, a storefront call through the app proxy and an extension call, each with its secrets. */
async function sendSecrets(app: RunningApp): Promise<{ sessionToken: string; signature: string; checkoutToken: string }> {
  const { shopifyApiKey: apiKey, shopifyApiSecret: apiSecret } = app.ctx.config;
  const sessionToken = signSessionToken({ shop, apiKey, apiSecret });
  expect(
    (
      await fetch(`${app.url}/api/program`, {
        headers: { Authorization: `Bearer ${sessionToken}`, Cookie: cookie, 'X-Shopify-Access-Token': offlineToken },
      })
    ).status,
  ).toBe(200);
  const query = signAppProxyQuery(
    { shop, logged_in_customer_id: '4242', path_prefix: '/apps/loyalty', timestamp: String(Math.floor(Date.now() / 1000)) },
    apiSecret,
  );
  const signature = new URLSearchParams(query).get('signature')!;
  expect((await fetch(`${app.url}/proxy/customer?${query}`, { headers: { Cookie: cookie } })).status).toBe(200);
  const checkoutToken = signSessionToken({
    shop,
    apiKey,
    apiSecret,
    claims: { iss: undefined, sid: undefined, dest: shop, sub: 'gid://shopify/Customer/4242' },
  });
  expect((await fetch(`${app.url}/extensions/customer`, { headers: { Authorization: `Bearer ${checkoutToken}` } })).status).toBe(200);
  return { sessionToken, signature, checkoutToken };
}

describe('request logs carry no secrets', () => {
  let info: { app: RunningApp; log: LogCapture };
  let debug: { app: RunningApp; log: LogCapture };
  beforeAll(async () => {
    info = await bootWithLog('info');
    debug = await bootWithLog('debug');
  });
  afterAll(async () => {
    await info?.app.close();
    await debug?.app.close();
  });

  it('at info: one line per request with method and path, no header, no query, no token', async () => {
    const before = info.log.lines.length;
    const secrets = await sendSecrets(info.app);
    const lines = info.log.lines.slice(before);
    const completed = appLines(lines).filter((line) => line.msg === 'request completed');
    expect(completed.map(pathOf)).toEqual(['/api/program', '/proxy/customer', '/extensions/customer']);
    expect(lines.every((line) => line.level === 30)).toBe(true);
    const text = JSON.stringify(lines);
    for (const secret of [
      secrets.sessionToken,
      secrets.signature,
      secrets.checkoutToken,
      offlineToken,
      'very-secret-cookie-value',
      'logged_in_customer_id',
      'signature=',
    ]) {
      expect(text).not.toContain(secret);
    }
    expect(text).not.toContain('"headers"');
  });

  it('at debug: headers and query appear, with every credential redacted', async () => {
    const before = debug.log.lines.length;
    const secrets = await sendSecrets(debug.app);
    const lines = debug.log.lines.slice(before);
    const headerLines = appLines(lines).filter((line) => line.msg === 'request headers') as Array<{
      headers: Record<string, string>;
      query: Record<string, string>;
    }>;
    expect(headerLines).toHaveLength(3);
    expect(headerLines[0]!.headers).toMatchObject({ authorization: '[Redacted]', cookie: '[Redacted]', 'x-shopify-access-token': '[Redacted]' });
    expect(headerLines[1]!.query).toMatchObject({ signature: '[Redacted]', shop });
    expect(headerLines[2]!.headers.authorization).toBe('[Redacted]');
    const text = debug.log.text();
    for (const secret of [secrets.sessionToken, secrets.signature, secrets.checkoutToken, offlineToken, 'very-secret-cookie-value'])
      expect(text).not.toContain(secret);
  });

  it('a logged object that carries headers is redacted by the logger itself', () => {
    const log = new LogCapture();
    createLogger('info', log).info(
      { response: { headers: { authorization: 'Bearer leaked', 'x-shopify-access-token': offlineToken } } },
      'outbound call',
    );
    expect(log.text()).not.toContain('leaked');
    expect(log.text()).not.toContain(offlineToken);
  });
});

describe('security headers', () => {
  let app: RunningApp;
  beforeAll(async () => {
    app = (await bootWithLog('silent')).app;
  });
  afterAll(async () => {
    await app?.close();
  });

  it('every answer says nosniff and no-referrer; dev mode sends no HSTS', async () => {
    const answers = await Promise.all([
      fetch(`${app.url}/healthz`),
      fetch(`${app.url}/api/program`),
      fetch(`${app.url}/proxy/customer?shop=x`),
      fetch(`${app.url}/extensions/customer`),
      fetch(`${app.url}/no-such-page`),
    ]);
    expect(answers.map((response) => response.status)).toEqual([200, 401, 401, 401, 404]);
    for (const response of answers) {
      expect(response.headers.get('x-content-type-options')).toBe('nosniff');
      expect(response.headers.get('referrer-policy')).toBe('no-referrer');
      expect(response.headers.get('strict-transport-security')).toBeNull();
    }
  });

  it('production answers carry HSTS', async () => {
    const ctx = await testContext('http-production');
    const server: Server = createServer(createApp({ ...ctx, config: { ...ctx.config, mode: 'production' } }, []));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const response = await fetch(`http://127.0.0.1:${(server.address() as AddressInfo).port}/healthz`);
      expect(response.headers.get('strict-transport-security')).toBe('max-age=31536000; includeSubDomains');
      expect(response.headers.get('x-content-type-options')).toBe('nosniff');
    } finally {
      server.close();
      await ctx.connection.close();
    }
  });
});

import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { builtinModules } from 'node:module';
import { networkInterfaces } from 'node:os';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildServer, DEV_ONLY_PACKAGES } from '../../scripts/build-server.js';
import { ConfigError, DEV_API_KEY, DEV_API_SECRET, loadConfig } from '../../server/platform/config.js';
import { startTestApp, type TestApp } from '../support/app.js';
import { freshDbName, sharedDatabase } from '../support/database.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

const PRODUCTION = {
  NODE_ENV: 'production',
  SHOPIFY_API_KEY: 'live-client-id',
  SHOPIFY_API_SECRET: 'live-client-secret',
  SHOPIFY_APP_URL: 'https://tally.example.com',
  MONGODB_URI: 'mongodb://db.example.com:27017/tally?replicaSet=rs0',
  TOKEN_ENCRYPTION_KEY: randomBytes(32).toString('base64'),
};

/** The variables a ConfigError names, in order. */
function refusedVariables(env: NodeJS.ProcessEnv): string[] {
  try {
    loadConfig(env);
  } catch (error) {
    if (error instanceof ConfigError) return error.problems.map((problem) => problem.split(':')[0]!);
    throw error;
  }
  return [];
}

describe('item 8: the mode and what each mode requires', () => {
  it('refuses any NODE_ENV but production, development and test, naming the variable', () => {
    for (const value of ['PRODUCTION', 'prod', 'Production', 'staging', 'dev']) {
      expect({ value, refused: refusedVariables({ NODE_ENV: value }) }).toEqual({ value, refused: ['NODE_ENV'] });
    }
    expect(() => loadConfig({ NODE_ENV: 'prod' })).toThrow(/NODE_ENV: expected production, development or test/);
  });

  it('runs development for development, test or no NODE_ENV, and production only for production', () => {
    for (const value of [undefined, '', 'development', 'test']) expect(loadConfig({ NODE_ENV: value }).mode).toBe('development');
    expect(loadConfig(PRODUCTION).mode).toBe('production');
  });

  it('binds dev mode to loopback by default; production binds every interface by default', () => {
    expect(loadConfig({}).host).toBe('127.0.0.1');
    expect(loadConfig({ HOST: '::1' }).host).toBe('::1');
    expect(loadConfig({ HOST: 'localhost' }).host).toBe('localhost');
    expect(loadConfig(PRODUCTION).host).toBeUndefined();
    expect(loadConfig({ ...PRODUCTION, HOST: '10.0.0.5' }).host).toBe('10.0.0.5');
  });

  // Issue 23, finding 4: with the devstore on, anyone who reaches the port can take admin session
  // tokens for any shop from /devstore/shops/<shop>/admin/id-token.
  it('refuses HOST=0.0.0.0 (or any address but loopback) while the devstore runs, saying why and what to do instead', () => {
    for (const host of ['0.0.0.0', '::', '192.168.1.20', 'tally.local', '[::]']) {
      expect({ host, refused: refusedVariables({ HOST: host }) }).toEqual({ host, refused: ['HOST'] });
      expect({ host, refused: refusedVariables({ HOST: host, SHOPIFY_API_SECRET: DEV_API_SECRET }) }).toEqual({ host, refused: ['HOST'] });
    }
    expect(() => loadConfig({ HOST: '0.0.0.0' })).toThrow(
      /HOST: devstore mode listens on loopback only .*got 0\.0\.0\.0.*SHOPIFY_API_SECRET \(real-store mode\) or NODE_ENV=production/,
    );
    for (const host of ['127.0.0.1', '127.0.0.2', '::1', 'localhost']) expect(loadConfig({ HOST: host }).host).toBe(host);
  });

  it('stops `server/main.ts` with HOST=0.0.0.0 before anything listens: exit 78 and the reason on stderr', { timeout: 60_000 }, async () => {
    const result = await new Promise<{ code: number | null; stderr: string }>((resolve) => {
      const child = execFile(process.execPath, ['--import', 'tsx', 'server/main.ts'], {
        cwd: root,
        env: { PATH: process.env.PATH, HOST: '0.0.0.0', PORT: '0', NODE_ENV: 'development' },
        timeout: 45_000,
      });
      let stderr = '';
      child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
      child.on('exit', (code) => resolve({ code, stderr }));
    });
    expect(result.code).toBe(78);
    expect(result.stderr).toMatch(/HOST: devstore mode listens on loopback only .* got 0\.0\.0\.0/);
  });

  it('lets real-store mode (no devstore) bind any interface', () => {
    expect(loadConfig({ HOST: '0.0.0.0', SHOPIFY_API_KEY: 'live-client-id', SHOPIFY_API_SECRET: 'live-client-secret' }).host).toBe('0.0.0.0');
  });

  it('runs the devstore only with the dev secret: a real secret in dev mode selects real-store mode, which needs the real key too', () => {
    expect(loadConfig({ SHOPIFY_API_KEY: 'live-client-id', SHOPIFY_API_SECRET: 'live-client-secret' }).shopify).toBe('shopify');
    expect(loadConfig({ NODE_ENV: 'test', SHOPIFY_API_KEY: 'live-client-id', SHOPIFY_API_SECRET: 'live-client-secret' }).shopify).toBe('shopify');
    expect(refusedVariables({ SHOPIFY_API_SECRET: 'live-client-secret' })).toEqual(['SHOPIFY_API_KEY']);
    expect(refusedVariables({ SHOPIFY_API_KEY: DEV_API_KEY, SHOPIFY_API_SECRET: 'live-client-secret' })).toEqual(['SHOPIFY_API_KEY']);
    expect(loadConfig({ SHOPIFY_API_SECRET: DEV_API_SECRET })).toMatchObject({ shopify: 'devstore', shopifyApiSecret: DEV_API_SECRET });
    expect(loadConfig({}).shopify).toBe('devstore');
  });

  it('requires production to have an https app URL, non-dev credentials, MONGODB_URI and TOKEN_ENCRYPTION_KEY', () => {
    expect(refusedVariables({ ...PRODUCTION, SHOPIFY_APP_URL: 'http://tally.example.com' })).toEqual(['SHOPIFY_APP_URL']);
    expect(refusedVariables({ ...PRODUCTION, SHOPIFY_API_KEY: DEV_API_KEY })).toEqual(['SHOPIFY_API_KEY']);
    expect(refusedVariables({ ...PRODUCTION, SHOPIFY_API_SECRET: DEV_API_SECRET })).toEqual(['SHOPIFY_API_SECRET']);
    expect(refusedVariables({ ...PRODUCTION, MONGODB_URI: undefined })).toEqual(['MONGODB_URI']);
    expect(refusedVariables({ ...PRODUCTION, TOKEN_ENCRYPTION_KEY: undefined })).toEqual(['TOKEN_ENCRYPTION_KEY']);
  });

  it('accepts TOKEN_ENCRYPTION_KEY only as comma-separated base64 32-byte keys', () => {
    const [first, second] = [randomBytes(32), randomBytes(32)];
    expect(loadConfig({ TOKEN_ENCRYPTION_KEY: `${first.toString('base64')}, ${second.toString('base64')}` }).tokenEncryptionKeys).toEqual([
      first,
      second,
    ]);
    for (const bad of [randomBytes(16).toString('base64'), 'not base64 at all', `${first.toString('base64')},`]) {
      expect({ bad, refused: refusedVariables({ TOKEN_ENCRYPTION_KEY: bad }) }).toEqual({ bad, refused: ['TOKEN_ENCRYPTION_KEY'] });
    }
  });

  describe('a dev-mode app', () => {
    let app: TestApp;
    beforeAll(async () => {
      app = await startTestApp('security-bind');
    });
    afterAll(async () => {
      await app.close();
    });

    const external = Object.values(networkInterfaces())
      .flat()
      .find((address) => address && address.family === 'IPv4' && !address.internal)?.address;

    it.skipIf(!external)("answers on loopback and not on the machine's other addresses", async () => {
      expect((await fetch(`http://127.0.0.1:${app.port}/healthz`)).status).toBe(200);
      await expect(fetch(`http://${external}:${app.port}/healthz`)).rejects.toThrow();
    });
  });
});

describe('item 15: production runs an ahead-of-time build with production dependencies only', () => {
  const outRoot = path.join(root, 'node_modules', '.cache', 'tally', `server-build-${randomBytes(4).toString('hex')}`);
  const outdir = path.join(outRoot, 'server');
  let child: ChildProcess | undefined;
  afterAll(async () => {
    if (child && child.exitCode === null) {
      const exited = new Promise((resolve) => child!.once('exit', resolve));
      child.kill('SIGTERM');
      await exited;
    }
    await rm(outRoot, { recursive: true, force: true });
  });

  it(
    'leaves the devstore, liquidjs, mongodb-memory-server and tsx out of the import graph, and imports only dependencies',
    { timeout: 120_000 },
    async () => {
      const metafile = await buildServer(outdir);
      const inputs = Object.keys(metafile.inputs);
      expect(inputs.filter((file) => file.startsWith('devstore/') || file.includes('node_modules/'))).toEqual([]);
      expect(inputs).toContain('server/main.ts');

      const imported = new Set(Object.values(metafile.outputs).flatMap((output) => output.imports.map((entry) => entry.path)));
      for (const input of Object.values(metafile.inputs)) for (const entry of input.imports) if (entry.external) imported.add(entry.path);
      const packages = [...imported].filter(
        (name) => !name.startsWith('node:') && !builtinModules.includes(name) && !name.startsWith('.') && !path.isAbsolute(name),
      );
      for (const devOnly of DEV_ONLY_PACKAGES) expect(packages.filter((name) => name === devOnly || name.startsWith(`${devOnly}/`))).toEqual([]);

      const manifest = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8')) as {
        dependencies: Record<string, string>;
        devDependencies: Record<string, string>;
      };
      const packageOf = (name: string) => (name.startsWith('@') ? name.split('/').slice(0, 2).join('/') : name.split('/')[0]!);
      expect(packages.map(packageOf).filter((name) => !(name in manifest.dependencies))).toEqual([]);
      for (const devOnly of DEV_ONLY_PACKAGES) {
        expect(manifest.dependencies).not.toHaveProperty(devOnly);
        expect(manifest.devDependencies).toHaveProperty(devOnly);
      }
    },
  );

  it('starts the built server in production on plain Node and answers /healthz', { timeout: 120_000 }, async () => {
    const uri = `${sharedDatabase().uri.replace(/\/$/, '')}/${freshDbName('sec-prod')}`;
    child = spawn(process.execPath, [path.join(outdir, 'main.js')], {
      cwd: root,
      env: { PATH: process.env.PATH, ...PRODUCTION, MONGODB_URI: uri, PORT: '0', HOST: '127.0.0.1', LOG_LEVEL: 'info' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let port: number | undefined;
    for await (const line of createInterface({ input: child.stdout! })) {
      const entry = JSON.parse(line) as { msg?: string; mode?: string; port?: number };
      if (entry.msg?.startsWith('Tally listening')) {
        expect(entry.mode).toBe('production');
        port = entry.port;
        break;
      }
    }
    expect(port).toEqual(expect.any(Number));
    const health = await fetch(`http://127.0.0.1:${port}/healthz`);
    expect(health.status).toBe(200);
    expect(await fetch(`http://127.0.0.1:${port}/devstore`).then((response) => response.status)).toBe(404);
  });
});

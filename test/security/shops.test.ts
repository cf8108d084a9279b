import { randomBytes } from 'node:crypto';
import { mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../server/platform/config.js';
import { hasOfflineToken, offlineAccessToken, tokenCipher, tokenCipherFor, tokenKeyId } from '../../server/shops/index.js';
import { devTokenKey } from '../../server/shops/token-cipher.js';
import { startTestApp, type TestApp } from '../support/app.js';
import { freshDbName } from '../support/database.js';
import { api, devstoreOf, installShop } from '../support/shopify.js';

const newKey = () => randomBytes(32);

describe('item 3: offline tokens are encrypted at rest', () => {
  const apps: TestApp[] = [];
  const dirs: string[] = [];
  afterAll(async () => {
    await Promise.all(apps.map((app) => app.close()));
    await Promise.all(dirs.map((dir) => rm(dir, { recursive: true, force: true })));
  });

  async function start(dbName: string, keys: Buffer[]): Promise<TestApp> {
    const app = await startTestApp('security-shops', { TOKEN_ENCRYPTION_KEY: keys.map((key) => key.toString('base64')).join(',') }, { dbName });
    apps.push(app);
    return app;
  }

  const rawShop = async (app: TestApp, shop: string) => {
    const found = await app.connection.db?.collection('shops').findOne({ shop });
    if (!found) throw new Error(`${shop} is not stored`);
    return found;
  };

  it('never stores the token in plain text in the shops collection', async () => {
    const app = await start(freshDbName('sec-shops'), [newKey()]);
    const shop = 'sec-sealed.myshopify.com';
    await installShop(app, shop);
    const [issued] = [...(devstoreOf(app).shop(shop)?.accessTokens.keys() ?? [])];
    expect(issued).toMatch(/^shpat_/);
    const stored = await rawShop(app, shop);
    expect(JSON.stringify(stored)).not.toContain(issued!);
    expect(JSON.stringify(stored)).not.toContain(issued!.slice(6, 20));
    expect(stored.encryptedAccessToken).toMatch(/^v1:[0-9a-f]{8}:/);
    expect(await offlineAccessToken(app.ctx, shop)).toBe(issued);
  });

  it("does not open one shop's sealed token on another shop's record", async () => {
    const app = await start(freshDbName('sec-shops'), [newKey()]);
    await installShop(app, 'sec-owner.myshopify.com');
    await installShop(app, 'sec-thief.myshopify.com');
    const sealed = (await rawShop(app, 'sec-owner.myshopify.com')).encryptedAccessToken as string;
    await app.connection.db?.collection('shops').updateOne({ shop: 'sec-thief.myshopify.com' }, { $set: { encryptedAccessToken: sealed } });
    await expect(offlineAccessToken(app.ctx, 'sec-thief.myshopify.com')).rejects.toThrow(/no offline access token/);
  });

  it('rotates keys: the first key seals, every listed key opens, a token is sealed again with the new key when read', async () => {
    const dbName = freshDbName('sec-rotate');
    const oldKey = newKey();
    const currentKey = newKey();
    const shop = 'sec-rotate.myshopify.com';
    const before = await start(dbName, [oldKey]);
    await installShop(before, shop);
    const token = await offlineAccessToken(before.ctx, shop);
    expect((await rawShop(before, shop)).encryptedAccessToken).toMatch(new RegExp(`^v1:${tokenKeyId(oldKey)}:`));

    const rotating = await start(dbName, [currentKey, oldKey]);
    expect(await offlineAccessToken(rotating.ctx, shop)).toBe(token);
    expect((await rawShop(rotating, shop)).encryptedAccessToken).toMatch(new RegExp(`^v1:${tokenKeyId(currentKey)}:`));

    const after = await start(dbName, [currentKey]);
    expect(await offlineAccessToken(after.ctx, shop)).toBe(token);
  });

  it('reinstalls a shop at its next session token when its token was sealed with a key no longer configured', async () => {
    const dbName = freshDbName('sec-lost');
    const shop = 'sec-lost-key.myshopify.com';
    const first = await start(dbName, [newKey()]);
    await installShop(first, shop);
    const second = await start(dbName, [newKey()]);
    expect(await hasOfflineToken(second.ctx, shop)).toBe(false);
    devstoreOf(second).ensureShop(shop);
    expect((await api(second, shop, '/program')).status).toBe(200);
    expect(await hasOfflineToken(second.ctx, shop)).toBe(true);
  });

  it('opens with any listed key and refuses a tampered or unknown-key token', () => {
    const oldKey = newKey();
    const currentKey = newKey();
    const sealedOld = tokenCipher([oldKey]).seal('a.myshopify.com', 'shpat_secret');
    const both = tokenCipher([currentKey, oldKey]);
    expect(both.open('a.myshopify.com', sealedOld)).toEqual({ token: 'shpat_secret', stale: true });
    const sealedNew = both.seal('a.myshopify.com', 'shpat_secret');
    expect(both.open('a.myshopify.com', sealedNew)).toEqual({ token: 'shpat_secret', stale: false });
    expect(() => tokenCipher([oldKey]).open('a.myshopify.com', sealedNew)).toThrow(/not among/);
    const parts = sealedNew.split(':');
    const flipped = Buffer.from(parts[4]!, 'base64');
    flipped[0]! ^= 1;
    expect(() => both.open('a.myshopify.com', [...parts.slice(0, 4), flipped.toString('base64')].join(':'))).toThrow(/does not open/);
  });

  it('generates one dev key file in DATA_DIR, readable only by its owner, and keeps using it', async () => {
    const dataDir = await mkdtemp(path.join(tmpdir(), 'tally-key-'));
    dirs.push(dataDir);
    const config = loadConfig({ DATA_DIR: dataDir }, '/');
    const sealed = tokenCipherFor(config).seal('a.myshopify.com', 'shpat_dev');
    const file = await stat(path.join(dataDir, 'token-encryption.key'));
    expect(file.mode & 0o777).toBe(0o600);
    // What another process (a restart) reads from the file opens what this one sealed.
    expect(tokenCipher([devTokenKey(dataDir)]).open('a.myshopify.com', sealed).token).toBe('shpat_dev');
  });
});

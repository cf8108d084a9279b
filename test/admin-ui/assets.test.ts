import { readFileSync } from 'node:fs';
import { request, type IncomingHttpHeaders } from 'node:http';
import path from 'node:path';
import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN_DIST } from '../../server/admin-ui/index.js';
import { startTestApp, type TestApp } from '../support/app.js';

/** A GET whose body arrives as sent (fetch would decode it). */
function rawGet(url: string, headers: Record<string, string> = {}): Promise<{ status: number; headers: IncomingHttpHeaders; body: Buffer }> {
  return new Promise((resolve, reject) => {
    request(url, { headers }, (response) => {
      const parts: Buffer[] = [];
      response.on('data', (part: Buffer) => parts.push(part));
      response.on('end', () => resolve({ status: response.statusCode!, headers: response.headers, body: Buffer.concat(parts) }));
    })
      .on('error', reject)
      .end();
  });
}

describe('the admin’s scripts and style sheets go out compressed to browsers that accept it', () => {
  let app: TestApp;
  let assets: string[];

  beforeAll(async () => {
    app = await startTestApp('admin-assets');
    const page = await (await fetch(`${app.url}/`)).text();
    assets = [...page.matchAll(/(?:src|href)="(\/assets\/[^"]+\.(?:js|css))"/g)].map((match) => match[1]!);
  });
  afterAll(async () => {
    await app?.close();
  });

  it('index.html names the entry script and the style sheet', () => {
    expect(assets.filter((asset) => asset.endsWith('.js')).length).toBeGreaterThan(0);
    expect(assets.filter((asset) => asset.endsWith('.css')).length).toBeGreaterThan(0);
  });

  it.each([
    ['br', 'br', brotliDecompressSync],
    ['gzip, deflate, br', 'br', brotliDecompressSync],
    ['gzip', 'gzip', gunzipSync],
    ['br;q=0, gzip', 'gzip', gunzipSync],
  ] as const)('Accept-Encoding: %s gets %s, the same bytes once decoded, at a fraction of the size', async (accepted, expected, decode) => {
    for (const asset of assets) {
      const original = readFileSync(path.join(ADMIN_DIST, asset));
      const response = await rawGet(`${app.url}${asset}`, { 'Accept-Encoding': accepted });
      expect(response.status, asset).toBe(200);
      expect(response.headers['content-encoding'], asset).toBe(expected);
      expect(response.headers['content-type'], asset).toMatch(asset.endsWith('.js') ? /javascript/ : /text\/css/);
      expect(response.headers.vary, asset).toMatch(/Accept-Encoding/i);
      expect(response.headers['cache-control'], asset).toMatch(/immutable/);
      expect(decode(response.body).equals(original), asset).toBe(true);
      expect(response.body.length, asset).toBeLessThan(original.length / 3);
    }
  });

  it('a client that accepts neither, or names no encoding, gets the file as it is', async () => {
    for (const asset of assets) {
      for (const headers of [{ 'Accept-Encoding': 'identity' }, {}] as Array<Record<string, string>>) {
        const response = await rawGet(`${app.url}${asset}`, headers);
        expect(response.headers['content-encoding'], asset).toBeUndefined();
        expect(response.headers.vary, asset).toMatch(/Accept-Encoding/i);
        expect(response.body.equals(readFileSync(path.join(ADMIN_DIST, asset))), asset).toBe(true);
      }
    }
  });

  it('a missing asset is still a 404, and nothing outside the assets folder is reachable', async () => {
    expect((await rawGet(`${app.url}/assets/missing-0000.js`, { 'Accept-Encoding': 'br' })).status).toBe(404);
    expect([403, 404]).toContain((await rawGet(`${app.url}/assets/..%2F.vite%2Fmanifest.json`, { 'Accept-Encoding': 'br' })).status);
    expect([403, 404]).toContain((await rawGet(`${app.url}/assets/%2E%2E%2Findex.html`, { 'Accept-Encoding': 'gzip' })).status);
  });
});

import type { AddressInfo } from 'node:net';
import express from 'express';
import { describe, expect, it } from 'vitest';
import { faviconRouter } from '../../server/admin-ui/favicon.js';

describe('favicon', () => {
  it('answers /favicon.ico and /favicon.svg with the SVG icon, cacheable, instead of a 404', async () => {
    const server = express().use(faviconRouter()).listen(0, '127.0.0.1');
    await new Promise((resolve) => server.once('listening', resolve));
    try {
      const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
      for (const file of ['/favicon.ico', '/favicon.svg']) {
        const response = await fetch(`${base}${file}`);
        expect(response.status, file).toBe(200);
        expect(response.headers.get('content-type'), file).toBe('image/svg+xml; charset=utf-8');
        expect(response.headers.get('cache-control'), file).toBe('public, max-age=86400');
        expect(await response.text(), file).toMatch(/^<svg xmlns="http:\/\/www\.w3\.org\/2000\/svg"[\s\S]*<\/svg>$/);
      }
    } finally {
      await new Promise((resolve) => server.close(resolve));
    }
  });
});

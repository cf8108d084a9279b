import { expect } from 'vitest';
import { startTestApp, type TestApp } from '../support/app.js';
import { api } from '../support/shopify.js';

/**
 * The whole app, which mounts engagement's and referrals' routers (boot.ts). `app` and `booted`
 * are the same app: tests written when these routers were served apart still name both.
 */
export async function startEngagementApp(
  label: string,
  env: NodeJS.ProcessEnv = {},
): Promise<{ app: TestApp; booted: TestApp; close: () => Promise<void> }> {
  const app = await startTestApp(label, { PROXY_RATE_LIMIT: '1000', ...env });
  return { app, booted: app, close: () => app.close() };
}

interface OfferSettings {
  winBack: { enabled: boolean; title: string; afterDays: number; points: number; validDays: number };
  birthday: { enabled: boolean; title: string; points: number };
}

/** Saves a shop's first offer settings (version 0): birthday-month offers on, win-back off unless `changes` say otherwise. */
export async function saveOfferSettings(app: TestApp, shop: string, changes: Partial<OfferSettings> = {}): Promise<void> {
  const settings: OfferSettings = {
    winBack: { enabled: false, title: 'We miss you', afterDays: 90, points: 200, validDays: 30 },
    birthday: { enabled: true, title: 'Happy birthday month', points: 150 },
    ...changes,
  };
  const saved = await api(app, shop, '/engagement/offers', { method: 'PUT', body: { version: 0, settings } });
  expect(saved.status).toBe(200);
}

import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { engagementAdminRouter, engagementModels, engagementProxyRouter, reviewsRouter } from '../../server/engagement/index.js';
import { createApp } from '../../server/platform/http-app.js';
import { referralAdminRouter, referralModels, referralProxyRouter } from '../../server/referrals/index.js';
import { apiRouter } from '../../server/shops/index.js';
import { proxyRouter } from '../../server/storefront/index.js';
import { startTestApp, type TestApp } from '../support/app.js';

/**
 * The test app with engagement's routers mounted as docs/engagement.md asks boot.ts to: after
 * storefront's proxyRouter (its signature check and rate limits run first), beside the admin API.
 * It serves on its own port over the same context and database as the booted app (`booted`, which
 * serves /api/program and the customer views).
 */
export async function startEngagementApp(
  label: string,
  env: NodeJS.ProcessEnv = {},
): Promise<{ app: TestApp; booted: TestApp; close: () => Promise<void> }> {
  const booted = await startTestApp(label, { PROXY_RATE_LIMIT: '1000', ...env });
  const ctx = booted.ctx;
  // What server/indexes.ts will do once these models are listed there: the unique indexes exist before any write.
  await Promise.all([...engagementModels, ...referralModels].map((model) => model(ctx.connection).createIndexes()));
  const express = createApp(ctx, [
    proxyRouter(ctx),
    engagementProxyRouter(ctx),
    referralProxyRouter(ctx),
    reviewsRouter(ctx),
    apiRouter(ctx, [engagementAdminRouter(ctx), referralAdminRouter(ctx)], []),
  ]);
  const server: Server = createServer(express);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    app: { ...booted, url },
    booted,
    close: async () => {
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await booted.close();
    },
  };
}

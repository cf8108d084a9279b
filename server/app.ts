import { randomUUID } from 'node:crypto';
import express, { type ErrorRequestHandler, type Express, type Router } from 'express';
import { pinoHttp } from 'pino-http';
import type { AppContext } from './context.js';
import { apiRouter } from './http/api.js';
import { activityRouter } from './http/api/activity.js';
import { healthRouter } from './http/health.js';
import { webhooksRouter } from './http/webhooks.js';
import type { AckGate } from './jobs/ack-gate.js';
import type { InboxWorker } from './jobs/inbox-worker.js';
import type { InstallHook } from './shopify/install.js';

export interface AppServices {
  worker: Pick<InboxWorker, 'nudge'>;
  installHooks: InstallHook[];
  /** Admin API routers, mounted under /api behind the session-token middleware. */
  apiRouters: Router[];
  /** Routers for other surfaces (app proxy, admin UI, devstore in dev mode), mounted at the root. */
  routers: Router[];
  /** Shared with the inbox worker so that acknowledgements go first. */
  ackGate?: AckGate;
}

/** Builds the Express app from its context and services; nothing here reads globals. */
export function createApp(ctx: AppContext, services: AppServices): Express {
  const app = express();
  app.disable('x-powered-by');
  app.set('trust proxy', true);
  app.use(
    pinoHttp({
      logger: ctx.logger,
      genReqId: (req, res) => {
        const incoming = req.headers['x-request-id'];
        const id = typeof incoming === 'string' && /^[\w-]{1,64}$/.test(incoming) ? incoming : randomUUID();
        res.setHeader('X-Request-Id', id);
        return id;
      },
      autoLogging: { ignore: (req) => req.url === '/healthz' || req.url === '/webhooks' },
    }),
  );

  // One router per surface. Webhooks verify the HMAC on raw bytes, so no global body parser runs
  // before them; each router parses its own bodies.
  app.use(healthRouter(ctx.connection, ctx.dbInfo));
  app.use(webhooksRouter(ctx, services.worker.nudge, services.ackGate));
  app.use('/api', apiRouter(ctx, [activityRouter(ctx, () => services.worker.nudge()), ...services.apiRouters], services.installHooks));
  for (const router of services.routers) app.use(router);

  app.use((_req, res) => {
    res.status(404).json({ error: 'not_found', message: 'No such endpoint' });
  });
  const handleError: ErrorRequestHandler = (error: unknown, req, res, _next) => {
    const status = typeof error === 'object' && error !== null && 'status' in error ? Number(error.status) : 500;
    if (status >= 500) req.log.error({ err: error }, 'request failed');
    if (res.headersSent) return;
    const clientError = status >= 400 && status < 500;
    res.status(clientError ? status : 500).json({
      error: clientError ? 'bad_request' : 'internal_error',
      message: clientError ? (error as Error).message : 'Something went wrong on our side',
    });
  };
  app.use(handleError);
  return app;
}

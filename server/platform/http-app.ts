import { randomUUID } from 'node:crypto';
import express, { type ErrorRequestHandler, type Express, type Router } from 'express';
import { pinoHttp } from 'pino-http';
import type { AppContext } from './context.js';
import { healthRouter } from './health.js';

/**
 * Builds the Express app: request logging, /healthz, then the surfaces' routers in the order given
 * (the composition root in server/boot.ts decides them); nothing here reads globals.
 */
export function createApp(ctx: AppContext, routers: Router[]): Express {
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
  for (const router of routers) app.use(router);

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

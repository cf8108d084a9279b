import { randomUUID } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';
import express, { type ErrorRequestHandler, type Express, type Router } from 'express';
import { pinoHttp } from 'pino-http';
import type { AppContext } from './context.js';
import { healthRouter } from './health.js';
import { trustedProxyHops } from './rate-limit.js';

/** Headers that carry credentials or signatures: never written to a log, at any level. */
const SECRET_HEADERS: ReadonlySet<string> = new Set([
  'authorization',
  'proxy-authorization',
  'cookie',
  'set-cookie',
  'x-shopify-access-token',
  'x-shopify-hmac-sha256',
  'x-shopify-storefront-access-token',
]);
/** Query parameters that are signatures or tokens (the app proxy's `signature`, the admin's `id_token`). */
const SECRET_PARAMS: ReadonlySet<string> = new Set(['signature', 'hmac', 'id_token', 'session', 'token']);
export const REDACTED = '[Redacted]';

export function redactHeaders(headers: IncomingHttpHeaders): Record<string, string | string[] | undefined> {
  return Object.fromEntries(
    Object.entries(headers).map(([name, value]) => [
      name,
      SECRET_HEADERS.has(name.toLowerCase()) ? REDACTED : name.toLowerCase() === 'referer' ? pathOf(String(value)) : value,
    ]),
  );
}

function pathOf(url: string): string {
  return url.split('?')[0] ?? '';
}

function redactedQuery(url: string): Record<string, string> {
  const query = new URLSearchParams(url.split('?')[1] ?? '');
  return Object.fromEntries([...query.keys()].map((key) => [key, SECRET_PARAMS.has(key) ? REDACTED : query.getAll(key).join(',')]));
}

/** MongoDB's MaxTimeMSExpired: a bounded read gave up. */
/**
 * The JSON body parser of every route: `limit` as express.json takes it. A string with a NUL
 * character is refused as a bad body (400): the embedded database cannot store one (PostgreSQL's
 * jsonb), and no text a merchant, shopper or client sends needs it.
 */
export function jsonBody(limit?: string): ReturnType<typeof express.json> {
  return express.json({
    ...(limit ? { limit } : {}),
    reviver: (_key: string, value: unknown) => {
      if (typeof value === 'string' && value.includes('\u0000')) throw new SyntaxError('Text may not contain a NUL character (\\u0000)');
      return value;
    },
  });
}

function isQueryTimeout(error: unknown): boolean {
  return typeof error === 'object' && error !== null && 'code' in error && error.code === 50;
}

/**
 * Builds the Express app: security headers, request logging, /healthz, then the surfaces'
 * routers in the order given (the composition root in server/boot.ts decides them); nothing here
 * reads globals. X-Forwarded-For is believed only for the operator's own proxies (TRUST_PROXY_HOPS).
 */
export function createApp(ctx: AppContext, routers: Router[]): Express {
  const app = express();
  app.disable('x-powered-by');
  app.set('trust proxy', trustedProxyHops(ctx.config));
  const securityHeaders: Record<string, string> = {
    'X-Content-Type-Options': 'nosniff',
    // Admin URLs carry id_token and proxy URLs a signature: no Referer may pass them on.
    'Referrer-Policy': 'no-referrer',
    ...(ctx.config.mode === 'production' ? { 'Strict-Transport-Security': 'max-age=31536000; includeSubDomains' } : {}),
  };
  app.use((_req, res, next) => {
    res.set(securityHeaders);
    next();
  });
  app.use(
    pinoHttp({
      logger: ctx.logger,
      genReqId: (req, res) => {
        const incoming = req.headers['x-request-id'];
        const id = typeof incoming === 'string' && /^[\w-]{1,64}$/.test(incoming) ? incoming : randomUUID();
        res.setHeader('X-Request-Id', id);
        return id;
      },
      // One line per request: method and path, never the query (app-proxy signatures, search text) nor headers.
      serializers: {
        req: (req: { id: unknown; method: string; url: string }) => ({ id: req.id, method: req.method, path: pathOf(req.url) }),
        res: (res: { statusCode: number }) => ({ statusCode: res.statusCode }),
      },
      customLogLevel: (_req, res, error) => (error || res.statusCode >= 500 ? 'error' : 'info'),
      // Health checks, webhooks (the inbox records each) and static files would drown the requests that matter.
      autoLogging: {
        ignore: (req) =>
          ['/healthz', '/webhooks', '/favicon.ico', '/favicon.svg'].includes(pathOf(req.url ?? '')) ||
          /^\/(assets|devstore\/(theme-assets|checkout-extensions))\//.test(pathOf(req.url ?? '')),
      },
    }),
  );
  app.use((req, _res, next) => {
    if (req.log.isLevelEnabled('debug'))
      req.log.debug({ headers: redactHeaders(req.headers), query: redactedQuery(req.originalUrl) }, 'request headers');
    next();
  });

  // One router per surface. Webhooks verify the HMAC on raw bytes, so no global body parser runs
  // before them; each router parses its own bodies.
  app.use(healthRouter(ctx.connection, ctx.dbInfo));
  for (const router of routers) app.use(router);

  app.use((_req, res) => {
    res.status(404).json({ error: 'not_found', message: 'No such endpoint' });
  });
  const handleError: ErrorRequestHandler = (error: unknown, req, res, _next) => {
    if (isQueryTimeout(error)) {
      req.log.warn({ err: error }, 'a read took longer than its maxTimeMS');
      if (!res.headersSent)
        res.status(503).set('Retry-After', '30').json({ error: 'busy', message: 'This read took too long; try again shortly or narrow it' });
      return;
    }
    const status = typeof error === 'object' && error !== null && 'status' in error ? Number(error.status) : 500;
    if (status >= 500) req.log.error({ err: error }, 'request failed');
    if (res.headersSent) return;
    const clientError = status >= 400 && status < 500;
    res.status(clientError ? status : 500).json({
      error: status === 413 ? 'too_large' : clientError ? 'bad_request' : 'internal_error',
      message: clientError ? (error as Error).message : 'Something went wrong on our side',
    });
  };
  app.use(handleError);
  return app;
}

import { Ajv2020 } from 'ajv/dist/2020.js';
import type { Router } from 'express';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiSurfaces } from '../../server/boot.js';
import { openApiDocument } from '../../server/headless/index.js';
import { ackGate } from '../../server/inbox/index.js';
import { createApp } from '../../server/platform/http-app.js';
import { startTestApp, type TestApp } from '../support/app.js';

type Document = { paths: Record<string, Record<string, OperationDoc>>; components: Record<string, unknown> };
interface MediaDoc {
  schema?: Record<string, unknown>;
  example?: unknown;
}
interface OperationDoc {
  requestBody?: { content: Record<string, MediaDoc> };
  responses: Record<string, { content?: Record<string, MediaDoc> }>;
}

/** Express routers are functions carrying their `stack`. */
const isRecord = (value: unknown): value is Record<string, unknown> => (typeof value === 'object' || typeof value === 'function') && value !== null;

/** Every (method, path) an Express router answers, walked through its layers and mounted routers. */
function routesOf(handle: unknown, prefix = ''): string[] {
  const stack = isRecord(handle) && Array.isArray(handle.stack) ? (handle.stack as unknown[]) : [];
  return stack.flatMap((layer) => {
    if (!isRecord(layer)) return [];
    const route = layer.route;
    if (isRecord(route) && typeof route.path === 'string' && isRecord(route.methods)) {
      return Object.keys(route.methods)
        .filter((method) => method !== '_all')
        .map((method) => `${method.toUpperCase()} ${(prefix + route.path).replace(/:(\w+)/g, '{$1}')}`);
    }
    const mounted = typeof layer.rawPath === 'string' && layer.rawPath !== '/' ? layer.rawPath : '';
    return routesOf(layer.handle, prefix + mounted);
  });
}

describe('GET /api/openapi.json: the OpenAPI 3.1 document matches the routes', () => {
  let app: TestApp;
  let routers: Router[];

  beforeAll(async () => {
    app = await startTestApp('openapi');
    const ctx = app.ctx;
    // The app's API surfaces exactly as server/boot.ts mounts them (the admin UI and the devstore are not the API).
    routers = apiSurfaces(ctx, app.worker, ackGate());
  });
  afterAll(async () => {
    await app.close();
  });

  it('documents every route the app registers, and no route it does not', () => {
    const registered = [...new Set(routesOf(createApp(app.ctx, routers).router))].sort();
    const document = openApiDocument(app.url) as Document;
    const documented = Object.entries(document.paths)
      .flatMap(([path, operations]) => Object.keys(operations).map((method) => `${method.toUpperCase()} ${path}`))
      .sort();
    expect(registered.length).toBeGreaterThan(30);
    expect(documented).toEqual(registered);
  });

  it('every example validates against its schema', () => {
    const document = openApiDocument(app.url) as Document;
    const ajv = new Ajv2020({ strict: false, allErrors: true, validateFormats: false });
    const checked: string[] = [];
    const problems: string[] = [];
    const check = (where: string, media: MediaDoc | undefined) => {
      if (!media?.schema || media.example === undefined) return;
      checked.push(where);
      const validate = ajv.compile({ ...media.schema, components: document.components });
      if (!validate(media.example)) problems.push(`${where}: ${ajv.errorsText(validate.errors)}`);
    };
    for (const [path, operations] of Object.entries(document.paths)) {
      for (const [method, operation] of Object.entries(operations)) {
        check(`${method} ${path} request`, operation.requestBody?.content['application/json']);
        for (const [status, answer] of Object.entries(operation.responses))
          check(`${method} ${path} ${status}`, answer.content?.['application/json']);
      }
    }
    expect(problems).toEqual([]);
    expect(checked.length).toBeGreaterThan(80);
  });

  it('a wrong example would be caught: the schemas are not vacuous', () => {
    const document = openApiDocument(app.url) as Document;
    const ajv = new Ajv2020({ strict: false, validateFormats: false });
    const importStatus = document.paths['/api/imports/{id}']!.get!.responses['200']!.content!['application/json']!;
    const validate = ajv.compile({ ...importStatus.schema, components: document.components });
    expect(validate({ ...(importStatus.example as object), status: 'finished' })).toBe(false);
    expect(validate({ ...(importStatus.example as object), processed: '3' })).toBe(false);
  });

  it('is served without a session token', async () => {
    const server = createApp(app.ctx, routers).listen(0);
    try {
      await new Promise<void>((resolve) => server.once('listening', () => resolve()));
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      const response = await fetch(`http://127.0.0.1:${port}/api/openapi.json`);
      expect(response.status).toBe(200);
      expect(((await response.json()) as { openapi: string }).openapi).toBe('3.1.0');
    } finally {
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
  });
});

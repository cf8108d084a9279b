import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openApiDocument } from '../../server/headless/index.js';
import { startTestApp, type TestApp } from '../support/app.js';
import { api, installShop } from '../support/shopify.js';

type Parameter = { name: string; in: string; schema?: Record<string, unknown>; content?: Record<string, { schema: Record<string, unknown> }> };
type Operation = {
  parameters?: Parameter[];
  requestBody?: { content: Record<string, { schema: Record<string, unknown> }> };
  responses: Record<string, { content?: Record<string, unknown> }>;
};

/** The admin API answers as its OpenAPI document says (the cases schemathesis found, issue 23 finding 8). */
describe('the admin API and its OpenAPI document agree', () => {
  let app: TestApp;
  const shop = 'conformance.myshopify.com';
  const document = openApiDocument('https://app.example') as { paths: Record<string, Record<string, Operation>> };
  const operation = (path: string, method: string) => document.paths[path]![method]!;
  const parameter = (path: string, name: string) => operation(path, 'get').parameters!.find((candidate) => candidate.name === name)!;

  beforeAll(async () => {
    app = await startTestApp('admin-conformance');
    await installShop(app, shop);
  });
  afterAll(async () => {
    await app.close();
  });

  it('a customer search with a NUL is refused with 422 (it was a 500), and the document says no NUL', async () => {
    const refused = await api(app, shop, `/customers?query=${encodeURIComponent('Ada\u0000')}`);
    expect(refused.status).toBe(422);
    expect(((await refused.json()) as { errors: Record<string, string> }).errors.query).toBe('must not contain NUL');
    expect((await api(app, shop, '/customers?query=Ada')).status).toBe(200);
    expect(new RegExp(parameter('/api/customers', 'query').schema!.pattern as string).test('Ada\u0000')).toBe(false);
  });

  it("a customer's ledger page documents the limits the route holds (limit 1-200, before positive)", async () => {
    expect((await api(app, shop, '/customers/7001?limit=0&before=0')).status).toBe(422);
    expect(parameter('/api/customers/{customerId}', 'limit').schema).toMatchObject({ minimum: 1, maximum: 200 });
    expect(parameter('/api/customers/{customerId}', 'before').schema).toMatchObject({ exclusiveMinimum: 0 });
  });

  it('refuses what the document refuses: a delivery log limit over 200, a fresh other than 1, a repeated status', async () => {
    expect((await api(app, shop, '/outbound/deliveries?limit=201')).status).toBe(422);
    expect((await api(app, shop, '/outbound/deliveries?limit=200')).status).toBe(200);
    expect((await api(app, shop, '/stats?fresh=null&fresh=null')).status).toBe(422);
    expect((await api(app, shop, '/stats?fresh=0')).status).toBe(422);
    expect((await api(app, shop, '/stats?fresh=1')).status).toBe(200);
    expect((await api(app, shop, '/webhooks?status=failed&status=failed')).status).toBe(422);
    expect((await api(app, shop, '/webhooks?status=failed')).status).toBe(200);
    expect(operation('/api/stats', 'get').responses['422']).toBeDefined();
    expect(operation('/api/outbound/deliveries', 'get').responses['422']).toBeDefined();
  });

  it("a body over the operation's size limit is a documented 413 too_large, and nothing is stored", async () => {
    const body = { url: `https://hooks.example.com/${'a'.repeat(20_000)}`, events: ['points.earned'] };
    const refused = await api(app, shop, '/outbound/endpoints', { method: 'POST', body });
    expect(refused.status).toBe(413);
    expect(((await refused.json()) as { error: string }).error).toBe('too_large');
    expect(((await (await api(app, shop, '/outbound/endpoints')).json()) as { endpoints: unknown[] }).endpoints).toEqual([]);
    expect(operation('/api/outbound/endpoints', 'post').responses['413']).toBeDefined();
  });

  it('a NUL in any text of a JSON body is refused with 400 and nothing changes (the database refused it with a 500)', async () => {
    const before = (await (await api(app, shop, '/program')).json()) as { version: number; pointsName: string };
    const refused = await api(app, shop, '/program', { method: 'PUT', body: { ...before, pointsName: 'stars\u0000' } });
    expect(refused.status).toBe(400);
    expect(((await refused.json()) as { message: string }).message).toContain('NUL');
    expect(await (await api(app, shop, '/program')).json()).toEqual(before);
  });

  it('a query that makes the request head longer than the server takes is a documented 431', async () => {
    const refused = await api(app, shop, `/tiers/preview?draft=${encodeURIComponent(JSON.stringify({ note: 'x'.repeat(20_000) }))}`);
    expect(refused.status).toBe(431);
    expect(operation('/api/tiers/preview', 'get').responses['431']).toBeDefined();
  });

  it('documents the CSV the daily accounting report answers with ?format=csv', async () => {
    const csv = await api(app, shop, '/accounting/daily?format=csv');
    expect(csv.status).toBe(200);
    expect(csv.headers.get('content-type')).toMatch(/^text\/csv/);
    expect(Object.keys(operation('/api/accounting/daily', 'get').responses['200']!.content!)).toEqual(['application/json', 'text/csv']);
  });

  it('documents a 0-point adjustment as refused, and refuses it', async () => {
    const points = operation('/api/customers/{customerId}/adjustments', 'post').requestBody!.content['application/json']!.schema.properties as Record<
      string,
      Record<string, unknown>
    >;
    expect(points.points!.not).toEqual({ const: 0 });
    expect((await api(app, shop, '/customers/7001/adjustments', { method: 'POST', body: { points: 0, reason: 'nothing' } })).status).toBe(422);
  });

  it('the tiers preview documents its whole draft (tier rules required, the membership multiplier 1-20), as JSON in ?draft= on a GET', async () => {
    const body = operation('/api/tiers/preview', 'post').requestBody!.content['application/json']!.schema as {
      required: string[];
      properties: Record<string, { properties?: Record<string, Record<string, unknown>> }>;
    };
    expect(body.required).toEqual(expect.arrayContaining(['tiers', 'tierRules']));
    expect(body.properties.membership!.properties!.earnMultiplier).toMatchObject({ minimum: 1, maximum: 20 });
    expect(parameter('/api/tiers/preview', 'draft').content!['application/json']!.schema).toEqual(body);
    const missingRules = await api(app, shop, '/tiers/preview', {
      method: 'POST',
      body: { tiers: [{ id: 'base', name: 'Base', threshold: 0, earnMultiplier: 1 }] },
    });
    expect(missingRules.status).toBe(422);
  });
});

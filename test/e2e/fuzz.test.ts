import { createHmac } from 'node:crypto';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signSessionToken } from '../../devstore/session-token.js';
import { validateProgram } from '../../server/program/program.js';
import { appProxySignature } from '../../server/shopify/app-proxy.js';
import { inboxModel, webhookLogModel } from '../../server/inbox/store.js';
import { ledgerEntryModel } from '../../server/ledger/store.js';
import { startTestApp, type TestApp } from '../support/app.js';
import { api, deliverAndDrain, devstoreOf, grantPoints, installShop } from '../support/shopify.js';

/**
 * Bad input of every shape at every surface: always a 4xx with a message, never a 5xx, and a
 * rejected request changes nothing. 1,300 generated requests in all.
 */
describe('fuzzing: malformed webhooks, app-proxy queries, admin bodies and tokens', () => {
  let app: TestApp;
  const shop = 'fuzz.myshopify.com';
  const otherShop = 'fuzz-other.myshopify.com';
  const customer = 7_700_001;

  beforeAll(async () => {
    app = await startTestApp('fuzz', { PROXY_RATE_LIMIT: '100000' });
    await installShop(app, shop);
    await installShop(app, otherShop);
    await deliverAndDrain(app, [devstoreOf(app).addCustomer(otherShop, { id: customer, email: 'other@example.com' })]);
    await grantPoints(app, otherShop, customer, 1_234);
  });
  afterAll(async () => {
    await app.close();
  });

  const stored = async () => (await inboxModel(app.connection).countDocuments({})) + (await webhookLogModel(app.connection).countDocuments({}));
  const oddText = fc.oneof(
    fc.string(),
    fc.string({ unit: 'grapheme', maxLength: 50 }),
    fc.constantFrom('{"$gt":""}', '{"$ne":null}', "'; DROP TABLE x; --", '../../etc/passwd', '\u0000', '\uFFFF', 'A'.repeat(5_000)),
  );

  async function expectClientError(response: Response, label: string): Promise<void> {
    expect(response.status, label).toBeGreaterThanOrEqual(400);
    expect(response.status, label).toBeLessThan(500);
    const body = (await response.json()) as { message?: string; error?: string };
    expect(typeof (body.message ?? body.error), label).toBe('string');
  }

  it('webhooks: 400 malformed deliveries (bad or missing HMAC, non-JSON, odd headers) → 4xx, nothing stored', async () => {
    const before = await stored();
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(
          fc.uint8Array({ maxLength: 2_000 }).map((bytes) => Buffer.from(bytes)),
          oddText.map((text) => Buffer.from(text)),
          fc.jsonValue().map((value) => Buffer.from(JSON.stringify(value))),
        ),
        fc.record({
          topic: fc.option(oddText),
          shop: fc.option(oddText),
          hmac: fc.oneof(fc.constant(undefined), oddText, fc.constant('valid-for-other-body')),
          signNonJson: fc.boolean(),
        }),
        async (body, headers) => {
          const isJson = (() => {
            try {
              JSON.parse(body.toString('utf8'));
              return true;
            } catch {
              return false;
            }
          })();
          // A correct HMAC is allowed only on bodies that are not JSON (so the delivery must still be refused).
          const hmac =
            headers.signNonJson && !isJson
              ? createHmac('sha256', app.config.shopifyApiSecret).update(body).digest('base64')
              : headers.hmac === 'valid-for-other-body'
                ? createHmac('sha256', app.config.shopifyApiSecret).update('other').digest('base64')
                : headers.hmac;
          const response = await fetch(`${app.url}/webhooks`, {
            method: 'POST',
            headers: {
              'Content-Type': 'application/json',
              ...(hmac !== undefined && hmac !== null ? { 'X-Shopify-Hmac-Sha256': encodeURIComponent(hmac) } : {}),
              ...(headers.topic ? { 'X-Shopify-Topic': encodeURIComponent(headers.topic) } : {}),
              ...(headers.shop ? { 'X-Shopify-Shop-Domain': encodeURIComponent(headers.shop) } : {}),
              'X-Shopify-Webhook-Id': 'fuzz',
            },
            body,
          });
          await expectClientError(response, `webhook ${response.status}`);
        },
      ),
      { numRuns: 400 },
    );
    expect(await stored()).toBe(before);
  });

  it('app proxy: 400 forged, unsigned or injected queries → 401, never another shop’s customer data', async () => {
    const timestamp = () => String(Math.floor(Date.now() / 1000));
    await fc.assert(
      fc.asyncProperty(
        fc.dictionary(
          fc.oneof(
            fc.constantFrom('shop', 'logged_in_customer_id', 'timestamp', 'signature', 'path_prefix', 'shop[$gt]', 'logged_in_customer_id[$ne]'),
            fc.string({ maxLength: 20 }),
          ),
          oddText,
          { maxKeys: 6 },
        ),
        fc.constantFrom('forged', 'unsigned', 'injected-customer', 'repeated'),
        async (extra, mode) => {
          const params = new URLSearchParams({
            shop: otherShop,
            logged_in_customer_id: String(customer),
            path_prefix: '/apps/loyalty',
            timestamp: timestamp(),
          });
          for (const [key, value] of Object.entries(extra)) params.append(key, value);
          if (mode === 'injected-customer') params.set('logged_in_customer_id', '{"$gt":""}');
          if (mode === 'repeated') params.append('shop', shop);
          if (mode === 'forged') params.set('signature', appProxySignature(params, 'not-the-secret'));
          else if (mode !== 'unsigned') params.set('signature', appProxySignature(params, app.config.shopifyApiSecret));
          const response = await fetch(`${app.url}/proxy/customer?${params.toString()}`);
          const text = await response.text();
          expect(response.status, `${mode} ${params.toString().slice(0, 200)}`).toBe(401);
          expect(text).not.toContain('1234');
          expect(text).not.toContain('other@example.com');
        },
      ),
      { numRuns: 400 },
    );
  });

  it('admin API: 300 random program bodies, adjustments and customer ids → 2xx only when valid, else 4xx; the stored program stays valid', async () => {
    const entriesBefore = await ledgerEntryModel(app.connection).countDocuments({ shop });
    let adjustmentsAccepted = 0;
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(
          fc.record({
            kind: fc.constant('program' as const),
            body: fc.oneof(
              fc.jsonValue(),
              fc.record({
                earning: fc.record({ pointsPerCurrencyUnit: fc.oneof(fc.double(), fc.string(), fc.constant(null)) }),
                rewards: fc.array(fc.jsonValue(), { maxLength: 3 }),
              }),
            ),
          }),
          fc.record({
            kind: fc.constant('adjust' as const),
            body: fc.oneof(
              fc.jsonValue(),
              fc.record({
                points: fc.oneof(fc.double(), fc.integer(), fc.string(), fc.constant({ $gt: 0 })),
                reason: fc.oneof(oddText, fc.constant({ $ne: '' })),
              }),
            ),
          }),
          fc.record({ kind: fc.constant('customer' as const), body: oddText }),
        ),
        async (input) => {
          let response: Response;
          if (input.kind === 'program') response = await api(app, shop, '/program', { method: 'PUT', body: input.body });
          else if (input.kind === 'adjust')
            response = await api(app, shop, `/customers/${customer}/adjustments`, { method: 'POST', body: input.body });
          else response = await api(app, shop, `/customers/${encodeURIComponent(input.body)}`);
          if (response.status < 300) {
            if (input.kind === 'adjust') adjustmentsAccepted++;
            // '' and '.' name the list itself once the URL is normalised (/api/customers/ and /api/customers/.).
            if (input.kind === 'customer') expect(input.body === '' || input.body === '.' || /^\d{1,20}$/.test(input.body), input.body).toBe(true);
            await response.body?.cancel();
            return;
          }
          await expectClientError(response, `${input.kind} ${response.status}`);
        },
      ),
      { numRuns: 300 },
    );
    const program = await (await api(app, shop, '/program')).json();
    expect(validateProgram(program).ok).toBe(true);
    expect(await ledgerEntryModel(app.connection).countDocuments({ shop })).toBe(entriesBefore + adjustmentsAccepted);
  });

  const decoded = (token: string) =>
    token
      .split('.')
      .map((part) => Buffer.from(part, 'base64url').toString('hex'))
      .join('.');

  it('session tokens: 200 random and tampered tokens → 401 and no install', async () => {
    const valid = signSessionToken({ shop, apiKey: app.config.shopifyApiKey, apiSecret: app.config.shopifyApiSecret });
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(
          oddText,
          fc
            .record({
              claims: fc.dictionary(
                fc.constantFrom('aud', 'dest', 'iss', 'exp', 'nbf', 'sub'),
                fc.oneof(fc.string(), fc.integer(), fc.constant(null)),
              ),
            })
            .map(({ claims }) =>
              signSessionToken({ shop: 'fuzz-new.myshopify.com', apiKey: app.config.shopifyApiKey, apiSecret: 'wrong-secret', claims }),
            ),
          fc.nat({ max: valid.length - 1 }).map((at) => `${valid.slice(0, at)}${valid[at] === 'A' ? 'B' : 'A'}${valid.slice(at + 1)}`),
        ),
        async (token) => {
          // HTTP headers carry bytes: a token with other characters is sent percent-encoded, as a client would have to.
          const sent = /^[\x20-\x7e]*$/.test(token) ? token : encodeURIComponent(token);
          const response = await fetch(`${app.url}/api/program`, { headers: { Authorization: `Bearer ${sent}` } });
          // Flipping the last base64url character can leave the decoded bytes unchanged: that is still the valid token.
          if (decoded(token) === decoded(valid)) {
            await response.body?.cancel();
            return;
          }
          expect(response.status, token.slice(0, 80)).toBe(401);
          await expectClientError(response, 'token');
        },
      ),
      { numRuns: 200 },
    );
    expect(devstoreOf(app).shop('fuzz-new.myshopify.com')?.appInstalled ?? false).toBe(false);
  });
});

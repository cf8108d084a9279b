import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import express from 'express';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { adminApiRouter } from '../../devstore/admin-api.js';
import { BUCKET_MAXIMUM, createShop, shopNumericId, type DevShop } from '../../devstore/state.js';
import { issueReward } from '../../server/redemption/issue.js';
import { rewardSchema } from '../../server/program/index.js';
import {
  CURRENT_APP_INSTALLATION,
  CUSTOMER_TAGS,
  DISCOUNT_CODE_BASIC_CREATE,
  METAFIELDS_SET,
  PRODUCTS_FOR_MULTIPLIERS,
  SHOP_QUERY,
  STORE_CREDIT_ACCOUNT_CREDIT,
} from '../../server/shopify/operations.js';
import { ADMIN_API_VERSION } from '../../server/shopify/shop-domain.js';
import type { AdminGraphql } from '../../server/shopify/admin-graphql.js';

interface Answer {
  data?: Record<string, unknown> | null;
  errors?: Array<{ message: string; locations?: unknown; extensions: { code: string } & Record<string, unknown> }>;
  extensions?: {
    cost: {
      requestedQueryCost: number;
      actualQueryCost: number | null;
      throttleStatus: { maximumAvailable: number; currentlyAvailable: number; restoreRate: number };
    };
  };
}

/** The devstore's Admin API on its own, with a fixed clock so the bucket only refills when a test moves time. */
describe("the devstore's Admin GraphQL answers from Shopify's published schema", () => {
  const now = new Date('2026-12-01T12:00:00Z');
  const token = 'shpat_test';
  const shops = new Map<string, DevShop>();
  const servers: Server[] = [];
  let url = '';
  let narrowUrl = '';

  function addShop(domain: string): DevShop {
    const shop = createShop(domain, { currency: 'USD' });
    shop.accessTokens.set(token, 'offline');
    shop.bucket = { available: BUCKET_MAXIMUM, updatedAt: now.getTime() };
    shops.set(domain, shop);
    return shop;
  }

  async function listen(scopes?: string[]): Promise<string> {
    const app = express();
    app.use(
      '/shops/:shop',
      adminApiRouter({ apiKey: 'key', apiSecret: 'secret', clock: () => now, shop: (domain) => shops.get(domain), ...(scopes ? { scopes } : {}) }),
    );
    const server = app.listen(0, '127.0.0.1');
    servers.push(server);
    await new Promise((resolve) => server.once('listening', resolve));
    return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  }

  beforeAll(async () => {
    url = await listen();
    narrowUrl = await listen(['read_orders']);
  });
  afterAll(async () => {
    await Promise.all(servers.map((server) => new Promise((resolve) => server.close(resolve))));
  });

  async function post(shop: string, query: string, variables: Record<string, unknown> = {}, base = url): Promise<Answer> {
    const response = await fetch(`${base}/shops/${shop}/admin/api/${ADMIN_API_VERSION}/graphql.json`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', 'X-Shopify-Access-Token': token },
      body: JSON.stringify({ query, variables }),
    });
    expect(response.status).toBe(200);
    return (await response.json()) as Answer;
  }

  it("refuses an unknown field in Shopify's words, with its location and code, and charges nothing", async () => {
    const shop = addShop('unknown-field.myshopify.com');
    const answer = await post(shop.domain, '{ shop { name notAField } }');
    expect(answer.data).toBeUndefined();
    expect(answer.errors).toEqual([
      {
        message: "Field 'notAField' doesn't exist on type 'Shop'",
        locations: [{ line: 1, column: 15 }],
        extensions: { code: 'undefinedField', typeName: 'Shop', fieldName: 'notAField' },
      },
    ]);
    expect(shop.bucket.available).toBe(BUCKET_MAXIMUM);
  });

  it('refuses variables of the wrong type and missing required ones', async () => {
    const shop = addShop('bad-variables.myshopify.com');
    const wrong = await post(shop.domain, PRODUCTS_FOR_MULTIPLIERS, { ids: [{ id: 1 }] });
    expect(wrong.errors?.[0]?.extensions.code).toBe('INVALID_VARIABLE');
    expect(wrong.errors?.[0]?.message).toMatch(/\$ids/);
    const missing = await post(shop.domain, PRODUCTS_FOR_MULTIPLIERS, {});
    expect(missing.errors?.[0]).toMatchObject({ extensions: { code: 'INVALID_VARIABLE' } });
  });

  it('answers with the calculated cost and takes the actual cost from the bucket', async () => {
    const shop = addShop('cost.myshopify.com');
    const answer = await post(shop.domain, SHOP_QUERY);
    expect(answer.data).toEqual({
      shop: {
        id: `gid://shopify/Shop/${shopNumericId(shop.domain)}`,
        name: 'cost',
        myshopifyDomain: shop.domain,
        currencyCode: 'USD',
        ianaTimezone: 'America/New_York',
        plan: { shopifyPlus: false },
      },
    });
    expect(answer.extensions?.cost).toEqual({
      requestedQueryCost: 2,
      actualQueryCost: 2,
      throttleStatus: { maximumAvailable: BUCKET_MAXIMUM, currentlyAvailable: BUCKET_MAXIMUM - 2, restoreRate: 100 },
    });
    expect(shop.bucket.available).toBe(BUCKET_MAXIMUM - 2);
  });

  it('requests 53 points per product for the multipliers query and refunds what did not come back', async () => {
    const shop = addShop('multipliers.myshopify.com');
    shop.products.set(7, { id: 7, variantId: 70, title: 'Mug', priceMinor: 1200, tags: ['ceramic'], collectionIds: [1, 2, 3], giftCard: false });
    const answer = await post(shop.domain, PRODUCTS_FOR_MULTIPLIERS, { ids: ['gid://shopify/Product/7', 'gid://shopify/Product/8'] });
    expect(answer.data).toEqual({
      nodes: [
        {
          id: 'gid://shopify/Product/7',
          tags: ['ceramic'],
          collections: { nodes: [{ id: 'gid://shopify/Collection/1' }, { id: 'gid://shopify/Collection/2' }, { id: 'gid://shopify/Collection/3' }] },
        },
        null,
      ],
    });
    expect(answer.extensions?.cost).toMatchObject({ requestedQueryCost: 106, actualQueryCost: 1 + 2 + 3 });
    expect(shop.bucket.available).toBe(BUCKET_MAXIMUM - 6);
  });

  it('refuses a query over the single-query limit and an id list over 250', async () => {
    const shop = addShop('too-costly.myshopify.com');
    const ids = (count: number) => Array.from({ length: count }, (_, index) => `gid://shopify/Product/${index + 1}`);
    const costly = await post(shop.domain, PRODUCTS_FOR_MULTIPLIERS, { ids: ids(19) });
    expect(costly.errors?.[0]).toMatchObject({ extensions: { code: 'MAX_COST_EXCEEDED', cost: 19 * 53, maxCost: 1000 } });
    expect(costly.extensions?.cost).toMatchObject({ requestedQueryCost: 19 * 53, actualQueryCost: null });
    const long = await post(shop.domain, 'query ($ids: [ID!]!) { nodes(ids: $ids) { id } }', { ids: ids(251) });
    expect(long.errors?.[0]).toMatchObject({ extensions: { code: 'MAX_INPUT_SIZE_EXCEEDED' } });
    expect(shop.bucket.available).toBe(BUCKET_MAXIMUM);
  });

  it('answers THROTTLED when the bucket holds less than the requested cost, and serves once it refills', async () => {
    const shop = addShop('throttled.myshopify.com');
    shop.bucket = { available: 5, updatedAt: now.getTime() };
    const ids = ['gid://shopify/Product/1'];
    const throttled = await post(shop.domain, PRODUCTS_FOR_MULTIPLIERS, { ids });
    expect(throttled.errors).toEqual([
      { message: 'Throttled', extensions: { code: 'THROTTLED', documentation: 'https://shopify.dev/api/usage/rate-limits' } },
    ]);
    expect(throttled.extensions?.cost).toEqual({
      requestedQueryCost: 53,
      actualQueryCost: null,
      throttleStatus: { maximumAvailable: BUCKET_MAXIMUM, currentlyAvailable: 5, restoreRate: 100 },
    });
    shop.bucket.updatedAt = now.getTime() - 1000;
    const served = await post(shop.domain, PRODUCTS_FOR_MULTIPLIERS, { ids });
    expect(served.errors).toBeUndefined();
    expect(served.extensions?.cost.actualQueryCost).toBe(0);
  });

  it('denies a field whose access scope the app was not granted', async () => {
    const shop = addShop('scopes.myshopify.com');
    const denied = await post(shop.domain, PRODUCTS_FOR_MULTIPLIERS, { ids: ['gid://shopify/Product/1'] }, narrowUrl);
    expect(denied.errors?.map((error) => error.extensions.code)).toContain('ACCESS_DENIED');
    expect(denied.errors?.map((error) => error.message).join('\n')).toMatch(/read_products/);
    expect((await post(shop.domain, SHOP_QUERY, {}, narrowUrl)).errors).toBeUndefined();
  });

  it('issues a free-product reward as a Buy X get Y code for one unit of the variant', async () => {
    const shop = addShop('free-item.myshopify.com');
    const client: AdminGraphql = async <T>(domain: string, query: string, variables: Record<string, unknown> = {}) => {
      const answer = await post(domain, query, variables);
      if (answer.errors) throw new Error(answer.errors.map((error) => error.message).join('; '));
      return answer.data as T;
    };
    const reward = rewardSchema.parse({
      id: 'mug',
      type: 'free_product',
      name: 'Free mug',
      enabled: true,
      pointsCost: 800,
      minimumOrderAmount: 0,
      codeExpiresInDays: 30,
      variantId: '70',
      combinesWith: { orderDiscounts: false, productDiscounts: false, shippingDiscounts: false },
    });
    const outcome = await issueReward(client, {
      shop: shop.domain,
      customerId: '9',
      code: 'MUG-1',
      reward,
      value: { kind: 'free_product', variantId: '70' },
      currency: 'USD',
      startsAt: now,
      endsAt: new Date(now.getTime() + 86_400_000),
    });
    expect(outcome).toMatchObject({ issued: true });
    expect([...shop.discounts.values()]).toEqual([
      expect.objectContaining({ code: 'MUG-1', value: { freeVariantId: 70 }, customerIds: [9], usageLimit: 1 }),
    ]);
  });

  it('refuses discountOnQuantity inside a basic (amount off) code, which Shopify gives to Buy X get Y only', async () => {
    const shop = addShop('basic-quantity.myshopify.com');
    const answer = await post(shop.domain, DISCOUNT_CODE_BASIC_CREATE, {
      basicCodeDiscount: {
        title: 'Free mug',
        code: 'MUG-2',
        startsAt: now.toISOString(),
        context: { customers: { add: ['gid://shopify/Customer/9'] } },
        customerGets: {
          value: { discountOnQuantity: { quantity: '1', effect: { percentage: 1 } } },
          items: { products: { productVariantsToAdd: ['gid://shopify/ProductVariant/70'] } },
        },
      },
    });
    expect(answer.data).toEqual({ discountCodeBasicCreate: { codeDiscountNode: null, userErrors: [expect.objectContaining({ code: 'INVALID' })] } });
    expect(shop.discounts.size).toBe(0);
  });

  it('sets the app-data metafield on the installation and credits store credit, as the app asks', async () => {
    const shop = addShop('state.myshopify.com');
    shop.customers.set(9, { id: 9, email: 'a@example.com', firstName: 'A', lastName: 'B', phone: null, tags: [] });
    const installation = await post(shop.domain, CURRENT_APP_INSTALLATION);
    const ownerId = (installation.data as { currentAppInstallation: { id: string } }).currentAppInstallation.id;
    const set = await post(shop.domain, METAFIELDS_SET, {
      metafields: [{ ownerId, namespace: 'tally', key: 'program', type: 'json', value: '{"enabled":true}' }],
    });
    expect(set.data).toEqual({ metafieldsSet: { metafields: [{ namespace: 'tally', key: 'program', value: '{"enabled":true}' }], userErrors: [] } });
    expect(shop.metafields.get('tally.program')).toBe('{"enabled":true}');
    const credit = await post(shop.domain, STORE_CREDIT_ACCOUNT_CREDIT, {
      id: 'gid://shopify/Customer/9',
      creditInput: { creditAmount: { amount: '4.50', currencyCode: 'USD' } },
    });
    expect(credit.data).toEqual({
      storeCreditAccountCredit: {
        storeCreditAccountTransaction: {
          amount: { amount: '4.50', currencyCode: 'USD' },
          account: { id: 'gid://shopify/StoreCreditAccount/9', balance: { amount: '4.50', currencyCode: 'USD' } },
        },
        userErrors: [],
      },
    });
    const wrongCurrency = await post(shop.domain, STORE_CREDIT_ACCOUNT_CREDIT, {
      id: 'gid://shopify/Customer/9',
      creditInput: { creditAmount: { amount: '1.00', currencyCode: 'EUR' } },
    });
    expect(wrongCurrency.data).toMatchObject({
      storeCreditAccountCredit: { storeCreditAccountTransaction: null, userErrors: [{ code: 'MISMATCHING_CURRENCY' }] },
    });
    expect(shop.storeCredit.get(9)).toBe(450);
  });

  it("reads a customer's tags, and null for a customer it does not know", async () => {
    const shop = addShop('tags.myshopify.com');
    shop.customers.set(5, { id: 5, email: 't@example.com', firstName: 'T', lastName: 'G', phone: null, tags: ['vip', 'wholesale'] });
    expect((await post(shop.domain, CUSTOMER_TAGS, { id: 'gid://shopify/Customer/5' })).data).toEqual({
      customer: { id: 'gid://shopify/Customer/5', tags: ['vip', 'wholesale'] },
    });
    const unknown = await post(shop.domain, CUSTOMER_TAGS, { id: 'gid://shopify/Customer/6' });
    expect(unknown.data).toEqual({ customer: null });
    expect(unknown.extensions?.cost).toMatchObject({ requestedQueryCost: 1, actualQueryCost: 0 });
  });

  it('charges a mutation 10 points', async () => {
    const shop = addShop('mutation.myshopify.com');
    const answer = await post(shop.domain, DISCOUNT_CODE_BASIC_CREATE, {
      basicCodeDiscount: {
        title: '10%',
        code: 'TEN',
        startsAt: now.toISOString(),
        context: { all: 'ALL' },
        customerGets: { value: { percentage: 0.1 }, items: { all: true } },
      },
    });
    expect(answer.data).toEqual({
      discountCodeBasicCreate: { codeDiscountNode: { id: expect.stringMatching(/^gid:\/\/shopify\/DiscountCodeNode\//) }, userErrors: [] },
    });
    expect(answer.extensions?.cost).toMatchObject({ requestedQueryCost: 10, actualQueryCost: 10 });
  });
});

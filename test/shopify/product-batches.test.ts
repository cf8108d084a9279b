import { parse } from 'graphql';
import { describe, expect, it } from 'vitest';
import { queryCost } from '../../devstore/query-cost.js';
import { adminSchema } from '../../devstore/shopify-schema.js';
import {
  CURRENT_APP_INSTALLATION,
  DISCOUNT_CODE_BXGY_CREATE,
  MAX_INPUT_IDS,
  PRODUCTS_FOR_MULTIPLIERS,
  SHOP_QUERY,
  SINGLE_QUERY_MAX_COST,
  productBatches,
  productsForMultipliersCost,
} from '../../server/shopify/operations.js';
import { ADMIN_API_VERSION } from '../../server/shopify/shop-domain.js';

const { schema } = adminSchema(ADMIN_API_VERSION);
const productIds = (count: number) => Array.from({ length: count }, (_, index) => `gid://shopify/Product/${1000 + index}`);
const multipliersCost = (ids: string[]) => queryCost({ schema, document: parse(PRODUCTS_FOR_MULTIPLIERS), variables: { ids } });

describe("Shopify's calculated query cost, computed from the published schema", () => {
  it('charges 1 per object, nothing for scalars, 10 per mutation', () => {
    expect(queryCost({ schema, document: parse(CURRENT_APP_INSTALLATION) })).toBe(1);
    expect(queryCost({ schema, document: parse(SHOP_QUERY) })).toBe(2);
    expect(queryCost({ schema, document: parse('query { shop { name currencyCode } }') })).toBe(1);
    expect(queryCost({ schema, document: parse(DISCOUNT_CODE_BXGY_CREATE) })).toBe(10);
  });

  it('sizes a connection by first/last: 2 plus each object it may return', () => {
    expect(queryCost({ schema, document: parse('query { products(first: 10) { nodes { id title } } }') })).toBe(2 + 10);
    expect(
      queryCost({ schema, document: parse('query { products(last: 3) { edges { node { id collections(first: 5) { nodes { id } } } } } }') }),
    ).toBe(2 + 3 * (1 + 2 + 5));
  });

  it('prices the multipliers query at 53 points per product, past the 1,000 limit from 19 products', () => {
    expect(multipliersCost(productIds(1))).toBe(53);
    expect(multipliersCost(productIds(18))).toBe(954);
    expect(multipliersCost(productIds(19))).toBeGreaterThan(SINGLE_QUERY_MAX_COST);
    for (const count of [1, 7, 18, 19, 250]) expect(productsForMultipliersCost(count)).toBe(multipliersCost(productIds(count)));
  });

  it('counts what came back for the actual cost', () => {
    const document = parse(PRODUCTS_FOR_MULTIPLIERS);
    const data = {
      nodes: [
        {
          id: 'gid://shopify/Product/1',
          tags: [],
          collections: { nodes: [{ id: 'gid://shopify/Collection/1' }, { id: 'gid://shopify/Collection/2' }] },
        },
        null,
      ],
    };
    expect(queryCost({ schema, document, variables: { ids: productIds(2) }, data })).toBe(1 + 2 + 2);
  });
});

describe('productBatches', () => {
  it.each([0, 1, 18, 19, 40, 250, 251, 600])('splits %i product ids into calls within 1,000 points and 250 ids, in order', (count) => {
    const ids = productIds(count);
    const batches = productBatches(ids);
    expect(batches.flat()).toEqual(ids);
    for (const batch of batches) {
      expect(batch.length).toBeGreaterThan(0);
      expect(batch.length).toBeLessThanOrEqual(MAX_INPUT_IDS);
      expect(multipliersCost(batch)).toBeLessThanOrEqual(SINGLE_QUERY_MAX_COST);
    }
    expect(batches).toHaveLength(Math.ceil(count / 18));
  });

  it('keeps every batch within a smaller budget, and refuses one that cannot pay for a product', () => {
    for (const batch of productBatches(productIds(100), 300)) expect(multipliersCost(batch)).toBeLessThanOrEqual(300);
    expect(() => productBatches(productIds(3), 52)).toThrow(RangeError);
  });
});

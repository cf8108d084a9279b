import { readFileSync } from 'node:fs';
import { execute, NoDeprecatedCustomRule, parse, specifiedRules, validate } from 'graphql';
import { describe, expect, it } from 'vitest';
import { customerSearchRootValue } from '../../devstore/admin-customer-search.js';
import { adminRootValue } from '../../devstore/admin-resolvers.js';
import { adminSchema, missingScopes, scopeRequirements } from '../../devstore/shopify-schema.js';
import { createShop } from '../../devstore/state.js';
import { CUSTOMERS_BY_EMAIL } from '../../server/shopify/operations.js';
import { emailSearchQuery, shopifyEmailLookup } from '../../server/imports/index.js';
import type { AdminGraphql } from '../../server/shopify/admin-graphql.js';
import { ADMIN_API_VERSION } from '../../server/shopify/shop-domain.js';

const admin = adminSchema(ADMIN_API_VERSION);
const tomlScopes = (/^\s*scopes\s*=\s*"([^"]*)"/m.exec(readFileSync(new URL('../../shopify.app.toml', import.meta.url), 'utf8'))?.[1] ?? '')
  .split(',')
  .map((scope) => scope.trim());

function devShopWith(customers: Array<{ id: number; email: string }>) {
  const shop = createShop('imports-lookup.myshopify.com');
  for (const customer of customers) shop.customers.set(customer.id, { ...customer, firstName: 'A', lastName: 'B', phone: null, tags: [] });
  return shop;
}

/** Admin GraphQL answered by the devstore's resolvers over Shopify's published schema, counting calls. */
function devstoreAdmin(shop: ReturnType<typeof createShop>, calls: Array<Record<string, unknown>>): AdminGraphql {
  return async <T>(_shop: string, query: string, variables: Record<string, unknown> = {}) => {
    calls.push(variables);
    const document = parse(query);
    expect(validate(admin.schema, document)).toEqual([]);
    const result = await execute({
      schema: admin.schema,
      document,
      variableValues: variables,
      rootValue: { ...adminRootValue(shop, { now: new Date(), injectUserError: false }), ...customerSearchRootValue(shop) },
    });
    expect(result.errors ?? []).toEqual([]);
    return result.data as T;
  };
}

describe('CustomersByEmail: the Admin GraphQL read that matches imported emails', () => {
  it(`is valid against Shopify's published ${ADMIN_API_VERSION} schema and uses nothing deprecated`, () => {
    const document = parse(CUSTOMERS_BY_EMAIL);
    expect(
      [...validate(admin.schema, document, specifiedRules), ...validate(admin.schema, document, [NoDeprecatedCustomRule])].map(
        (error) => error.message,
      ),
    ).toEqual([]);
  });

  it("needs no scope beyond shopify.app.toml's", () => {
    expect(missingScopes(scopeRequirements(admin, parse(CUSTOMERS_BY_EMAIL)), tomlScopes)).toEqual([]);
  });

  it('writes one quoted email term per address joined with OR', () => {
    expect(emailSearchQuery(['a@example.com', 'b"@example.com'])).toBe('email:"a@example.com" OR email:"b@example.com"');
  });

  it('the devstore answers it with exactly the customers whose email matches, ignoring case', async () => {
    const shop = devShopWith([
      { id: 101, email: 'Ada@Example.com' },
      { id: 102, email: 'grace@example.com' },
      { id: 103, email: 'linus@example.com' },
    ]);
    const result = await execute({
      schema: admin.schema,
      document: parse(CUSTOMERS_BY_EMAIL),
      variableValues: { query: emailSearchQuery(['ada@example.com', 'linus@example.com', 'nobody@example.com']), first: 6 },
      rootValue: { ...adminRootValue(shop, { now: new Date(), injectUserError: false }), ...customerSearchRootValue(shop) },
    });
    expect(result.errors).toBeUndefined();
    const nodes = (result.data as { customers: { nodes: Array<{ id: string; defaultEmailAddress: { emailAddress: string } }> } }).customers.nodes;
    expect(nodes.map((node) => node.id).sort()).toEqual(['gid://shopify/Customer/101', 'gid://shopify/Customer/103']);
  });

  it('looks addresses up in batches of 25 and maps each to its numeric customer id', async () => {
    const customers = Array.from({ length: 60 }, (_, index) => ({ id: 5000 + index, email: `batch${index}@example.com` }));
    const shop = devShopWith(customers);
    const calls: Array<Record<string, unknown>> = [];
    const lookup = shopifyEmailLookup(devstoreAdmin(shop, calls));
    const found = await lookup(shop.domain, [...customers.map((customer) => customer.email), 'stranger@example.com']);
    expect(calls).toHaveLength(3);
    expect(found.size).toBe(60);
    expect(found.get('batch42@example.com')).toBe('5042');
    expect(found.has('stranger@example.com')).toBe(false);
  });
});

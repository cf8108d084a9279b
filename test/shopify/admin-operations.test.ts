import { readFileSync } from 'node:fs';
import {
  getNamedType,
  getNullableType,
  getVariableValues,
  isInputObjectType,
  isInputType,
  isListType,
  isObjectType,
  NoDeprecatedCustomRule,
  parse,
  specifiedRules,
  typeFromAST,
  validate,
  type GraphQLInputType,
  type OperationDefinitionNode,
} from 'graphql';
import { describe, expect, it } from 'vitest';
import { adminSchema, missingScopes, scopeRequirements } from '../../devstore/shopify-schema.js';
import * as operations from '../../server/shopify/operations.js';
import { ADMIN_API_VERSION } from '../../server/shopify/shop-domain.js';
import { issueReward, type RewardIssue } from '../../server/redemption/issue.js';
import { rewardSchema } from '../../server/program/index.js';
import type { RewardValue } from '../../server/redemption/index.js';
import type { AdminGraphql } from '../../server/shopify/admin-graphql.js';

const admin = adminSchema(ADMIN_API_VERSION);
const tomlScopes = (/^\s*scopes\s*=\s*"([^"]*)"/m.exec(readFileSync(new URL('../../shopify.app.toml', import.meta.url), 'utf8'))?.[1] ?? '')
  .split(',')
  .map((scope) => scope.trim());

/** Every GraphQL document operations.ts exports. */
const documents = Object.entries(operations as Record<string, unknown>).filter(
  (entry): entry is [string, string] => typeof entry[1] === 'string' && /^\s*(query|mutation)\b/.test(entry[1]),
);

function problems(source: string): string[] {
  const document = parse(source);
  return [...validate(admin.schema, document, specifiedRules), ...validate(admin.schema, document, [NoDeprecatedCustomRule])].map(
    (error) => error.message,
  );
}

/** Deprecated input fields a variable value uses (validate only sees the document, not the variables). */
function deprecatedInputs(type: GraphQLInputType, value: unknown, path: string): string[] {
  const nullable = getNullableType(type);
  if (isListType(nullable))
    return Array.isArray(value) ? value.flatMap((item, index) => deprecatedInputs(nullable.ofType, item, `${path}[${index}]`)) : [];
  const named = getNamedType(type);
  if (!isInputObjectType(named) || typeof value !== 'object' || value === null) return [];
  const fields = named.getFields();
  return Object.entries(value).flatMap(([key, inner]) => {
    const field = fields[key];
    if (!field) return [`${path}.${key} (unknown)`];
    return [
      ...(field.deprecationReason ? [`${path}.${key}: ${field.deprecationReason}`] : []),
      ...deprecatedInputs(field.type, inner, `${path}.${key}`),
    ];
  });
}

describe(`the app's Admin GraphQL operations against Shopify's published ${ADMIN_API_VERSION} schema`, () => {
  // A new operation lands here first, so that the devstore (devstore/admin-resolvers.ts) learns to answer it too.
  it('finds the operations the app sends', () => {
    expect(documents.map(([name]) => name).sort()).toEqual([
      'BULK_OPERATION',
      'BULK_OPERATION_RUN_QUERY',
      'CURRENT_APP_INSTALLATION',
      'CUSTOMERS_BY_EMAIL',
      'CUSTOMER_CREATE',
      'CUSTOMER_TAGS',
      'DISCOUNT_AUTOMATIC_APP_CREATE',
      'DISCOUNT_CODE_BASIC_CREATE',
      'DISCOUNT_CODE_BXGY_CREATE',
      'DISCOUNT_CODE_DEACTIVATE',
      'DISCOUNT_CODE_FREE_SHIPPING_CREATE',
      'FLOW_TRIGGER_RECEIVE',
      'METAFIELDS_SET',
      'PRODUCTS_FOR_MULTIPLIERS',
      'REFERRAL_DISCOUNT_CREATE',
      'SEGMENTS_BY_NAME',
      'SEGMENT_CREATE',
      'SHOP_QUERY',
      'STORE_CREDIT_ACCOUNT_CREDIT',
      'STORE_CREDIT_RECENT',
      'TIER_METAFIELDS_SET',
      'TIER_TAGS_ADD',
      'TIER_TAGS_REMOVE',
    ]);
  });

  it.each(documents)('%s is valid and uses nothing deprecated', (_name, source) => {
    expect(problems(source)).toEqual([]);
  });

  it.each(documents)('%s needs no access scope beyond shopify.app.toml', (_name, source) => {
    const missing = missingScopes(scopeRequirements(admin, parse(source)), tomlScopes);
    expect(missing.map((requirement) => `${requirement.subject}: ${requirement.text}`)).toEqual([]);
  });

  it('reads the scopes each operation needs from the introspection', () => {
    const needed = (source: string) =>
      scopeRequirements(admin, parse(source))
        .map((requirement) => `${requirement.subject}=${requirement.scopes.join('|')}`)
        .sort();
    expect(needed(operations.PRODUCTS_FOR_MULTIPLIERS)).toEqual(['Collection=read_products', 'Product=read_products']);
    expect(needed(operations.DISCOUNT_CODE_BXGY_CREATE)).toEqual([
      'DiscountCodeNode=read_discounts',
      'Mutation.discountCodeBxgyCreate=write_discounts',
    ]);
    expect(needed(operations.STORE_CREDIT_ACCOUNT_CREDIT)).toEqual([
      'Mutation.storeCreditAccountCredit=write_store_credit_account_transactions',
      'StoreCreditAccount=read_store_credit_accounts',
      'StoreCreditAccountCreditTransaction=read_store_credit_account_transactions',
    ]);
  });

  it('would catch an unknown field, a deprecated field and a missing scope', () => {
    expect(problems('query { shop { name notAField } }')).toEqual([expect.stringContaining('Cannot query field "notAField" on type "Shop"')]);
    const shop = admin.schema.getType('Shop');
    const deprecated = isObjectType(shop)
      ? Object.values(shop.getFields()).find((field) => field.deprecationReason && field.args.length === 0 && !isObjectType(getNamedType(field.type)))
      : undefined;
    expect(deprecated).toBeDefined();
    expect(problems(`query { shop { ${deprecated!.name} } }`).join('\n')).toMatch(/deprecated/);
    const withoutProducts = tomlScopes.filter((scope) => !scope.endsWith('_products'));
    expect(
      missingScopes(scopeRequirements(admin, parse(operations.PRODUCTS_FOR_MULTIPLIERS)), withoutProducts).map((requirement) => requirement.subject),
    ).toContain('Product');
  });

  describe('the variables issueReward sends', () => {
    const base = {
      id: 'r',
      name: 'Reward',
      enabled: true,
      pointsCost: 100,
      minimumOrderAmount: 2500,
      codeExpiresInDays: 30,
      combinesWith: { orderDiscounts: false, productDiscounts: false, shippingDiscounts: false },
    };
    const cases: Array<[string, Record<string, unknown>, RewardValue]> = [
      ['amount_off', { type: 'amount_off', amountOff: 500 }, { kind: 'amount_off', amount: 500 }],
      ['percentage_off', { type: 'percentage_off', percentageOff: 10 }, { kind: 'percentage_off', percentage: 10 }],
      ['free_shipping', { type: 'free_shipping' }, { kind: 'free_shipping' }],
      ['free_product', { type: 'free_product', variantId: '44' }, { kind: 'free_product', variantId: '44' }],
      ['store_credit', { type: 'store_credit', creditAmount: 700 }, { kind: 'store_credit', amount: 700 }],
    ];

    it.each(cases)('%s: coerce under the schema and use no deprecated input field', async (_kind, reward, value) => {
      const sent: Array<{ query: string; variables: Record<string, unknown> }> = [];
      const recorder = (async (_shop: string, query: string, variables: Record<string, unknown> = {}) => {
        sent.push({ query, variables });
        const field = (parse(query).definitions[0] as OperationDefinitionNode).selectionSet.selections[0];
        const name = field?.kind === 'Field' ? field.name.value : '';
        return { [name]: { codeDiscountNode: { id: 'gid://shopify/DiscountCodeNode/1' }, storeCreditAccountTransaction: null, userErrors: [] } };
      }) as AdminGraphql;
      const issue: RewardIssue = {
        shop: 'ops.myshopify.com',
        customerId: '7',
        code: 'TALLY-1',
        reward: rewardSchema.parse({ ...base, ...reward }),
        value,
        currency: 'USD',
        startsAt: new Date('2026-12-01T00:00:00Z'),
        endsAt: new Date('2026-12-31T00:00:00Z'),
      };
      await expect(issueReward(recorder, issue)).resolves.toMatchObject({ issued: true });
      expect(sent).toHaveLength(1);
      const { query, variables } = sent[0]!;
      expect(documents.map(([, source]) => source)).toContain(query);
      const operation = parse(query).definitions[0] as OperationDefinitionNode;
      const coerced = getVariableValues(admin.schema, operation.variableDefinitions ?? [], variables);
      expect(coerced.errors?.map((error) => error.message) ?? []).toEqual([]);
      const deprecated = (operation.variableDefinitions ?? []).flatMap((definition) => {
        const type = typeFromAST(admin.schema, definition.type);
        const variable = definition.variable.name.value;
        return type && isInputType(type) ? deprecatedInputs(type, variables[variable], `$${variable}`) : [];
      });
      expect(deprecated).toEqual([]);
    });
  });
});

import express, { Router } from 'express';
import { buildSchema, graphql, parse, validate, type OperationDefinitionNode, type SelectionSetNode } from 'graphql';
import { currencyDecimals, formatAmount } from './money.js';
import { BUCKET_MAXIMUM, BUCKET_RESTORE_PER_SECOND, newAccessToken, type DevDiscount, type DevShop } from './state.js';
import { verifySessionToken } from './session-token.js';

/** The slice of Shopify's Admin GraphQL schema the app uses, with Shopify's names and shapes. */
const schema = buildSchema(`
  scalar DateTime
  scalar Decimal
  scalar UnsignedInt64
  type Query { shop: Shop! nodes(ids: [ID!]!): [Node]! currentAppInstallation: AppInstallation! }
  type AppInstallation { id: ID! }
  interface Node { id: ID! }
  type Collection implements Node { id: ID! }
  type CollectionConnection { nodes: [Collection!]! }
  type Product implements Node { id: ID! title: String! tags: [String!]! collections(first: Int): CollectionConnection! }
  type Shop { name: String! myshopifyDomain: String! currencyCode: String! ianaTimezone: String! plan: ShopPlan! }
  type ShopPlan { shopifyPlus: Boolean! }
  type UserError { field: [String!] code: String message: String! }
  type DiscountCodeNode { id: ID! }
  type DiscountCodeBasicCreatePayload { codeDiscountNode: DiscountCodeNode userErrors: [UserError!]! }
  type DiscountCodeFreeShippingCreatePayload { codeDiscountNode: DiscountCodeNode userErrors: [UserError!]! }
  type MoneyV2 { amount: Decimal! currencyCode: String! }
  type StoreCreditAccount { id: ID! balance: MoneyV2! }
  type StoreCreditAccountCreditTransaction { amount: MoneyV2! account: StoreCreditAccount! }
  type StoreCreditAccountCreditPayload { storeCreditAccountTransaction: StoreCreditAccountCreditTransaction userErrors: [UserError!]! }
  type Metafield { namespace: String! key: String! value: String! }
  type MetafieldsSetPayload { metafields: [Metafield!] userErrors: [UserError!]! }
  input DiscountCustomersInput { add: [ID!] }
  input DiscountContextInput { all: String customers: DiscountCustomersInput }
  input DiscountCustomerSelectionInput { all: Boolean customers: DiscountCustomersInput }
  input DiscountAmountInput { amount: Decimal appliesOnEachItem: Boolean }
  input DiscountEffectInput { percentage: Float amount: Decimal }
  input DiscountOnQuantityInput { quantity: UnsignedInt64 effect: DiscountEffectInput }
  input DiscountCustomerGetsValueInput { discountAmount: DiscountAmountInput percentage: Float discountOnQuantity: DiscountOnQuantityInput }
  input DiscountProductsInput { productsToAdd: [ID!] productVariantsToAdd: [ID!] }
  input DiscountItemsInput { all: Boolean products: DiscountProductsInput }
  input DiscountCustomerGetsInput { value: DiscountCustomerGetsValueInput items: DiscountItemsInput appliesOnOneTimePurchase: Boolean appliesOnSubscription: Boolean }
  input DiscountMinimumSubtotalInput { greaterThanOrEqualToSubtotal: Decimal }
  input DiscountMinimumRequirementInput { subtotal: DiscountMinimumSubtotalInput }
  input DiscountCombinesWithInput { orderDiscounts: Boolean productDiscounts: Boolean shippingDiscounts: Boolean }
  input DiscountCodeBasicInput {
    title: String code: String startsAt: DateTime endsAt: DateTime
    context: DiscountContextInput customerSelection: DiscountCustomerSelectionInput
    customerGets: DiscountCustomerGetsInput minimumRequirement: DiscountMinimumRequirementInput
    usageLimit: Int appliesOncePerCustomer: Boolean combinesWith: DiscountCombinesWithInput
  }
  input DiscountCodeFreeShippingInput {
    title: String code: String startsAt: DateTime endsAt: DateTime
    context: DiscountContextInput customerSelection: DiscountCustomerSelectionInput
    minimumRequirement: DiscountMinimumRequirementInput usageLimit: Int appliesOncePerCustomer: Boolean
    combinesWith: DiscountCombinesWithInput
  }
  input MoneyInput { amount: Decimal! currencyCode: String! }
  input StoreCreditAccountCreditInput { creditAmount: MoneyInput! expiresAt: DateTime notify: Boolean }
  input MetafieldsSetInput { ownerId: ID! namespace: String key: String! value: String! type: String }
  type Mutation {
    discountCodeBasicCreate(basicCodeDiscount: DiscountCodeBasicInput!): DiscountCodeBasicCreatePayload
    discountCodeFreeShippingCreate(freeShippingCodeDiscount: DiscountCodeFreeShippingInput!): DiscountCodeFreeShippingCreatePayload
    storeCreditAccountCredit(id: ID!, creditInput: StoreCreditAccountCreditInput!): StoreCreditAccountCreditPayload
    metafieldsSet(metafields: [MetafieldsSetInput!]!): MetafieldsSetPayload
  }
`);

interface DiscountInput {
  title?: string;
  code?: string;
  startsAt?: string;
  endsAt?: string | null;
  context?: { customers?: { add?: string[] } };
  customerSelection?: { customers?: { add?: string[] } };
  customerGets?: {
    value?: { discountAmount?: { amount?: string }; percentage?: number; discountOnQuantity?: { effect?: { percentage?: number } } };
    items?: { products?: { productVariantsToAdd?: string[] } };
  };
  minimumRequirement?: { subtotal?: { greaterThanOrEqualToSubtotal?: string } };
  usageLimit?: number | null;
}

function gidNumber(gid: string, type: string): number | undefined {
  const match = new RegExp(`^gid://shopify/${type}/(\\d+)$`).exec(gid);
  return match ? Number(match[1]) : undefined;
}

export function toMinor(amount: string, currency: string): number {
  const decimals = currencyDecimals(currency);
  const [whole = '0', fraction = ''] = amount.split('.');
  return Number(whole) * 10 ** decimals + Number((fraction + '000').slice(0, decimals) || '0') * (amount.startsWith('-') ? -1 : 1);
}

/** Shopify's static cost: 1 per object, 0 per scalar, 10 for a mutation (lists of ids count once here). */
function requestedCost(operation: OperationDefinitionNode): number {
  if (operation.operation === 'mutation') return 10;
  const objects = (set: SelectionSetNode | undefined): number =>
    (set?.selections ?? []).reduce((sum, selection) => sum + (selection.kind === 'Field' && selection.selectionSet ? 1 + objects(selection.selectionSet) : 0), 0);
  return Math.max(1, objects(operation.selectionSet));
}

function createDiscount(shop: DevShop, input: DiscountInput, kind: DevDiscount['kind'], now: Date): { codeDiscountNode: { id: string } | null; userErrors: object[] } {
  const field = kind === 'basic' ? 'basicCodeDiscount' : 'freeShippingCodeDiscount';
  const code = input.code?.trim() ?? '';
  if (!code) return { codeDiscountNode: null, userErrors: [{ field: [field, 'code'], code: 'BLANK', message: "Code can't be blank" }] };
  if ([...shop.discounts.values()].some((discount) => discount.code.toLowerCase() === code.toLowerCase())) {
    return { codeDiscountNode: null, userErrors: [{ field: [field, 'code'], code: 'TAKEN', message: 'Code must be unique. Please try a different code.' }] };
  }
  if (!input.startsAt) return { codeDiscountNode: null, userErrors: [{ field: [field, 'startsAt'], code: 'BLANK', message: "Starts at can't be blank" }] };
  const customers = input.context?.customers?.add ?? input.customerSelection?.customers?.add;
  const customerIds = customers ? customers.map((gid) => gidNumber(gid, 'Customer')).filter((id): id is number => id !== undefined) : 'all';
  let value: DevDiscount['value'] = { freeShipping: true };
  if (kind === 'basic') {
    const given = input.customerGets?.value;
    const variant = input.customerGets?.items?.products?.productVariantsToAdd?.[0];
    if (given?.discountAmount?.amount) value = { amountMinor: toMinor(given.discountAmount.amount, shop.currency) };
    else if (typeof given?.percentage === 'number') value = { percentage: given.percentage };
    else if (given?.discountOnQuantity && variant) value = { freeVariantId: gidNumber(variant, 'ProductVariant') ?? 0 };
    else return { codeDiscountNode: null, userErrors: [{ field: [field, 'customerGets'], code: 'INVALID', message: 'Customer gets value is required' }] };
  }
  const id = `gid://shopify/DiscountCodeNode/${shop.discounts.size + 1}${now.getTime() % 100000}`;
  shop.discounts.set(id, {
    id,
    code,
    title: input.title ?? code,
    kind,
    value,
    customerIds,
    startsAt: new Date(input.startsAt),
    endsAt: input.endsAt ? new Date(input.endsAt) : null,
    usageLimit: input.usageLimit ?? null,
    minimumSubtotalMinor: input.minimumRequirement?.subtotal?.greaterThanOrEqualToSubtotal
      ? toMinor(input.minimumRequirement.subtotal.greaterThanOrEqualToSubtotal, shop.currency)
      : null,
    usedCount: 0,
  });
  return { codeDiscountNode: { id }, userErrors: [] };
}

function resolvers(shop: DevShop, now: Date): Record<string, unknown> {
  return {
    nodes: ({ ids }: { ids: string[] }) =>
      ids.map((gid) => {
        const product = shop.products.get(gidNumber(gid, 'Product') ?? -1);
        return product
          ? { __typename: 'Product', id: gid, title: product.title, tags: product.tags, collections: { nodes: (product.collectionIds ?? []).map((id) => ({ id: `gid://shopify/Collection/${id}` })) } }
          : null;
      }),
    currentAppInstallation: { id: `gid://shopify/AppInstallation/${shop.domain.length}${shop.name.length}` },
    shop: { name: shop.name, myshopifyDomain: shop.domain, currencyCode: shop.currency, ianaTimezone: shop.timezone, plan: { shopifyPlus: shop.shopifyPlus } },
    discountCodeBasicCreate: ({ basicCodeDiscount }: { basicCodeDiscount: DiscountInput }) => createDiscount(shop, basicCodeDiscount, 'basic', now),
    discountCodeFreeShippingCreate: ({ freeShippingCodeDiscount }: { freeShippingCodeDiscount: DiscountInput }) =>
      createDiscount(shop, freeShippingCodeDiscount, 'free_shipping', now),
    storeCreditAccountCredit: ({ id, creditInput }: { id: string; creditInput: { creditAmount: { amount: string; currencyCode: string } } }) => {
      const customerId = gidNumber(id, 'Customer') ?? gidNumber(id, 'StoreCreditAccount');
      if (customerId === undefined || !shop.customers.has(customerId)) {
        return { storeCreditAccountTransaction: null, userErrors: [{ field: ['id'], code: 'ACCOUNT_NOT_FOUND', message: 'Store credit account does not exist' }] };
      }
      const { amount, currencyCode } = creditInput.creditAmount;
      if (currencyCode !== shop.currency) {
        return { storeCreditAccountTransaction: null, userErrors: [{ field: ['creditInput', 'creditAmount', 'currencyCode'], code: 'MISMATCHING_CURRENCY', message: 'Currency does not match the account' }] };
      }
      const minor = toMinor(amount, currencyCode);
      if (!(minor > 0)) {
        return { storeCreditAccountTransaction: null, userErrors: [{ field: ['creditInput', 'creditAmount', 'amount'], code: 'NEGATIVE_OR_ZERO_AMOUNT', message: 'A positive amount must be used to credit a store credit account' }] };
      }
      const balance = (shop.storeCredit.get(customerId) ?? 0) + minor;
      shop.storeCredit.set(customerId, balance);
      return {
        storeCreditAccountTransaction: {
          amount: { amount: formatAmount(minor, currencyCode), currencyCode },
          account: { id: `gid://shopify/StoreCreditAccount/${customerId}`, balance: { amount: formatAmount(balance, currencyCode), currencyCode } },
        },
        userErrors: [],
      };
    },
    metafieldsSet: ({ metafields }: { metafields: Array<{ namespace?: string; key: string; value: string }> }) => {
      for (const metafield of metafields) shop.metafields.set(`${metafield.namespace ?? 'app'}.${metafield.key}`, metafield.value);
      return { metafields: metafields.map((metafield) => ({ namespace: metafield.namespace ?? 'app', key: metafield.key, value: metafield.value })), userErrors: [] };
    },
  };
}

/** Token exchange and Admin GraphQL for the devstore's shops, as Shopify documents them. */
export function adminApiRouter(options: { apiKey: string; apiSecret: string; clock: () => Date; shop: (domain: string) => DevShop | undefined }): Router {
  const router = Router({ mergeParams: true });
  router.use(express.json({ limit: '1mb' }), express.urlencoded({ extended: false }));

  router.post('/admin/oauth/access_token', (req, res) => {
    const shop = options.shop(String((req.params as Record<string, string>).shop));
    const body = (req.body ?? {}) as Record<string, unknown>;
    if (!shop) {
      res.status(404).json({ errors: 'Not Found' });
      return;
    }
    if (body.client_id !== options.apiKey || body.client_secret !== options.apiSecret) {
      res.status(401).json({ error: 'invalid_client', error_description: 'Client credentials are invalid' });
      return;
    }
    if (body.grant_type !== 'urn:ietf:params:oauth:grant-type:token-exchange' || body.subject_token_type !== 'urn:ietf:params:oauth:token-type:id_token') {
      res.status(400).json({ error: 'invalid_request', error_description: 'Unsupported grant or subject token type' });
      return;
    }
    // Session tokens carry wall-clock times, checked against Shopify's own clock, not a test's.
    const claims = typeof body.subject_token === 'string' ? verifySessionToken(body.subject_token, options.apiSecret, new Date()) : undefined;
    if (!claims || claims.dest !== `https://${shop.domain}` || claims.aud !== options.apiKey) {
      res.status(400).json({ error: 'invalid_subject_token', error_description: 'Session token is invalid' });
      return;
    }
    const token = newAccessToken();
    shop.accessTokens.set(token, 'offline');
    shop.appInstalled = true;
    res.json({ access_token: token, scope: 'read_orders,read_customers,write_discounts,write_store_credit_account_transactions' });
  });

  router.post('/admin/api/:version/graphql.json', async (req, res) => {
    const shop = options.shop(String((req.params as Record<string, string>).shop));
    const token = req.headers['x-shopify-access-token'];
    if (!shop || typeof token !== 'string' || !shop.accessTokens.has(token)) {
      res.status(401).json({ errors: '[API] Invalid API key or access token (unrecognized login or wrong password)' });
      return;
    }
    const fault = shop.faults.shift();
    if (fault === '5xx') {
      res.status(502).json({ errors: 'Bad Gateway' });
      return;
    }
    const { query, variables } = (req.body ?? {}) as { query?: unknown; variables?: Record<string, unknown> };
    if (typeof query !== 'string') {
      res.status(400).json({ errors: { query: 'Required parameter missing or invalid' } });
      return;
    }
    let document;
    try {
      document = parse(query);
    } catch (error) {
      res.json({ errors: [{ message: (error as Error).message }] });
      return;
    }
    const errors = validate(schema, document);
    if (errors.length > 0) {
      res.json({ errors: errors.map((error) => ({ message: error.message, locations: error.locations })) });
      return;
    }
    const operation = document.definitions.find((definition): definition is OperationDefinitionNode => definition.kind === 'OperationDefinition');
    const cost = operation ? requestedCost(operation) : 1;
    const now = options.clock();
    const elapsed = Math.max(0, (now.getTime() - shop.bucket.updatedAt) / 1000);
    shop.bucket.available = Math.min(BUCKET_MAXIMUM, shop.bucket.available + elapsed * BUCKET_RESTORE_PER_SECOND);
    shop.bucket.updatedAt = now.getTime();
    const throttleStatus = () => ({ maximumAvailable: BUCKET_MAXIMUM, currentlyAvailable: Math.floor(shop.bucket.available), restoreRate: BUCKET_RESTORE_PER_SECOND });
    if (fault === 'throttled' || shop.bucket.available < cost) {
      res.json({
        errors: [{ message: 'Throttled', extensions: { code: 'THROTTLED', documentation: 'https://shopify.dev/api/usage/rate-limits' } }],
        extensions: { cost: { requestedQueryCost: cost, actualQueryCost: null, throttleStatus: throttleStatus() } },
      });
      return;
    }
    shop.bucket.available -= cost;
    if (fault === 'userErrors' && operation?.operation === 'mutation') {
      const field = operation.selectionSet.selections[0];
      const name = field?.kind === 'Field' ? field.name.value : 'mutation';
      res.json({
        data: { [name]: { codeDiscountNode: null, storeCreditAccountTransaction: null, metafields: null, userErrors: [{ field: null, code: 'INTERNAL_ERROR', message: 'Injected failure' }] } },
        extensions: { cost: { requestedQueryCost: cost, actualQueryCost: cost, throttleStatus: throttleStatus() } },
      });
      return;
    }
    const result = await graphql({ schema, source: query, rootValue: resolvers(shop, now), variableValues: variables ?? {} });
    res.json({ ...result, extensions: { cost: { requestedQueryCost: cost, actualQueryCost: cost, throttleStatus: throttleStatus() } } });
  });
  return router;
}

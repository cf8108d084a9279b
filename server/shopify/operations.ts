/**
 * The Admin GraphQL operations Tally uses; the devstore implements exactly these, and
 * test/shopify/admin-operations.test.ts validates each against Shopify's published schema.
 */

export interface UserError {
  field: string[] | null;
  code: string | null;
  message: string;
}

export const SHOP_QUERY = `query Shop { shop { id name myshopifyDomain currencyCode ianaTimezone plan { shopifyPlus } } }`;
export interface ShopQueryData {
  shop: { id: string; name: string; myshopifyDomain: string; currencyCode: string; ianaTimezone: string; plan: { shopifyPlus: boolean } };
}

export const DISCOUNT_CODE_BASIC_CREATE = `mutation DiscountCodeBasicCreate($basicCodeDiscount: DiscountCodeBasicInput!) {
  discountCodeBasicCreate(basicCodeDiscount: $basicCodeDiscount) {
    codeDiscountNode { id }
    userErrors { field code message }
  }
}`;
export interface DiscountCodeBasicCreateData {
  discountCodeBasicCreate: { codeDiscountNode: { id: string } | null; userErrors: UserError[] };
}

/** A free item: Shopify gives one with a Buy X get Y discount (`discountOnQuantity` is BXGY's value, not a basic discount's). */
export const DISCOUNT_CODE_BXGY_CREATE = `mutation DiscountCodeBxgyCreate($bxgyCodeDiscount: DiscountCodeBxgyInput!) {
  discountCodeBxgyCreate(bxgyCodeDiscount: $bxgyCodeDiscount) {
    codeDiscountNode { id }
    userErrors { field code message }
  }
}`;
export interface DiscountCodeBxgyCreateData {
  discountCodeBxgyCreate: { codeDiscountNode: { id: string } | null; userErrors: UserError[] };
}

export const DISCOUNT_CODE_FREE_SHIPPING_CREATE = `mutation DiscountCodeFreeShippingCreate($freeShippingCodeDiscount: DiscountCodeFreeShippingInput!) {
  discountCodeFreeShippingCreate(freeShippingCodeDiscount: $freeShippingCodeDiscount) {
    codeDiscountNode { id }
    userErrors { field code message }
  }
}`;
export interface DiscountCodeFreeShippingCreateData {
  discountCodeFreeShippingCreate: { codeDiscountNode: { id: string } | null; userErrors: UserError[] };
}

export const STORE_CREDIT_ACCOUNT_CREDIT = `mutation StoreCreditAccountCredit($id: ID!, $creditInput: StoreCreditAccountCreditInput!) {
  storeCreditAccountCredit(id: $id, creditInput: $creditInput) {
    storeCreditAccountTransaction { amount { amount currencyCode } account { id balance { amount currencyCode } } }
    userErrors { field code message }
  }
}`;
export interface StoreCreditAccountCreditData {
  storeCreditAccountCredit: {
    storeCreditAccountTransaction: {
      amount: { amount: string; currencyCode: string };
      account: { id: string; balance: { amount: string; currencyCode: string } };
    } | null;
    userErrors: UserError[];
  };
}

export const METAFIELDS_SET = `mutation MetafieldsSet($metafields: [MetafieldsSetInput!]!) {
  metafieldsSet(metafields: $metafields) {
    metafields { namespace key value }
    userErrors { field code message }
  }
}`;
export interface MetafieldsSetData {
  metafieldsSet: { metafields: Array<{ namespace: string; key: string; value: string }> | null; userErrors: UserError[] };
}

/** How many of a product's collections PRODUCTS_FOR_MULTIPLIERS reads. */
export const COLLECTIONS_PER_PRODUCT = 50;

/** Tags and collections of the products in an order, for earning multipliers (webhooks carry neither). */
export const PRODUCTS_FOR_MULTIPLIERS = `query ProductsForMultipliers($ids: [ID!]!) {
  nodes(ids: $ids) { ... on Product { id tags collections(first: ${COLLECTIONS_PER_PRODUCT}) { nodes { id } } } }
}`;

/** Shopify's single-query limit on calculated cost, and its limit on an input array such as `nodes(ids:)`. */
export const SINGLE_QUERY_MAX_COST = 1000;
export const MAX_INPUT_IDS = 250;

/**
 * The requested cost of PRODUCTS_FOR_MULTIPLIERS for `count` ids under Shopify's documented rules:
 * each listed Product is an object (1), its `collections` connection costs 2 plus one per
 * collection it may return (`first`), scalars cost nothing.
 */
export function productsForMultipliersCost(count: number): number {
  return count * (1 + 2 + COLLECTIONS_PER_PRODUCT);
}

/**
 * Splits product ids into PRODUCTS_FOR_MULTIPLIERS calls that each stay within `budget` (Shopify's
 * single-query limit by default) and Shopify's 250 ids per input array: call the query once per
 * batch, passing `productsForMultipliersCost(batch.length)` as the expected cost.
 */
export function productBatches(ids: readonly string[], budget = SINGLE_QUERY_MAX_COST): string[][] {
  const perBatch = Math.min(MAX_INPUT_IDS, Math.floor(budget / productsForMultipliersCost(1)));
  if (perBatch < 1) throw new RangeError(`a budget of ${budget} cannot pay for one product (${productsForMultipliersCost(1)})`);
  const batches: string[][] = [];
  for (let start = 0; start < ids.length; start += perBatch) batches.push(ids.slice(start, start + perBatch));
  return batches;
}
export interface ProductsForMultipliersData {
  nodes: Array<{ id: string; tags: string[]; collections: { nodes: Array<{ id: string }> } } | null>;
}

/** The app's installation on the shop: owner of the app-data metafields the theme extension reads as `app.metafields`. */
export const CURRENT_APP_INSTALLATION = `query CurrentAppInstallation { currentAppInstallation { id } }`;
export interface CurrentAppInstallationData {
  currentAppInstallation: { id: string };
}

/** A customer's tags: webhooks carry none since API 2025-01 (customers/tags.ts keeps them current). */
export const CUSTOMER_TAGS = `query CustomerTags($id: ID!) { customer(id: $id) { id tags } }`;
export interface CustomerTagsData {
  customer: { id: string; tags: string[] } | null;
}

/** The newest credits on a customer's store credit accounts: how cash back finds a credit it made before a crash. */
export const STORE_CREDIT_RECENT = `query StoreCreditRecent($id: ID!) {
  customer(id: $id) { storeCreditAccounts(first: 5) { nodes { id transactions(first: 50, reverse: true) { nodes { amount { amount currencyCode } createdAt } } } } }
}`;
export interface StoreCreditRecentData {
  customer: {
    storeCreditAccounts: {
      nodes: Array<{ id: string; transactions: { nodes: Array<{ amount: { amount: string; currencyCode: string }; createdAt: string }> } }>;
    };
  } | null;
}

/** The automatic app discount under which Shopify runs the Discount Function extensions/tally-discount. */
export const DISCOUNT_AUTOMATIC_APP_CREATE = `mutation DiscountAutomaticAppCreate($automaticAppDiscount: DiscountAutomaticAppInput!) {
  discountAutomaticAppCreate(automaticAppDiscount: $automaticAppDiscount) {
    automaticAppDiscount { discountId }
    userErrors { field code message }
  }
}`;
export interface DiscountAutomaticAppCreateData {
  discountAutomaticAppCreate: { automaticAppDiscount: { discountId: string } | null; userErrors: UserError[] };
}

/**
 * A customer's tier where Shopify segments and Flow can use it: the app-owned metafield
 * `$app:tally.tier` (the tier id) and a `tally-tier-<id>` tag; `write_customers`.
 */
export const TIER_METAFIELDS_SET = `mutation TierMetafieldsSet($metafields: [MetafieldsSetInput!]!) {
  metafieldsSet(metafields: $metafields) {
    metafields { namespace key value }
    userErrors { field code message }
  }
}`;

export const TIER_TAGS_ADD = `mutation TierTagsAdd($id: ID!, $tags: [String!]!) {
  tagsAdd(id: $id, tags: $tags) {
    node { id }
    userErrors { field message }
  }
}`;

export const TIER_TAGS_REMOVE = `mutation TierTagsRemove($id: ID!, $tags: [String!]!) {
  tagsRemove(id: $id, tags: $tags) {
    node { id }
    userErrors { field message }
  }
}`;

/** A referrer's code for friends (referrals/shopify.ts builds its input). */
export const REFERRAL_DISCOUNT_CREATE = `mutation ReferralDiscountCreate($basicCodeDiscount: DiscountCodeBasicInput!) {
  discountCodeBasicCreate(basicCodeDiscount: $basicCodeDiscount) {
    codeDiscountNode { id }
    userErrors { field code message }
  }
}`;

/** Customer segments by name (`name:'…'` in Shopify's search syntax): the referral segment is looked up before it is created. */
export const SEGMENTS_BY_NAME = `query SegmentsByName($query: String!) {
  segments(first: 10, query: $query) {
    nodes { id name query }
  }
}`;

/** A customer segment (referrals/segment.ts: first-time customers, for the friend's code). Needs write_customers. */
export const SEGMENT_CREATE = `mutation SegmentCreate($name: String!, $query: String!) {
  segmentCreate(name: $name, query: $query) {
    segment { id name query }
    userErrors { field message }
  }
}`;

/** Shopify customers by email for imported rows: a batch of addresses joined with OR in Shopify's search syntax. */
export const CUSTOMERS_BY_EMAIL = `query CustomersByEmail($query: String!, $first: Int!) {
  customers(first: $first, query: $query) {
    nodes { id defaultEmailAddress { emailAddress } }
  }
}`;

/** Starts a bulk query (the backfill's orders); `groupObjects: false` is the faster, ungrouped JSONL Shopify recommends. */
export const BULK_OPERATION_RUN_QUERY = `mutation BulkOperationRunQuery($query: String!) {
  bulkOperationRunQuery(query: $query, groupObjects: false) {
    bulkOperation { id status }
    userErrors { field code message }
  }
}`;
export interface BulkOperationRunQueryData {
  bulkOperationRunQuery: {
    bulkOperation: { id: string; status: string } | null;
    userErrors: Array<{ field: string[] | null; code: string | null; message: string }>;
  };
}

/** One bulk operation by id (`currentBulkOperation` is deprecated in 2026-10 for this and `bulkOperations`). */
export const BULK_OPERATION = `query BulkOperation($id: ID!) {
  bulkOperation(id: $id) { id status errorCode objectCount rootObjectCount url partialDataUrl createdAt completedAt }
}`;
export interface BulkOperationData {
  bulkOperation: {
    id: string;
    status: string;
    errorCode: string | null;
    objectCount: string;
    rootObjectCount: string;
    url: string | null;
    partialDataUrl: string | null;
    createdAt: string;
    completedAt: string | null;
  } | null;
}

/** Starts the workflows of a Flow trigger of this app (extensions/tally-flow-*). */
export const FLOW_TRIGGER_RECEIVE = `mutation FlowTriggerReceive($handle: String!, $payload: JSON!) {
  flowTriggerReceive(handle: $handle, payload: $payload) { userErrors { field message } }
}`;
export interface FlowTriggerReceiveData {
  flowTriggerReceive: { userErrors: Array<{ field: string[] | null; message: string }> };
}

/** A reward code given back before it was used (a reward removed from a POS sale): it stops working at once. */
export const DISCOUNT_CODE_DEACTIVATE = `mutation DiscountCodeDeactivate($id: ID!) {
  discountCodeDeactivate(id: $id) {
    codeDiscountNode { id }
    userErrors { field code message }
  }
}`;
export interface DiscountCodeDeactivateData {
  discountCodeDeactivate: { codeDiscountNode: { id: string } | null; userErrors: UserError[] };
}

/** A customer enrolled at the register; Shopify then sends customers/create as for any new customer. */
export const CUSTOMER_CREATE = `mutation CustomerCreate($input: CustomerInput!) {
  customerCreate(input: $input) {
    customer { id firstName lastName defaultEmailAddress { emailAddress } }
    userErrors { field message }
  }
}`;
export interface CustomerCreateData {
  customerCreate: {
    customer: { id: string; firstName: string | null; lastName: string | null; defaultEmailAddress: { emailAddress: string } | null } | null;
    userErrors: Array<{ field: string[] | null; message: string }>;
  };
}

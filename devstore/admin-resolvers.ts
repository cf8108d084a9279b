import { metafieldKey } from './devstore.js';
import { currencyDecimals, formatAmount } from './money.js';
import { shopNumericId, type DevDiscount, type DevShop } from './state.js';
import { customerSearchRootValue } from './admin-customer-search.js';
import { bulkRootValue, flowRootValue } from './admin-bulk.js';
import { tagsRootValue } from './admin-tags.js';
import { segmentsRootValue } from './admin-segments.js';
import { customerCreateRootValue } from './admin-customer-create.js';
import type { WebhookEvent } from './webhooks.js';

interface UserErrorShape {
  field: string[] | null;
  code: string | null;
  message: string;
}

interface ItemsInput {
  all?: boolean;
  products?: { productsToAdd?: string[]; productVariantsToAdd?: string[] };
  collections?: { add?: string[] };
}

interface DiscountInput {
  title?: string;
  code?: string;
  startsAt?: string;
  endsAt?: string | null;
  context?: { all?: string; customers?: { add?: string[] }; customerSegments?: { add?: string[] } };
  customerSelection?: { all?: boolean; customers?: { add?: string[] } };
  customerBuys?: { value?: { quantity?: string; amount?: string }; items?: ItemsInput };
  customerGets?: {
    value?: {
      discountAmount?: { amount?: string };
      percentage?: number;
      discountOnQuantity?: { quantity?: string; effect?: { percentage?: number } };
    };
    items?: ItemsInput;
  };
  minimumRequirement?: { subtotal?: { greaterThanOrEqualToSubtotal?: string } };
  usageLimit?: number | null;
}

type DiscountKind = 'basic' | 'bxgy' | 'free_shipping';

const INPUT_NAME: Record<DiscountKind, string> = { basic: 'basicCodeDiscount', bxgy: 'bxgyCodeDiscount', free_shipping: 'freeShippingCodeDiscount' };

function gidNumber(gid: string, type: string): number | undefined {
  const match = new RegExp(`^gid://shopify/${type}/(\\d+)$`).exec(gid);
  return match ? Number(match[1]) : undefined;
}

export function toMinor(amount: string, currency: string): number {
  const decimals = currencyDecimals(currency);
  const [whole = '0', fraction = ''] = amount.split('.');
  return Number(whole) * 10 ** decimals + Number((fraction + '000').slice(0, decimals) || '0') * (amount.startsWith('-') ? -1 : 1);
}

function refused(field: string[], code: string, message: string): { codeDiscountNode: null; userErrors: UserErrorShape[] } {
  return { codeDiscountNode: null, userErrors: [{ field, code, message }] };
}

/** What the discount gives, as the devstore's checkout applies it; a user error when Shopify would refuse it. */
function discountValue(shop: DevShop, input: DiscountInput, kind: DiscountKind, field: string): DevDiscount['value'] | UserErrorShape {
  if (kind === 'free_shipping') return { freeShipping: true };
  const given = input.customerGets?.value;
  const variant = input.customerGets?.items?.products?.productVariantsToAdd?.[0];
  if (kind === 'bxgy') {
    // Shopify: BXGY takes discountOnQuantity only ("BXGY doesn't support percentage / discountAmount"), and no `all` items.
    if (!input.customerBuys?.items || !input.customerBuys.value)
      return { field: [field, 'customerBuys'], code: 'BLANK', message: "Customer buys can't be blank" };
    if (input.customerBuys.items.all || input.customerGets?.items?.all)
      return { field: [field, 'customerGets', 'items'], code: 'INVALID', message: 'All items is not supported for Buy X get Y discounts' };
    if (given?.percentage !== undefined || given?.discountAmount)
      return { field: [field, 'customerGets', 'value'], code: 'INVALID', message: 'Buy X get Y discounts only support discountOnQuantity' };
    const effect = given?.discountOnQuantity?.effect?.percentage;
    if (!given?.discountOnQuantity || effect === undefined || !variant)
      return { field: [field, 'customerGets'], code: 'BLANK', message: "Customer gets can't be blank" };
    if (effect !== 1) return { field: [field, 'customerGets', 'value'], code: 'INVALID', message: 'The devstore gives Buy X get Y items free only' };
    return { freeVariantId: gidNumber(variant, 'ProductVariant') ?? 0 };
  }
  if (given?.discountOnQuantity)
    return {
      field: [field, 'customerGets', 'value', 'discountOnQuantity'],
      code: 'INVALID',
      message: 'discountOnQuantity applies to Buy X get Y discounts only',
    };
  if (given?.discountAmount?.amount) return { amountMinor: toMinor(given.discountAmount.amount, shop.currency) };
  if (typeof given?.percentage === 'number') {
    if (given.percentage < 0 || given.percentage > 1)
      return { field: [field, 'customerGets', 'value', 'percentage'], code: 'VALUE_OUTSIDE_RANGE', message: 'Value must be between 0.00 - 1.00' };
    return { percentage: given.percentage };
  }
  return { field: [field, 'customerGets'], code: 'BLANK', message: "Customer gets can't be blank" };
}

function createDiscount(
  shop: DevShop,
  input: DiscountInput,
  kind: DiscountKind,
  now: Date,
): { codeDiscountNode: { id: string } | null; userErrors: UserErrorShape[] } {
  const field = INPUT_NAME[kind];
  const code = input.code?.trim() ?? '';
  if (!input.title?.trim()) return refused([field, 'title'], 'BLANK', "Title can't be blank");
  if (!code) return refused([field, 'code'], 'BLANK', "Code can't be blank");
  if ([...shop.discounts.values()].some((discount) => discount.code.toLowerCase() === code.toLowerCase())) {
    return refused([field, 'code'], 'TAKEN', 'Code must be unique. Please try a different code.');
  }
  if (!input.startsAt) return refused([field, 'startsAt'], 'BLANK', "Starts at can't be blank");
  if (input.endsAt && new Date(input.endsAt) <= new Date(input.startsAt))
    return refused([field, 'endsAt'], 'END_DATE_BEFORE_START_DATE', 'Ends at needs to be after starts_at');
  const customers = input.context?.customers?.add ?? input.customerSelection?.customers?.add;
  if (!input.context && !input.customerSelection) return refused([field, 'context'], 'BLANK', "Context can't be blank");
  const value = discountValue(shop, input, kind, field);
  if ('message' in value) return { codeDiscountNode: null, userErrors: [value] };
  const customerIds = customers ? customers.map((gid) => gidNumber(gid, 'Customer')).filter((id): id is number => id !== undefined) : 'all';
  const id = `gid://shopify/DiscountCodeNode/${shop.discounts.size + 1}${now.getTime() % 100000}`;
  const minimum =
    input.minimumRequirement?.subtotal?.greaterThanOrEqualToSubtotal ?? (kind === 'bxgy' ? input.customerBuys?.value?.amount : undefined);
  shop.discounts.set(id, {
    id,
    code,
    title: input.title,
    kind: kind === 'free_shipping' ? 'free_shipping' : 'basic',
    value,
    customerIds,
    startsAt: new Date(input.startsAt),
    endsAt: input.endsAt ? new Date(input.endsAt) : null,
    usageLimit: input.usageLimit ?? null,
    minimumSubtotalMinor: minimum ? toMinor(minimum, shop.currency) : null,
    usedCount: 0,
  });
  return { codeDiscountNode: { id }, userErrors: [] };
}

function connection<T>(items: T[], first: number | undefined, cursor: (item: T) => string) {
  const page = items.slice(0, first ?? items.length);
  return {
    nodes: page,
    edges: page.map((node) => ({ node, cursor: cursor(node) })),
    pageInfo: {
      hasNextPage: page.length < items.length,
      hasPreviousPage: false,
      startCursor: page[0] ? cursor(page[0]) : null,
      endCursor: page.length > 0 ? cursor(page[page.length - 1]!) : null,
    },
  };
}

export interface ResolverOptions {
  now: Date;
  /** The devstore's 'userErrors' fault: the next mutation answers with an injected user error. */
  injectUserError: boolean;
  /** Sends a webhook Shopify would send because of a mutation (customers/create after customerCreate). */
  announce?: (event: WebhookEvent) => void;
}

/**
 * Root values for graphql-js `execute` over Shopify's Admin schema: exactly the fields the app
 * uses, read from and written to the devstore's shop state. Fields the app does not use resolve
 * to nothing (a non-null one then errors, as an unimplemented field should).
 */
export function adminRootValue(shop: DevShop, options: ResolverOptions): Record<string, unknown> {
  const injected = (code: string | null) => ({ field: null, code, message: 'Injected failure' });
  const discountMutation = (kind: DiscountKind) => (args: Record<string, DiscountInput>) =>
    options.injectUserError
      ? { codeDiscountNode: null, userErrors: [injected('INTERNAL_ERROR')] }
      : createDiscount(shop, args[INPUT_NAME[kind]] ?? {}, kind, options.now);
  return {
    ...customerSearchRootValue(shop),
    ...bulkRootValue(shop, options),
    ...flowRootValue(shop),
    ...tagsRootValue(shop),
    ...customerCreateRootValue(shop, options.announce ?? (() => {}), options.now),
    shop: () => ({
      id: `gid://shopify/Shop/${shopNumericId(shop.domain)}`,
      name: shop.name,
      myshopifyDomain: shop.domain,
      currencyCode: shop.currency,
      ianaTimezone: shop.timezone,
      plan: { shopifyPlus: shop.shopifyPlus },
    }),
    currentAppInstallation: () => ({ id: `gid://shopify/AppInstallation/${shop.domain.length}${shop.name.length}` }),
    customer: ({ id }: { id: string }) => {
      const customerId = gidNumber(id, 'Customer');
      const customer = customerId === undefined ? undefined : shop.customers.get(customerId);
      if (!customer || customerId === undefined) return null;
      const credits = shop.storeCreditTransactions?.get(customerId) ?? [];
      const transactions = (args: { first?: number; reverse?: boolean }) => {
        const ordered = args.reverse ? [...credits].reverse() : credits;
        return {
          nodes: ordered.slice(0, args.first ?? 50).map((credit) => ({
            __typename: 'StoreCreditAccountCreditTransaction',
            amount: { amount: formatAmount(credit.amountMinor, shop.currency), currencyCode: shop.currency },
            createdAt: credit.createdAt,
          })),
        };
      };
      const accounts = shop.storeCredit.has(customerId) ? [{ id: `gid://shopify/StoreCreditAccount/${customerId}`, transactions }] : [];
      return { id, tags: customer.tags, storeCreditAccounts: { nodes: accounts } };
    },
    nodes: ({ ids }: { ids: string[] }) =>
      ids.map((gid) => {
        const productId = gidNumber(gid, 'Product');
        const product = productId === undefined ? undefined : shop.products.get(productId);
        if (!product) return null;
        const collections = (product.collectionIds ?? []).map((id) => ({ __typename: 'Collection', id: `gid://shopify/Collection/${id}` }));
        return {
          __typename: 'Product',
          id: gid,
          title: product.title,
          tags: product.tags,
          collections: ({ first, last }: { first?: number; last?: number }) =>
            connection(last !== undefined ? collections.slice(-last) : collections, first, (collection) => collection.id),
        };
      }),
    ...segmentsRootValue(shop, discountMutation('basic'), options.now),
    discountCodeBxgyCreate: discountMutation('bxgy'),
    // Shopify ends a deactivated code now: checkout refuses it from then on ("is not active").
    discountCodeDeactivate: ({ id }: { id: string }) => {
      if (options.injectUserError) return { codeDiscountNode: null, userErrors: [injected('INTERNAL_ERROR')] };
      const discount = shop.discounts.get(id);
      if (!discount) return refused(['id'], 'INVALID', 'Code discount does not exist.');
      discount.endsAt = options.now;
      return { codeDiscountNode: { id }, userErrors: [] };
    },
    discountCodeFreeShippingCreate: discountMutation('free_shipping'),
    discountAutomaticAppCreate: ({
      automaticAppDiscount,
    }: {
      automaticAppDiscount: { title?: string; functionHandle?: string; discountClasses?: string[] };
    }) => {
      if (options.injectUserError) return { automaticAppDiscount: null, userErrors: [injected('INTERNAL_ERROR')] };
      if (!automaticAppDiscount.functionHandle)
        return {
          automaticAppDiscount: null,
          userErrors: [{ field: ['automaticAppDiscount', 'functionHandle'], code: 'BLANK', message: "Function can't be blank" }],
        };
      const discountId = `gid://shopify/DiscountAutomaticNode/${(shop.automaticDiscounts?.length ?? 0) + 1}`;
      shop.automaticDiscounts = [
        ...(shop.automaticDiscounts ?? []),
        {
          discountId,
          title: automaticAppDiscount.title ?? '',
          functionHandle: automaticAppDiscount.functionHandle,
          discountClasses: automaticAppDiscount.discountClasses ?? [],
        },
      ];
      return { automaticAppDiscount: { discountId }, userErrors: [] };
    },
    storeCreditAccountCredit: ({
      id,
      creditInput,
    }: {
      id: string;
      creditInput: { creditAmount: { amount: string; currencyCode: string }; expiresAt?: string | null };
    }) => {
      if (options.injectUserError) return { storeCreditAccountTransaction: null, userErrors: [injected(null)] };
      const none = (field: string[], code: string, message: string) => ({
        storeCreditAccountTransaction: null,
        userErrors: [{ field, code, message }],
      });
      const customerId = gidNumber(id, 'Customer') ?? gidNumber(id, 'StoreCreditAccount');
      if (customerId === undefined || !shop.customers.has(customerId))
        return none(['id'], 'ACCOUNT_NOT_FOUND', 'Store credit account does not exist');
      const { amount, currencyCode } = creditInput.creditAmount;
      if (currencyCode !== shop.currency)
        return none(['creditInput', 'creditAmount', 'currencyCode'], 'MISMATCHING_CURRENCY', 'Currency does not match the account');
      if (creditInput.expiresAt && new Date(creditInput.expiresAt) <= options.now)
        return none(['creditInput', 'expiresAt'], 'EXPIRES_AT_IN_PAST', 'The expiry date must be in the future');
      const minor = toMinor(amount, currencyCode);
      if (!(minor > 0))
        return none(
          ['creditInput', 'creditAmount', 'amount'],
          'NEGATIVE_OR_ZERO_AMOUNT',
          'A positive amount must be used to credit a store credit account',
        );
      const balance = (shop.storeCredit.get(customerId) ?? 0) + minor;
      shop.storeCredit.set(customerId, balance);
      shop.storeCreditTransactions ??= new Map();
      shop.storeCreditTransactions.set(customerId, [
        ...(shop.storeCreditTransactions.get(customerId) ?? []),
        { amountMinor: minor, createdAt: options.now.toISOString() },
      ]);
      return {
        storeCreditAccountTransaction: {
          amount: { amount: formatAmount(minor, currencyCode), currencyCode },
          account: { id: `gid://shopify/StoreCreditAccount/${customerId}`, balance: { amount: formatAmount(balance, currencyCode), currencyCode } },
        },
        userErrors: [],
      };
    },
    metafieldsSet: ({ metafields }: { metafields: Array<{ ownerId: string; namespace?: string; key: string; value: string; type?: string }> }) => {
      if (options.injectUserError) return { metafields: null, userErrors: [injected('INTERNAL_ERROR')] };
      const problems = metafields.flatMap((metafield, index) => {
        if (!metafield.type)
          return [{ field: ['metafields', String(index), 'type'], code: 'BLANK', message: "Type can't be blank", elementIndex: index }];
        if (metafield.type === 'json' && !isJson(metafield.value))
          return [{ field: ['metafields', String(index), 'value'], code: 'INVALID_VALUE', message: 'Value is invalid JSON', elementIndex: index }];
        return [];
      });
      if (problems.length > 0) return { metafields: null, userErrors: problems };
      for (const metafield of metafields)
        shop.metafields.set(metafieldKey(metafield.ownerId, metafield.namespace ?? 'app', metafield.key), metafield.value);
      return {
        metafields: metafields.map((metafield) => ({
          namespace: metafield.namespace ?? 'app',
          key: metafield.key,
          value: metafield.value,
          type: metafield.type,
        })),
        userErrors: [],
      };
    },
  };
}

function isJson(text: string): boolean {
  try {
    JSON.parse(text);
    return true;
  } catch {
    return false;
  }
}

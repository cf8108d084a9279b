import { formatAmount } from '../platform/money.js';
import type { Reward } from '../program/index.js';
import type { RewardValue } from './quote.js';
import type { AdminGraphql } from '../shopify/admin-graphql.js';
import {
  DISCOUNT_CODE_BASIC_CREATE,
  DISCOUNT_CODE_BXGY_CREATE,
  DISCOUNT_CODE_FREE_SHIPPING_CREATE,
  STORE_CREDIT_ACCOUNT_CREDIT,
  type DiscountCodeBasicCreateData,
  type DiscountCodeBxgyCreateData,
  type DiscountCodeFreeShippingCreateData,
  type StoreCreditAccountCreditData,
  type UserError,
} from '../shopify/operations.js';

export interface RewardIssue {
  shop: string;
  customerId: string;
  code: string | undefined;
  reward: Reward;
  value: RewardValue;
  currency: string;
  startsAt: Date;
  endsAt: Date;
}

/** Shopify's answer: the discount's id, or the user errors it refused with. */
export type IssueOutcome = { issued: true; discountId?: string } | { issued: false; userErrors: UserError[] };

/**
 * The fields every reward code shares: one use, one customer (the `context` of API 2025-01+),
 * valid from now until the reward's expiry, combining as the merchant chose.
 */
function codeBasics(issue: RewardIssue): Record<string, unknown> {
  return {
    title: `${issue.reward.name} (loyalty reward ${issue.code})`,
    code: issue.code,
    startsAt: issue.startsAt.toISOString(),
    endsAt: issue.endsAt.toISOString(),
    context: { customers: { add: [`gid://shopify/Customer/${issue.customerId}`] } },
    usageLimit: 1,
    appliesOncePerCustomer: true,
    combinesWith: issue.reward.combinesWith,
  };
}

/** The order minimum of basic and free-shipping codes (a Buy X get Y input has no such field). */
function minimumRequirement(issue: RewardIssue): Record<string, unknown> {
  const minimum = issue.reward.minimumOrderAmount;
  return minimum > 0
    ? { minimumRequirement: { subtotal: { greaterThanOrEqualToSubtotal: formatAmount({ amount: minimum, currency: issue.currency }) } } }
    : {};
}

/**
 * One free unit of the variant, as Shopify's Buy X get Y discount gives it ("spend an amount, get
 * an item free"): the customer buys at least the smallest amount of the currency of that variant
 * and gets one of it at 100 % off, once per order.
 */
function freeItem(issue: RewardIssue, variantId: string): Record<string, unknown> {
  const variant = { products: { productVariantsToAdd: [`gid://shopify/ProductVariant/${variantId}`] } };
  return {
    ...codeBasics(issue),
    customerBuys: { value: { amount: formatAmount({ amount: 1, currency: issue.currency }) }, items: variant },
    customerGets: { value: { discountOnQuantity: { quantity: '1', effect: { percentage: 1 } } }, items: variant },
    usesPerOrderLimit: 1,
  };
}

function customerGets(issue: RewardIssue, value: Extract<RewardValue, { kind: 'amount_off' | 'percentage_off' }>): Record<string, unknown> {
  switch (value.kind) {
    case 'amount_off':
      return {
        value: { discountAmount: { amount: formatAmount({ amount: value.amount, currency: issue.currency }), appliesOnEachItem: false } },
        items: { all: true },
      };
    case 'percentage_off':
      return { value: { percentage: value.percentage / 100 }, items: { all: true } };
  }
}

/**
 * Creates the reward on Shopify: a code discount (basic, Buy X get Y or free shipping) or a store-credit
 * transaction. Transport failures and throttling are retried by the client and surface as
 * ShopifyApiError; refusals come back as user errors.
 */
export async function issueReward(admin: AdminGraphql, issue: RewardIssue): Promise<IssueOutcome> {
  const { value } = issue;
  if (value.kind === 'store_credit') {
    const data = await admin<StoreCreditAccountCreditData>(issue.shop, STORE_CREDIT_ACCOUNT_CREDIT, {
      id: `gid://shopify/Customer/${issue.customerId}`,
      creditInput: {
        creditAmount: { amount: formatAmount({ amount: value.amount, currency: issue.currency }), currencyCode: issue.currency },
        expiresAt: issue.endsAt.toISOString(),
        notify: true,
      },
    });
    const { userErrors } = data.storeCreditAccountCredit;
    return userErrors.length > 0 ? { issued: false, userErrors } : { issued: true };
  }
  if (value.kind === 'free_shipping') {
    const data = await admin<DiscountCodeFreeShippingCreateData>(issue.shop, DISCOUNT_CODE_FREE_SHIPPING_CREATE, {
      freeShippingCodeDiscount: { ...codeBasics(issue), ...minimumRequirement(issue) },
    });
    const result = data.discountCodeFreeShippingCreate;
    return result.userErrors.length > 0
      ? { issued: false, userErrors: result.userErrors }
      : { issued: true, discountId: result.codeDiscountNode?.id };
  }
  if (value.kind === 'free_product') {
    const data = await admin<DiscountCodeBxgyCreateData>(issue.shop, DISCOUNT_CODE_BXGY_CREATE, {
      bxgyCodeDiscount: freeItem(issue, value.variantId),
    });
    const result = data.discountCodeBxgyCreate;
    return result.userErrors.length > 0
      ? { issued: false, userErrors: result.userErrors }
      : { issued: true, discountId: result.codeDiscountNode?.id };
  }
  const data = await admin<DiscountCodeBasicCreateData>(issue.shop, DISCOUNT_CODE_BASIC_CREATE, {
    basicCodeDiscount: { ...codeBasics(issue), ...minimumRequirement(issue), customerGets: customerGets(issue, value) },
  });
  const result = data.discountCodeBasicCreate;
  return result.userErrors.length > 0 ? { issued: false, userErrors: result.userErrors } : { issued: true, discountId: result.codeDiscountNode?.id };
}

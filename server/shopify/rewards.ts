import { formatAmount, type Reward } from '../loyalty/index.js';
import type { RewardValue } from '../loyalty/redemption.js';
import type { AdminGraphql } from './admin-graphql.js';
import {
  DISCOUNT_CODE_BASIC_CREATE,
  DISCOUNT_CODE_FREE_SHIPPING_CREATE,
  STORE_CREDIT_ACCOUNT_CREDIT,
  type DiscountCodeBasicCreateData,
  type DiscountCodeFreeShippingCreateData,
  type StoreCreditAccountCreditData,
  type UserError,
} from './operations.js';

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
  const minimum = issue.reward.minimumOrderAmount;
  return {
    title: `${issue.reward.name} (loyalty reward ${issue.code})`,
    code: issue.code,
    startsAt: issue.startsAt.toISOString(),
    endsAt: issue.endsAt.toISOString(),
    context: { customers: { add: [`gid://shopify/Customer/${issue.customerId}`] } },
    usageLimit: 1,
    appliesOncePerCustomer: true,
    combinesWith: issue.reward.combinesWith,
    ...(minimum > 0 ? { minimumRequirement: { subtotal: { greaterThanOrEqualToSubtotal: formatAmount({ amount: minimum, currency: issue.currency }) } } } : {}),
  };
}

function customerGets(issue: RewardIssue, value: Exclude<RewardValue, { kind: 'free_shipping' | 'store_credit' }>): Record<string, unknown> {
  switch (value.kind) {
    case 'amount_off':
      return { value: { discountAmount: { amount: formatAmount({ amount: value.amount, currency: issue.currency }), appliesOnEachItem: false } }, items: { all: true } };
    case 'percentage_off':
      return { value: { percentage: value.percentage / 100 }, items: { all: true } };
    case 'free_product':
      return { value: { discountOnQuantity: { quantity: '1', effect: { percentage: 1 } } }, items: { products: { productVariantsToAdd: [`gid://shopify/ProductVariant/${value.variantId}`] } } };
  }
}

/**
 * Creates the reward on Shopify: a code discount (basic or free shipping) or a store-credit
 * transaction. Transport failures and throttling are retried by the client and surface as
 * ShopifyApiError; refusals come back as user errors.
 */
export async function issueReward(admin: AdminGraphql, issue: RewardIssue): Promise<IssueOutcome> {
  const { value } = issue;
  if (value.kind === 'store_credit') {
    const data = await admin<StoreCreditAccountCreditData>(issue.shop, STORE_CREDIT_ACCOUNT_CREDIT, {
      id: `gid://shopify/Customer/${issue.customerId}`,
      creditInput: { creditAmount: { amount: formatAmount({ amount: value.amount, currency: issue.currency }), currencyCode: issue.currency }, expiresAt: issue.endsAt.toISOString(), notify: true },
    });
    const { userErrors } = data.storeCreditAccountCredit;
    return userErrors.length > 0 ? { issued: false, userErrors } : { issued: true };
  }
  if (value.kind === 'free_shipping') {
    const data = await admin<DiscountCodeFreeShippingCreateData>(issue.shop, DISCOUNT_CODE_FREE_SHIPPING_CREATE, { freeShippingCodeDiscount: codeBasics(issue) });
    const result = data.discountCodeFreeShippingCreate;
    return result.userErrors.length > 0 ? { issued: false, userErrors: result.userErrors } : { issued: true, discountId: result.codeDiscountNode?.id };
  }
  const data = await admin<DiscountCodeBasicCreateData>(issue.shop, DISCOUNT_CODE_BASIC_CREATE, { basicCodeDiscount: { ...codeBasics(issue), customerGets: customerGets(issue, value) } });
  const result = data.discountCodeBasicCreate;
  return result.userErrors.length > 0 ? { issued: false, userErrors: result.userErrors } : { issued: true, discountId: result.codeDiscountNode?.id };
}

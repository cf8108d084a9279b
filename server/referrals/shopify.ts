import { formatAmount } from '../platform/money.js';
import type { AdminGraphql } from '../shopify/admin-graphql.js';
import { REFERRAL_DISCOUNT_CREATE, type UserError } from '../shopify/operations.js';

/**
 * The friend's discount: one code per referrer, usable once per customer, limited to the shop's
 * first-time-customer segment (segment.ts), so Shopify's checkout refuses it to a customer with an
 * order. The app still credits the referrer only for a friend's first paid order (docs/engagement.md).
 */
export interface ReferralDiscountCreateData {
  discountCodeBasicCreate: { codeDiscountNode: { id: string } | null; userErrors: UserError[] };
}

export interface FriendDiscount {
  shop: string;
  code: string;
  kind: 'percentage_off' | 'amount_off';
  /** Percent, or an amount in minor units of `currency`. */
  value: number;
  currency: string;
  startsAt: Date;
  /** The customer segment allowed to use the code (segment.ts). */
  segmentId: string;
}

export function referralDiscountInput(discount: FriendDiscount): Record<string, unknown> {
  const value =
    discount.kind === 'percentage_off'
      ? { percentage: discount.value / 100 }
      : { discountAmount: { amount: formatAmount({ amount: discount.value, currency: discount.currency }), appliesOnEachItem: false } };
  return {
    title: `Referral ${discount.code}`,
    code: discount.code,
    startsAt: discount.startsAt.toISOString(),
    context: { customerSegments: { add: [discount.segmentId] } },
    appliesOncePerCustomer: true,
    customerGets: { value, items: { all: true } },
    combinesWith: { orderDiscounts: false, productDiscounts: true, shippingDiscounts: true },
  };
}

export async function createReferralDiscount(
  admin: AdminGraphql,
  discount: FriendDiscount,
): Promise<{ created: true; discountId: string | null } | { created: false; userErrors: UserError[] }> {
  const data = await admin<ReferralDiscountCreateData>(discount.shop, REFERRAL_DISCOUNT_CREATE, {
    basicCodeDiscount: referralDiscountInput(discount),
  });
  const result = data.discountCodeBasicCreate;
  return result.userErrors.length > 0
    ? { created: false, userErrors: result.userErrors }
    : { created: true, discountId: result.codeDiscountNode?.id ?? null };
}

/**
 * The function's input (the shape `src/cart_lines_discounts_generate_run.graphql` selects from
 * Shopify's Discount Function API 2026-10) and the part of its output type this function emits.
 * Hand-written where `shopify app function typegen` generates them into `generated/api.ts` (not
 * kept); test/extensions/tally-discount.test.ts checks both against Shopify's published schema, and
 * test/shopify/shopify-cli.test.ts runs typegen and type-checks the function against its output.
 */

export type DiscountClass = 'PRODUCT' | 'ORDER' | 'SHIPPING';

/** Shopify's MoneyV2; `amount` is the Decimal scalar, a string such as "29.99". */
export interface MoneyV2 {
  amount: string;
  currencyCode: string;
}

export type Merchandise = { __typename: 'ProductVariant'; product: { isGiftCard: boolean } } | { __typename: 'CustomProduct'; isGiftCard: boolean };

export interface CartLine {
  id: string;
  cost: { subtotalAmount: MoneyV2 };
  merchandise: Merchandise;
}

export interface CartInput {
  cart: {
    // Nullable fields are optional, as `shopify app function typegen` generates them.
    holdAttribute?: { value?: string | null } | null;
    buyerIdentity?: { customer?: { holds?: { value: string } | null } | null } | null;
    cost: { subtotalAmount: MoneyV2 };
    lines: CartLine[];
  };
  discount: { discountClasses: DiscountClass[] };
  /** Decimal: shop currency → cart currency. */
  presentmentCurrencyRate: string;
  /** `date` is the shop's current date in its own time zone ("2026-12-01"). */
  shop: { localTime: { date: string } };
}

export interface OrderDiscountCandidate {
  message?: string;
  targets: { orderSubtotal: { excludedCartLineIds: string[] } }[];
  value: { fixedAmount: { amount: string } };
}

export interface OrderDiscountsAddOperation {
  selectionStrategy: 'FIRST' | 'MAXIMUM';
  candidates: OrderDiscountCandidate[];
}

export interface CartOperation {
  orderDiscountsAdd: OrderDiscountsAddOperation;
}

export interface CartLinesDiscountsGenerateRunResult {
  operations: CartOperation[];
}

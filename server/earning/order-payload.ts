import { z } from 'zod';
import { mulDivFloor, parseAmount } from '../platform/money.js';
import { PermanentFailure } from '../platform/topic-handlers.js';
import type { OrderFacts } from './rules.js';

/**
 * Shopify's order and refund webhook bodies, read as the domain needs them. Ids arrive as numbers
 * or, above 2^53, as the exact digit strings the inbox's lossless parse keeps; either way they
 * become strings here. Money is read from `shop_money`, the basis of points.
 */
const numericId = z
  .union([z.number().nonnegative().refine(Number.isInteger, 'a whole number'), z.string().regex(/^\d{1,20}$/)])
  .transform((id) => (typeof id === 'number' ? BigInt(id).toString() : id));
const moneyValue = z.object({ amount: z.union([z.string(), z.number()]).transform(String), currency_code: z.string().regex(/^[A-Z]{3}$/) });
const moneySet = z.object({ shop_money: moneyValue, presentment_money: moneyValue.optional() });
const taxLine = z.object({ price_set: moneySet });
const refundLine = z.object({
  quantity: z.number().int().nonnegative().default(0),
  subtotal_set: moneySet,
  total_tax_set: moneySet.nullish(),
  line_item: z.object({ gift_card: z.boolean().default(false) }).nullish(),
});
const orderAdjustment = z.object({ kind: z.string(), amount_set: moneySet.nullish() });
const refundTransaction = z.object({ kind: z.string(), status: z.string().nullish(), amount: z.union([z.string(), z.number()]).transform(String) });
const refundShippingLine = z.object({ subtotal_amount_set: moneySet.nullish() });

const refundPayload = z.object({
  id: numericId,
  order_id: numericId,
  refund_line_items: z.array(refundLine).default([]),
  order_adjustments: z.array(orderAdjustment).default([]),
  transactions: z.array(refundTransaction).default([]),
  refund_shipping_lines: z.array(refundShippingLine).default([]),
});

const orderPayload = z.object({
  id: numericId,
  name: z.string().max(100).nullish(),
  /** Where the order was placed: `pos` for Shopify POS, `web` for the online store, an app's id, ... */
  source_name: z.string().max(100).nullish(),
  updated_at: z.string().nullish(),
  cancelled_at: z.string().nullish(),
  financial_status: z.string().nullish(),
  test: z.boolean().default(false),
  taxes_included: z.boolean().default(false),
  current_subtotal_price_set: moneySet,
  current_total_price_set: moneySet.nullish(),
  current_shipping_price_set: moneySet.nullish(),
  total_tip_received: z.union([z.string(), z.number()]).transform(String).nullish(),
  customer: z.object({ id: numericId }).nullish(),
  line_items: z.array(
    z.object({
      id: numericId,
      product_id: numericId.nullish(),
      variant_id: numericId.nullish(),
      quantity: z.number().int().nonnegative(),
      current_quantity: z.number().int().nonnegative().nullish(),
      gift_card: z.boolean().default(false),
      price_set: moneySet,
      tax_lines: z.array(taxLine).default([]),
      discount_allocations: z.array(z.object({ amount_set: moneySet })).default([]),
    }),
  ),
  refunds: z.array(refundPayload.partial({ id: true, order_id: true })).default([]),
  discount_codes: z.array(z.object({ code: z.string(), amount: z.union([z.string(), z.number()]).transform(String).nullish() })).default([]),
  note_attributes: z.array(z.object({ name: z.string(), value: z.union([z.string(), z.number()]).transform(String).nullish() })).default([]),
});

export type OrderPayload = z.infer<typeof orderPayload>;
export type RefundPayload = z.infer<typeof refundPayload>;
type MoneySet = z.infer<typeof moneySet>;

function parse<T>(schema: z.ZodType<T>, payload: unknown, what: string): T {
  const parsed = schema.safeParse(payload);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new PermanentFailure(`${what} payload: ${issue?.path.join('.')} ${issue?.message}`);
  }
  return parsed.data;
}

export const parseOrder = (payload: unknown, topic: string): OrderPayload => parse(orderPayload, payload, topic);
export const parseRefund = (payload: unknown): RefundPayload => parse(refundPayload, payload, 'refunds/create');

function shopMoney(set: MoneySet | null | undefined, currency: string): number {
  return set ? parseAmount(set.shop_money.amount, currency).amount : 0;
}

/**
 * Why a paid order earns nothing before any rule runs: Shopify's test orders (unless the merchant
 * counts them) and orders already cancelled or voided when the payment webhook arrives.
 */
export function notEarningReason(order: OrderPayload, countTestOrders: boolean): string | null {
  if (order.test && !countTestOrders) return 'test order (test orders earn nothing unless turned on)';
  if (order.cancelled_at) return 'order already cancelled';
  if (order.financial_status === 'voided') return 'payment voided';
  return null;
}

/**
 * The order as the domain sees it, in shop money. Line amounts count the units still on the order
 * (`current_quantity`: removed and refunded units are gone), and a tax-inclusive shop's included
 * tax on those units is taken out of the eligible amount.
 */
export function orderFacts(order: OrderPayload): OrderFacts {
  const currency = order.current_subtotal_price_set.shop_money.currency_code;
  let includedTax = 0;
  const lines = order.line_items.map((line) => {
    const current = line.current_quantity ?? line.quantity;
    const share = (amount: number) => (line.quantity === 0 ? 0 : mulDivFloor(amount, current, line.quantity));
    const discounts = line.discount_allocations.reduce((sum, allocation) => sum + shopMoney(allocation.amount_set, currency), 0);
    const tax = line.tax_lines.reduce((sum, tax) => sum + shopMoney(tax.price_set, currency), 0);
    if (order.taxes_included && !line.gift_card) includedTax += share(tax);
    return {
      lineId: line.id,
      productId: line.product_id ?? null,
      variantId: line.variant_id ?? null,
      amount: shopMoney(line.price_set, currency) * current - share(discounts),
      giftCard: line.gift_card,
      productTags: [],
      collectionIds: [],
    };
  });
  return {
    orderId: order.id,
    customerId: order.customer?.id ?? null,
    currency,
    subtotal: shopMoney(order.current_subtotal_price_set, currency),
    includedTax,
    lines,
    pointOfSale: order.source_name === 'pos',
  };
}

/** What the customer saw, in their currency: kept for display, never the basis of points. */
export function presentmentOf(order: OrderPayload): { amount: number; currency: string } | undefined {
  const shown = order.current_subtotal_price_set.presentment_money;
  return shown ? { amount: parseAmount(shown.amount, shown.currency_code).amount, currency: shown.currency_code } : undefined;
}

/** The money the order was paid in shop money, less shipping and tips: the base of refunds by amount. */
export function paidTotal(order: OrderPayload, currency: string): number {
  const total = shopMoney(order.current_total_price_set, currency);
  const tips = order.total_tip_received ? parseAmount(order.total_tip_received, currency).amount : 0;
  return Math.max(0, total - shopMoney(order.current_shipping_price_set, currency) - tips);
}

/** The cart attribute a checkout points hold travels in (extensions/tally-discount). */
export function noteAttribute(order: OrderPayload, name: string): string | null {
  return order.note_attributes.find((attribute) => attribute.name === name)?.value ?? null;
}

/** A refund as the domain needs it: the refunded share of the eligible amount, by lines or by amount. */
export type RefundFacts = { kind: 'lines'; refunded: number } | { kind: 'amount'; money: number };

/**
 * Refunded line subtotals (gift cards excluded, included tax taken out for tax-inclusive shops);
 * a refund without lines (an amount typed by the merchant) is the money refunded less shipping
 * refunded, later turned into a share of the order by what the order was paid.
 */
export function refundFacts(
  refund: Pick<RefundPayload, 'refund_line_items' | 'order_adjustments' | 'transactions' | 'refund_shipping_lines'>,
  currency: string,
  taxesIncluded: boolean,
): RefundFacts {
  const lines = refund.refund_line_items.filter((line) => !line.line_item?.gift_card);
  if (refund.refund_line_items.length > 0) {
    const refunded = lines.reduce(
      (sum, line) => sum + shopMoney(line.subtotal_set, currency) - (taxesIncluded ? shopMoney(line.total_tax_set, currency) : 0),
      0,
    );
    return { kind: 'lines', refunded: Math.max(0, refunded) };
  }
  const transactions = refund.transactions
    .filter((transaction) => transaction.kind === 'refund' && (transaction.status ?? 'success') === 'success')
    .reduce((sum, transaction) => sum + parseAmount(transaction.amount, currency).amount, 0);
  const shippingAdjustments = refund.order_adjustments
    .filter((adjustment) => adjustment.kind === 'shipping_refund')
    .reduce((sum, adjustment) => sum + Math.abs(shopMoney(adjustment.amount_set, currency)), 0);
  const shippingLines = refund.refund_shipping_lines.reduce((sum, line) => sum + shopMoney(line.subtotal_amount_set, currency), 0);
  return { kind: 'amount', money: Math.max(0, transactions - shippingAdjustments - shippingLines) };
}

export function refundedEligible(facts: RefundFacts, eligible: number, paid: number): number {
  if (facts.kind === 'lines') return facts.refunded;
  return paid <= 0 ? 0 : mulDivFloor(eligible, Math.min(facts.money, paid), paid);
}

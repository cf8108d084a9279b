import { moneySet, formatAmount } from './money.js';
import type { DevCustomer, DevOrder, DevShop } from './state.js';

function customerJson(customer: DevCustomer): object {
  return {
    id: customer.id,
    email: customer.email,
    first_name: customer.firstName,
    last_name: customer.lastName,
    phone: customer.phone,
    tags: customer.tags.join(', '),
    admin_graphql_api_id: `gid://shopify/Customer/${customer.id}`,
    addresses: [{ address1: '1 Demo Street', city: 'Ottawa', country: 'Canada', zip: 'K1A 0A1' }],
  };
}

export function customerPayload(customer: DevCustomer): object {
  return customerJson(customer);
}

/** Subtotal after discounts, in shop money, as Shopify's current_subtotal_price (excludes shipping, taxes, tips). */
export function orderSubtotalMinor(order: DevOrder): number {
  const lines = order.lines.reduce((sum, line) => sum + line.product.priceMinor * line.quantity - line.discountMinor, 0);
  return lines;
}

function refundedMinor(order: DevOrder): number {
  return order.refunds.reduce((sum, refund) => sum + refund.lines.reduce((inner, line) => inner + line.subtotalMinor, 0), 0);
}

/** An order as Shopify's REST webhooks send it (orders/paid, orders/updated, orders/cancelled). */
export function orderPayload(shop: DevShop, order: DevOrder): object {
  const c = order.currency;
  const money = (minor: number) => moneySet(minor, c, { minor: Math.round(minor * order.presentmentRate), currency: order.presentmentCurrency });
  const subtotal = orderSubtotalMinor(order);
  const currentSubtotal = subtotal - refundedMinor(order);
  const discountTotal = order.lines.reduce((sum, line) => sum + line.discountMinor, 0);
  const total = subtotal + order.shippingMinor + order.taxMinor + order.tipMinor;
  const customer = order.customerId !== null ? shop.customers.get(order.customerId) : undefined;
  return {
    id: order.id,
    admin_graphql_api_id: `gid://shopify/Order/${order.id}`,
    name: `#${order.id % 100000}`,
    email: customer?.email ?? null,
    created_at: order.createdAt.toISOString(),
    updated_at: new Date().toISOString(),
    processed_at: order.createdAt.toISOString(),
    cancelled_at: order.cancelledAt?.toISOString() ?? null,
    cancel_reason: order.cancelledAt ? 'customer' : null,
    financial_status: order.cancelledAt ? 'voided' : order.refunds.length > 0 ? (currentSubtotal <= 0 ? 'refunded' : 'partially_refunded') : order.paidAt ? 'paid' : 'pending',
    currency: c,
    presentment_currency: order.presentmentCurrency,
    subtotal_price: formatAmount(subtotal, c),
    subtotal_price_set: money(subtotal),
    current_subtotal_price: formatAmount(currentSubtotal, c),
    current_subtotal_price_set: money(currentSubtotal),
    total_price: formatAmount(total, c),
    total_price_set: money(total),
    total_discounts: formatAmount(discountTotal, c),
    total_discounts_set: money(discountTotal),
    total_tax: formatAmount(order.taxMinor, c),
    total_tax_set: money(order.taxMinor),
    total_tip_received: formatAmount(order.tipMinor, c),
    total_shipping_price_set: money(order.shippingMinor),
    discount_codes: order.discountCodes.map((discount) => ({ code: discount.code, amount: formatAmount(discount.amountMinor, c), type: discount.type })),
    customer: customer ? customerJson(customer) : null,
    line_items: order.lines.map((line) => ({
      id: line.id,
      admin_graphql_api_id: `gid://shopify/LineItem/${line.id}`,
      product_id: line.product.id,
      variant_id: line.product.variantId,
      title: line.product.title,
      quantity: line.quantity,
      gift_card: line.product.giftCard,
      price: formatAmount(line.product.priceMinor, c),
      price_set: money(line.product.priceMinor),
      total_discount: formatAmount(line.discountMinor, c),
      total_discount_set: money(line.discountMinor),
      discount_allocations: line.discountMinor > 0 ? [{ amount: formatAmount(line.discountMinor, c), amount_set: money(line.discountMinor), discount_application_index: 0 }] : [],
      properties: [],
      taxable: !line.product.giftCard,
      vendor: shop.name,
    })),
    shipping_lines: order.shippingMinor > 0 ? [{ id: order.id + 1, title: 'Standard', price: formatAmount(order.shippingMinor, c), price_set: money(order.shippingMinor) }] : [],
    tax_lines: order.taxMinor > 0 ? [{ title: 'VAT', price: formatAmount(order.taxMinor, c), price_set: money(order.taxMinor), rate: 0.1 }] : [],
    refunds: order.refunds.map((refund) => refundPayload(order, refund)),
  };
}

/** refunds/create, with refund_line_items carrying the refunded subtotal of each line. */
export function refundPayload(order: DevOrder, refund: DevOrder['refunds'][number]): object {
  const c = order.currency;
  const money = (minor: number) => moneySet(minor, c, { minor: Math.round(minor * order.presentmentRate), currency: order.presentmentCurrency });
  const total = refund.lines.reduce((sum, line) => sum + line.subtotalMinor, 0);
  return {
    id: refund.id,
    order_id: order.id,
    admin_graphql_api_id: `gid://shopify/Refund/${refund.id}`,
    created_at: refund.createdAt.toISOString(),
    processed_at: refund.createdAt.toISOString(),
    note: null,
    restock: true,
    refund_line_items: refund.lines.map((line, index) => {
      const orderLine = order.lines.find((candidate) => candidate.id === line.lineId);
      return {
        id: refund.id * 10 + index,
        line_item_id: line.lineId,
        quantity: line.quantity,
        restock_type: 'return',
        subtotal: formatAmount(line.subtotalMinor, c),
        subtotal_set: money(line.subtotalMinor),
        total_tax: '0.00',
        line_item: orderLine ? { id: orderLine.id, product_id: orderLine.product.id, variant_id: orderLine.product.variantId, quantity: orderLine.quantity, gift_card: orderLine.product.giftCard, price: formatAmount(orderLine.product.priceMinor, c) } : null,
      };
    }),
    transactions: [{ id: refund.id + 1, kind: 'refund', status: 'success', amount: formatAmount(total, c), currency: c }],
    order_adjustments: [],
  };
}

import { moneySet, formatAmount } from './money.js';
import { shopNumericId, type DevCustomer, type DevOrder, type DevShop } from './state.js';

// Since API 2025-01 Shopify's order and customer payloads carry no customer tags (customer.tags_added /
// customer.tags_removed report them), so none are written here.
function customerJson(customer: DevCustomer): Record<string, unknown> {
  const address = {
    id: customer.id + 1,
    customer_id: customer.id,
    first_name: customer.firstName,
    last_name: customer.lastName,
    company: null,
    address1: '1 Demo Street',
    address2: null,
    city: 'Ottawa',
    province: 'Ontario',
    country: 'Canada',
    zip: 'K1A 0A1',
    phone: customer.phone,
    name: `${customer.firstName} ${customer.lastName}`,
    province_code: 'ON',
    country_code: 'CA',
    country_name: 'Canada',
    default: true,
  };
  return {
    id: customer.id,
    created_at: null,
    updated_at: null,
    first_name: customer.firstName,
    last_name: customer.lastName,
    state: 'enabled',
    note: null,
    verified_email: customer.verifiedEmail ?? true,
    multipass_identifier: null,
    tax_exempt: false,
    email: customer.email,
    phone: customer.phone,
    currency: 'USD',
    tax_exemptions: [],
    admin_graphql_api_id: `gid://shopify/Customer/${customer.id}`,
    default_address: address,
  };
}

/** customers/create and customers/update, as Shopify's documented example: addresses plus the default one. */
export function customerPayload(customer: DevCustomer): object {
  const json = customerJson(customer);
  return { ...json, addresses: [json.default_address] };
}

/** Subtotal after discounts, in shop money, as Shopify's current_subtotal_price (excludes shipping, taxes, tips). */
export function orderSubtotalMinor(order: DevOrder): number {
  const lines = order.lines.reduce((sum, line) => sum + line.product.priceMinor * line.quantity - line.discountMinor, 0);
  return lines;
}

function refundedMinor(order: DevOrder): number {
  return order.refunds.reduce((sum, refund) => sum + refund.lines.reduce((inner, line) => inner + line.subtotalMinor, 0), 0);
}

function refundedQuantity(order: DevOrder, lineId: number): number {
  return order.refunds.reduce(
    (sum, refund) => sum + refund.lines.filter((line) => line.lineId === lineId).reduce((inner, line) => inner + line.quantity, 0),
    0,
  );
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
    name: `#${order.number ?? order.id % 100000}`,
    ...(order.number === undefined ? {} : { order_number: order.number, number: order.number - 1000 }),
    email: customer?.email ?? null,
    test: order.test ?? false,
    source_name: order.pos ? 'pos' : 'web',
    location_id: order.pos?.locationId ?? null,
    user_id: order.pos?.userId ?? null,
    taxes_included: order.taxesIncluded ?? false,
    tags: '',
    created_at: order.createdAt.toISOString(),
    updated_at: new Date().toISOString(),
    processed_at: order.createdAt.toISOString(),
    cancelled_at: order.cancelledAt?.toISOString() ?? null,
    cancel_reason: order.cancelledAt ? 'customer' : null,
    financial_status: order.cancelledAt
      ? 'voided'
      : order.refunds.length > 0
        ? currentSubtotal <= 0
          ? 'refunded'
          : 'partially_refunded'
        : order.paidAt
          ? 'paid'
          : 'pending',
    currency: c,
    presentment_currency: order.presentmentCurrency,
    subtotal_price: formatAmount(subtotal, c),
    subtotal_price_set: money(subtotal),
    current_subtotal_price: formatAmount(currentSubtotal, c),
    current_subtotal_price_set: money(currentSubtotal),
    total_price: formatAmount(total, c),
    total_price_set: money(total),
    current_total_price: formatAmount(total - (subtotal - currentSubtotal), c),
    current_total_price_set: money(total - (subtotal - currentSubtotal)),
    current_shipping_price_set: money(order.shippingMinor),
    total_discounts: formatAmount(discountTotal, c),
    total_discounts_set: money(discountTotal),
    total_tax: formatAmount(order.taxMinor, c),
    total_tax_set: money(order.taxMinor),
    total_tip_received: formatAmount(order.tipMinor, c),
    total_shipping_price_set: money(order.shippingMinor),
    note_attributes: order.noteAttributes ?? [],
    order_status_url: `https://${shop.domain}/${shopNumericId(shop.domain)}/orders/${order.id.toString(16)}/authenticate?key=${order.id.toString(36)}`,
    discount_codes: order.discountCodes.map((discount) => ({
      code: discount.code,
      amount: formatAmount(discount.amountMinor, c),
      type: discount.type,
    })),
    customer: customer ? customerJson(customer) : null,
    line_items: order.lines.map((line) => ({
      id: line.id,
      admin_graphql_api_id: `gid://shopify/LineItem/${line.id}`,
      product_id: line.product.id,
      variant_id: line.product.variantId,
      title: line.product.title,
      quantity: line.quantity,
      current_quantity: Math.max(0, line.quantity - refundedQuantity(order, line.id)),
      fulfillable_quantity: Math.max(0, line.quantity - refundedQuantity(order, line.id)),
      gift_card: line.product.giftCard,
      price: formatAmount(line.product.priceMinor, c),
      price_set: money(line.product.priceMinor),
      total_discount: formatAmount(line.discountMinor, c),
      total_discount_set: money(line.discountMinor),
      discount_allocations:
        line.discountMinor > 0
          ? [{ amount: formatAmount(line.discountMinor, c), amount_set: money(line.discountMinor), discount_application_index: 0 }]
          : [],
      properties: [],
      taxable: !line.product.giftCard,
      vendor: shop.name,
    })),
    shipping_lines:
      order.shippingMinor > 0
        ? [{ id: order.id + 1, title: 'Standard', price: formatAmount(order.shippingMinor, c), price_set: money(order.shippingMinor) }]
        : [],
    tax_lines: order.taxMinor > 0 ? [{ title: 'VAT', price: formatAmount(order.taxMinor, c), price_set: money(order.taxMinor), rate: 0.1 }] : [],
    refunds: order.refunds.map((refund) => refundPayload(order, refund)),
  };
}

/**
 * refunds/create as Shopify's documented example: refund_line_items carry `subtotal` and `total_tax` as
 * numbers beside the `_set` strings; an amount-only refund has no lines, an order adjustment for the
 * difference and a refund transaction.
 */
export function refundPayload(order: DevOrder, refund: DevOrder['refunds'][number]): object {
  const c = order.currency;
  const money = (minor: number) => moneySet(minor, c, { minor: Math.round(minor * order.presentmentRate), currency: order.presentmentCurrency });
  const linesTotal = refund.lines.reduce((sum, line) => sum + line.subtotalMinor, 0);
  const shipping = refund.shippingMinor ?? 0;
  const total = (refund.lines.length > 0 ? linesTotal : (refund.amountMinor ?? 0)) + shipping;
  const adjustments = [
    ...(refund.lines.length === 0 && (refund.amountMinor ?? 0) > 0
      ? [{ kind: 'refund_discrepancy', reason: 'Refund discrepancy', minor: -(refund.amountMinor ?? 0) }]
      : []),
    ...(shipping > 0 ? [{ kind: 'shipping_refund', reason: 'Shipping refund', minor: -shipping }] : []),
  ];
  return {
    id: refund.id,
    order_id: order.id,
    created_at: refund.createdAt.toISOString(),
    note: null,
    user_id: null,
    processed_at: refund.createdAt.toISOString(),
    duties: [],
    total_duties_set: money(0),
    return: null,
    refund_shipping_lines: [],
    restock: refund.lines.length > 0,
    admin_graphql_api_id: `gid://shopify/Refund/${refund.id}`,
    order_adjustments: adjustments.map((adjustment, index) => ({
      id: refund.id * 10 + 5 + index,
      order_id: order.id,
      refund_id: refund.id,
      amount: formatAmount(adjustment.minor, c),
      tax_amount: formatAmount(0, c),
      kind: adjustment.kind,
      reason: adjustment.reason,
      amount_set: money(adjustment.minor),
      tax_amount_set: money(0),
    })),
    refund_line_items: refund.lines.map((line, index) => {
      const orderLine = order.lines.find((candidate) => candidate.id === line.lineId);
      return {
        id: refund.id * 10 + index,
        quantity: line.quantity,
        line_item_id: line.lineId,
        location_id: null,
        restock_type: 'return',
        subtotal: Number(formatAmount(line.subtotalMinor, c)),
        total_tax: 0,
        subtotal_set: money(line.subtotalMinor),
        total_tax_set: money(0),
        line_item: orderLine
          ? {
              id: orderLine.id,
              variant_id: orderLine.product.variantId,
              title: orderLine.product.title,
              quantity: orderLine.quantity,
              product_id: orderLine.product.id,
              gift_card: orderLine.product.giftCard,
              name: orderLine.product.title,
              price: formatAmount(orderLine.product.priceMinor, c),
              total_discount: formatAmount(orderLine.discountMinor, c),
              price_set: money(orderLine.product.priceMinor),
              total_discount_set: money(orderLine.discountMinor),
              admin_graphql_api_id: `gid://shopify/LineItem/${orderLine.id}`,
            }
          : null,
      };
    }),
    transactions:
      total > 0
        ? [
            {
              id: refund.id + 1,
              order_id: order.id,
              kind: 'refund',
              gateway: order.test ? 'bogus' : 'shopify_payments',
              status: 'success',
              message: null,
              created_at: refund.createdAt.toISOString(),
              test: order.test ?? false,
              parent_id: null,
              processed_at: refund.createdAt.toISOString(),
              source_name: 'web',
              amount: formatAmount(total, c),
              currency: c,
              admin_graphql_api_id: `gid://shopify/OrderTransaction/${refund.id + 1}`,
            },
          ]
        : [],
  };
}

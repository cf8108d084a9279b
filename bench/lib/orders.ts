import { createHmac, randomUUID } from 'node:crypto';
import { DEV_API_SECRET } from '../../server/platform/config.js';
import type { PreparedRequest } from './load.js';

/** A signed orders/paid webhook in Shopify's shape: 42.00 USD (42 points) for one customer. */
export function signedOrderPaidFor(
  baseUrl: string,
  orderId: number,
  customerId: number,
  shop: string,
  eventId: string = randomUUID(),
): PreparedRequest {
  const usd = (amount: string) => ({ shop_money: { amount, currency_code: 'USD' }, presentment_money: { amount, currency_code: 'USD' } });
  const body = JSON.stringify({
    id: orderId,
    admin_graphql_api_id: `gid://shopify/Order/${orderId}`,
    currency: 'USD',
    test: false,
    financial_status: 'paid',
    current_subtotal_price: '42.00',
    current_subtotal_price_set: usd('42.00'),
    current_total_price_set: usd('42.00'),
    customer: { id: customerId },
    line_items: [
      { id: orderId * 10, product_id: 1, variant_id: 2, quantity: 1, current_quantity: 1, gift_card: false, price: '42.00', price_set: usd('42.00') },
    ],
    discount_codes: [],
  });
  return {
    url: `${baseUrl}/webhooks`,
    method: 'POST',
    body,
    headers: {
      'Content-Type': 'application/json',
      'X-Shopify-Topic': 'orders/paid',
      'X-Shopify-Hmac-Sha256': createHmac('sha256', DEV_API_SECRET).update(body).digest('base64'),
      'X-Shopify-Shop-Domain': shop,
      'X-Shopify-Webhook-Id': randomUUID(),
      'X-Shopify-Event-Id': eventId,
      'X-Shopify-Triggered-At': new Date().toISOString(),
      'X-Shopify-API-Version': '2026-10',
    },
  };
}

/** The same, for customer 7,000,000 + orderId % customers. */
export function signedOrderPaid(baseUrl: string, orderId: number, shop: string, customers = 500, eventId: string = randomUUID()): PreparedRequest {
  return signedOrderPaidFor(baseUrl, orderId, 7_000_000 + (orderId % customers), shop, eventId);
}

import { createHmac, randomUUID } from 'node:crypto';
import { DEV_API_SECRET } from '../../server/platform/config.js';
import type { PreparedRequest } from './load.js';

/** A signed orders/paid webhook as Shopify sends it: 42.00 USD (42 points) for customer 7,000,000 + orderId % customers. */
export function signedOrderPaid(baseUrl: string, orderId: number, shop: string, customers = 500, eventId: string = randomUUID()): PreparedRequest {
  const body = JSON.stringify({
    id: orderId,
    admin_graphql_api_id: `gid://shopify/Order/${orderId}`,
    currency: 'USD',
    current_subtotal_price: '42.00',
    current_subtotal_price_set: {
      shop_money: { amount: '42.00', currency_code: 'USD' },
      presentment_money: { amount: '42.00', currency_code: 'USD' },
    },
    customer: { id: 7_000_000 + (orderId % customers), tags: '' },
    line_items: [
      {
        id: orderId * 10,
        product_id: 1,
        variant_id: 2,
        quantity: 1,
        gift_card: false,
        price: '42.00',
        price_set: { shop_money: { amount: '42.00', currency_code: 'USD' } },
      },
    ],
    discount_codes: [],
    financial_status: 'paid',
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

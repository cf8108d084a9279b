import type { Devstore } from '../../devstore/devstore.js';
import type { WebhookEvent } from '../../devstore/webhooks.js';

/**
 * `count` paid orders spread over `customers` (created in the devstore), priced by `priceMinor`,
 * as their orders/paid events, with the points each customer must end with under the default
 * program (1 point per whole currency unit).
 */
export function paidOrders(
  devstore: Devstore,
  shop: string,
  customers: number[],
  count: number,
  priceMinor: (index: number) => number,
): { events: WebhookEvent[]; expected: Map<string, number> } {
  for (const id of customers) devstore.addCustomer(shop, { id });
  const expected = new Map<string, number>();
  const events: WebhookEvent[] = [];
  for (let index = 0; index < count; index++) {
    const customerId = customers[index % customers.length]!;
    const price = priceMinor(index);
    events.push(devstore.pay(shop, devstore.createOrder(shop, { customerId, lines: [{ priceMinor: price }] }).id)[0]!);
    expected.set(String(customerId), (expected.get(String(customerId)) ?? 0) + Math.floor(price / 100));
  }
  return { events, expected };
}

import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Devstore } from '../../devstore/devstore.js';
import type { WebhookEvent } from '../../devstore/webhooks.js';
import type { AppContext } from '../../server/platform/context.js';
import { orderTopicHandlers } from '../../server/earning/handlers.js';
import type { WebhookDelivery } from '../../server/platform/topic-handlers.js';
import { ensureIndexes } from '../../server/indexes.js';
import { balanceOf, ledgerEntryModel } from '../../server/ledger/store.js';
import { ensureDefaultProgram } from '../../server/program/store.js';
import { testContext } from '../support/context.js';

interface OrderPlan {
  customer: number;
  lines: number[];
  refunds: boolean[];
  cancel: boolean;
}

/** The reference model: what each customer must end with, whatever the deliveries did. */
function expectedBalances(plans: OrderPlan[]): Map<string, number> {
  const balances = new Map<string, number>();
  for (const plan of plans) {
    const eligible = plan.lines.reduce((sum, amount) => sum + amount, 0);
    const earned = Math.floor(eligible / 100);
    let left = earned;
    if (!plan.cancel) {
      plan.lines.forEach((amount, index) => {
        if (plan.refunds[index]) left -= Math.min(left, Math.floor((earned * amount) / eligible));
      });
    } else left = 0;
    const key = String(plan.customer);
    balances.set(key, (balances.get(key) ?? 0) + left);
  }
  return balances;
}

const orderPlan = fc.record({
  customer: fc.integer({ min: 1, max: 3 }),
  lines: fc.array(fc.integer({ min: 1, max: 20_000 }), { minLength: 1, maxLength: 3 }),
  refunds: fc.array(fc.boolean(), { minLength: 3, maxLength: 3 }),
  cancel: fc.boolean(),
});

describe('orders, refunds and cancellations in any order, duplicated, with crashes: property', () => {
  let ctx: AppContext;
  let run = 0;
  beforeAll(async () => {
    ctx = await testContext('orders-property');
    await ensureIndexes(ctx.connection);
  });
  afterAll(async () => {
    await ctx.connection.close();
  });

  async function handle(event: WebhookEvent, now: Date): Promise<void> {
    const handler = orderTopicHandlers[event.topic];
    if (!handler) return;
    const delivery: WebhookDelivery = {
      shop: event.shop,
      topic: event.topic,
      eventId: event.eventId,
      webhookId: event.eventId,
      apiVersion: '2026-10',
      triggeredAt: event.triggeredAt,
      receivedAt: now,
      payload: JSON.parse(JSON.stringify(event.payload)) as unknown,
    };
    await handler(delivery, ctx, now);
  }

  it('ends where the reference model ends; the balance is the sum of the ledger; no key applies twice', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(orderPlan, { minLength: 1, maxLength: 5 }),
        fc.array(fc.nat(), { minLength: 40, maxLength: 40 }),
        fc.array(fc.integer({ min: 1, max: 3 }), { minLength: 40, maxLength: 40 }),
        fc.array(fc.boolean(), { minLength: 40, maxLength: 40 }),
        async (plans, order, copies, crashes) => {
          run++;
          const shop = `prop-${run}.myshopify.com`;
          const now = new Date('2026-11-22T12:00:00Z');
          await ensureDefaultProgram(ctx.connection, shop, 'USD', now);
          const devstore = new Devstore({ appUrl: 'http://unused', apiKey: 'k', apiSecret: 's', clock: () => now });
          devstore.ensureShop(shop);
          for (const customer of [1, 2, 3]) devstore.addCustomer(shop, { id: customer });
          const events: WebhookEvent[] = [];
          for (const plan of plans) {
            const created = devstore.createOrder(shop, { customerId: plan.customer, lines: plan.lines.map((priceMinor) => ({ priceMinor })) });
            events.push(devstore.pay(shop, created.id)[0]!);
            created.lines.forEach((line, index) => {
              if (plan.refunds[index]) events.push(devstore.refund(shop, created.id, [{ lineId: line.id, quantity: 1 }])[0]!);
            });
            if (plan.cancel) events.push(...devstore.cancel(shop, created.id));
          }
          // Shuffle by the generated keys, deliver each 1-3 times; a "crash" runs a delivery twice
          // back to back, as the inbox does when a worker dies after the effect but before recording it.
          const deliveries = events
            .map((event, index) => ({ event, rank: order[index % order.length]! + index / 1000 }))
            .sort((a, b) => a.rank - b.rank)
            .flatMap(({ event }, index) =>
              Array.from({ length: copies[index % copies.length]! + (crashes[index % crashes.length] ? 1 : 0) }, () => event),
            );
          for (const event of deliveries) await handle(event, now);

          for (const [customerId, points] of expectedBalances(plans)) {
            expect((await balanceOf(ctx.connection, shop, customerId)).available).toBe(points);
            const entries = await ledgerEntryModel(ctx.connection).find({ shop, customerId }).sort({ seq: 1 }).lean();
            expect(entries.reduce((sum, entry) => sum + entry.available, 0)).toBe(points);
            expect(new Set(entries.map((entry) => entry.key)).size).toBe(entries.length);
            expect(entries.map((entry) => entry.seq)).toEqual(entries.map((_, index) => index + 1));
          }
        },
      ),
      { numRuns: 30 },
    );
  }, 240_000);
});

import { formatAmount } from '../platform/money.js';
import { customerTagsFor } from '../customers/index.js';
import { PermanentFailure, type HandlerOutcome, type TopicHandler, type WebhookDelivery } from '../platform/topic-handlers.js';
import type { AppContext } from '../platform/context.js';
import { loadProgram, type Program } from '../program/index.js';
import { adminClientFor } from '../shops/index.js';
import { PRODUCTS_FOR_MULTIPLIERS, productBatches, productsForMultipliersCost, type ProductsForMultipliersData } from '../shopify/operations.js';
import { notEarningReason, orderFacts, parseOrder, parseRefund, refundFacts } from './order-payload.js';
import { adjustForEdit, creditPaidOrder, reverseCancellation, reverseRefund, type OrderCollaborators } from './orders.js';
import type { OrderFacts } from './rules.js';
import { findOrderPoints } from './store.js';

async function programFor(ctx: AppContext, shop: string): Promise<Program> {
  const program = await loadProgram(ctx.connection, shop);
  if (!program) throw new PermanentFailure(`${shop} has no program (the app is not installed there)`);
  return program;
}

/**
 * Order webhooks carry product ids but not their tags or collections: fetch them only when the
 * program has multipliers that need them, in batches that stay within Shopify's query cost limit.
 */
async function withProductDetails(ctx: AppContext, shop: string, program: Program, facts: OrderFacts): Promise<OrderFacts> {
  if (!program.earning.multipliers.some((rule) => rule.match.kind !== 'product')) return facts;
  const ids = [...new Set(facts.lines.map((line) => line.productId).filter((id): id is string => id !== null))];
  const details = new Map<string, ProductsForMultipliersData['nodes'][number] & object>();
  for (const batch of productBatches(ids)) {
    const data = await adminClientFor(ctx)<ProductsForMultipliersData>(
      shop,
      PRODUCTS_FOR_MULTIPLIERS,
      { ids: batch.map((id) => `gid://shopify/Product/${id}`) },
      productsForMultipliersCost(batch.length),
    );
    for (const node of data.nodes) if (node) details.set(node.id.split('/').pop()!, node);
  }
  return {
    ...facts,
    lines: facts.lines.map((line) => {
      const product = line.productId ? details.get(line.productId) : undefined;
      return product
        ? { ...line, productTags: product.tags, collectionIds: product.collections.nodes.map((collection) => collection.id.split('/').pop()!) }
        : line;
    }),
  };
}

function collaborators(ctx: AppContext, shop: string, program: Program, facts: OrderFacts, now: Date): OrderCollaborators {
  return {
    withProductDetails: (withDetails) => withProductDetails(ctx, shop, program, withDetails),
    customerTags: (customerId) => customerTagsFor(ctx, shop, customerId),
    markCodesUsed: (codes) => ctx.ports.markCodesUsed(ctx, { shop, orderId: facts.orderId, codes, now }),
    tierMultiplier: (customerId) => ctx.ports.tierMultiplier(ctx, { shop, customerId, program, now, orderId: facts.orderId }),
  };
}

/** How staff know an order: its name (#1005) when Shopify gave one, else its id. */
function orderLabel(name: string | null | undefined, id: string): string {
  return name ? `Order ${name}` : `Order ${id}`;
}

/**
 * orders/paid: credit the order once, unless it is a test order or already cancelled. Also what a
 * guest sale attached to a customer afterwards goes through (server/pos), with that customer on it.
 */
export async function creditPaidOrderPayload(ctx: AppContext, shop: string, payload: unknown, now: Date): Promise<HandlerOutcome> {
  const order = parseOrder(payload, 'orders/paid');
  const facts = orderFacts(order);
  const customerId = facts.customerId;
  if (customerId === null) return { status: 'skipped', reason: `${orderLabel(order.name, facts.orderId)}: a guest order, no customer to credit` };
  const program = await programFor(ctx, shop);
  // Points held for this checkout were spent on its discount, whatever the order earns.
  const hold = await ctx.ports.settleOrderHold(ctx, {
    shop,
    orderId: facts.orderId,
    customerId,
    noteAttributes: order.note_attributes,
    now,
  });
  const holdNote = hold ? (hold.settled ? `, ${hold.points} held points spent` : `, hold not settled: ${hold.reason ?? 'unknown'}`) : '';
  const notEarning = notEarningReason(order, program.earning.testOrders);
  if (notEarning) return { status: 'skipped', reason: `${orderLabel(order.name, facts.orderId)}: ${notEarning}${holdNote}` };
  const { record, rewardsUsed } = await creditPaidOrder(
    ctx,
    program,
    shop,
    order,
    { ...facts, customerId },
    collaborators(ctx, shop, program, facts, now),
    now,
  );
  return {
    status: 'processed',
    detail: `${orderLabel(record.orderName, record.orderId)}: ${record.earned} points credited${record.cashBack ? `, cash back ${formatAmount({ amount: record.cashBack, currency: record.currency })} ${record.currency}` : ''}${rewardsUsed ? `, ${rewardsUsed === 1 ? 'a reward code' : `${rewardsUsed} reward codes`} used` : ''}${holdNote}`,
  };
}

const ordersPaid: TopicHandler = (delivery, ctx, now) => creditPaidOrderPayload(ctx, delivery.shop, delivery.payload, now);

/** refunds/create: reverse in proportion to the refunded share; held until the order is credited. */
const refundsCreate: TopicHandler = async (delivery, ctx, now) => {
  const refund = parseRefund(delivery.payload);
  const shop = delivery.shop;
  const program = await programFor(ctx, shop);
  const record = await findOrderPoints(ctx.connection, shop, refund.order_id);
  const facts = refundFacts(refund, record?.currency ?? program.currency, record?.taxesIncluded ?? false);
  const points = await reverseRefund(ctx, program, shop, refund.order_id, refund.id, facts, now);
  const label = orderLabel(record?.orderName, refund.order_id);
  return {
    status: 'processed',
    detail:
      points === 'held'
        ? `Refund on ${label.toLowerCase()}: waits until the order is paid`
        : `Refund on ${label.toLowerCase()}: ${points} points taken back`,
  };
};

/** orders/cancelled: reverse what is left of the order's points. */
const ordersCancelled: TopicHandler = async (delivery, ctx, now) => {
  const order = parseOrder(delivery.payload, 'orders/cancelled');
  const label = orderLabel(order.name, order.id);
  if (!order.customer) return { status: 'skipped', reason: `${label}: a guest order, no points to take back` };
  const shop = delivery.shop;
  const program = await programFor(ctx, shop);
  const points = await reverseCancellation(ctx, program, shop, order.id, now);
  return {
    status: 'processed',
    detail: points === 'held' ? `${label} cancelled: waits until the order is paid` : `${label} cancelled: ${points} points taken back`,
  };
};

/** orders/updated: an edit that changes the eligible amount adjusts the order's points. */
const ordersUpdated: TopicHandler = async (delivery: WebhookDelivery, ctx, now) => {
  const order = parseOrder(delivery.payload, 'orders/updated');
  const program = await programFor(ctx, delivery.shop);
  const outcome = await adjustForEdit(ctx, program, delivery.shop, order, orderFacts(order), order.updated_at ?? delivery.eventId, now);
  const label = orderLabel(order.name, order.id);
  return outcome.applied
    ? { status: 'processed', detail: `${label} edited: ${outcome.delta > 0 ? '+' : ''}${outcome.delta} points` }
    : { status: 'skipped', reason: `${label} updated: no change to points (${outcome.reason})` };
};

export const orderTopicHandlers: Record<string, TopicHandler> = {
  'orders/paid': ordersPaid,
  'orders/updated': ordersUpdated,
  'orders/cancelled': ordersCancelled,
  'refunds/create': refundsCreate,
};

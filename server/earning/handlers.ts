import { z } from 'zod';
import { currencyDecimals, formatAmount, parseAmount } from '../platform/money.js';
import type { Program } from '../program/index.js';
import { adjustForOrderUpdate, earnForOrder, eligibleAmount, pointsForAmount, reverseForCancellation, reverseForRefund, type OrderFacts } from './rules.js';
import type { AppContext } from '../platform/context.js';
import { adminClientFor } from '../shops/index.js';
import { PRODUCTS_FOR_MULTIPLIERS, STORE_CREDIT_ACCOUNT_CREDIT, type ProductsForMultipliersData, type StoreCreditAccountCreditData } from '../shopify/operations.js';
import { customerModel } from '../customers/index.js';
import { applyEntry, earningHistory, orderEntries, type EntryDraft, type LedgerEntry } from '../ledger/index.js';
import { findOrderPoints, heldReversalModel, holdReversal, orderPointsId, orderPointsModel, recordOrderOnce, type OrderPoints } from './store.js';
import { loadProgram } from '../program/index.js';
import { markCodesUsed, returnRewardsOfOrder } from '../redemption/index.js';
import { PermanentFailure, type TopicHandler } from '../inbox/index.js';
import { parseTags } from '../customers/index.js';

const DAY_MS = 86_400_000;
const numericId = z.union([z.number().int(), z.string().regex(/^\d{1,20}$/)]).transform(String);
const moneyValue = z.object({ amount: z.string(), currency_code: z.string().regex(/^[A-Z]{3}$/) });
const moneySet = z.object({ shop_money: moneyValue, presentment_money: moneyValue.optional() });
const refundLine = z.object({ subtotal_set: moneySet, line_item: z.object({ gift_card: z.boolean().default(false) }).nullish() });

const orderPayload = z.object({
  id: numericId,
  updated_at: z.string().optional(),
  cancelled_at: z.string().nullish(),
  current_subtotal_price_set: moneySet,
  customer: z.object({ id: numericId, tags: z.string().nullish() }).nullish(),
  line_items: z.array(
    z.object({
      id: numericId,
      product_id: numericId.nullish(),
      quantity: z.number().int().nonnegative(),
      gift_card: z.boolean().default(false),
      price_set: moneySet,
      discount_allocations: z.array(z.object({ amount_set: moneySet })).default([]),
    }),
  ),
  refunds: z.array(z.object({ refund_line_items: z.array(refundLine).default([]) })).default([]),
  discount_codes: z.array(z.object({ code: z.string() })).default([]),
});

const refundPayload = z.object({ id: numericId, order_id: numericId, refund_line_items: z.array(refundLine) });

type OrderPayload = z.infer<typeof orderPayload>;

function parse<T>(schema: z.ZodType<T>, payload: unknown, what: string): T {
  const parsed = schema.safeParse(payload);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new PermanentFailure(`${what} payload: ${issue?.path.join('.')} ${issue?.message}`);
  }
  return parsed.data;
}

/** The order as the domain sees it, in shop money. */
export function orderFacts(order: OrderPayload): OrderFacts {
  const currency = order.current_subtotal_price_set.shop_money.currency_code;
  const amount = (set: z.infer<typeof moneySet>) => parseAmount(set.shop_money.amount, currency).amount;
  return {
    orderId: order.id,
    customerId: order.customer?.id ?? null,
    currency,
    subtotal: amount(order.current_subtotal_price_set),
    lines: order.line_items.map((line) => ({
      lineId: line.id,
      productId: line.product_id ?? null,
      amount: amount(line.price_set) * line.quantity - line.discount_allocations.reduce((sum, allocation) => sum + amount(allocation.amount_set), 0),
      giftCard: line.gift_card,
      productTags: [],
      collectionIds: [],
    })),
  };
}

function presentmentOf(order: OrderPayload): { amount: number; currency: string } | undefined {
  const shown = order.current_subtotal_price_set.presentment_money;
  return shown ? { amount: parseAmount(shown.amount, shown.currency_code).amount, currency: shown.currency_code } : undefined;
}

/** The refunded part of the eligible amount: refunded line subtotals, gift cards excluded. */
function refundedEligible(lines: Array<z.infer<typeof refundLine>>, currency: string): number {
  return lines.filter((line) => !line.line_item?.gift_card).reduce((sum, line) => sum + parseAmount(line.subtotal_set.shop_money.amount, currency).amount, 0);
}

/** Where an order's points stand, read from its ledger entries (the source of truth). */
interface OrderState {
  /** Points the order earned, edits included. */
  earned: number;
  /** Points taken back by refunds and cancellation. */
  reversed: number;
  /** Points a stop-at-zero reversal could not take (already spent). */
  shortfall: number;
  /** Points of this order still pending. */
  pending: number;
  released: boolean;
  eligible: number;
  keys: Set<string>;
}

function orderState(record: OrderPoints, entries: LedgerEntry[]): OrderState {
  const sum = (types: string[]) => entries.filter((entry) => types.includes(entry.type)).reduce((total, entry) => total + entry.available + entry.pending, 0);
  const edits = entries.filter((entry) => entry.type === 'order_edit').sort((a, b) => a.seq - b.seq);
  return {
    earned: sum(['earn', 'order_edit']),
    reversed: -sum(['reverse']),
    shortfall: entries.filter((entry) => entry.type === 'reverse').reduce((total, entry) => total + entry.shortfall, 0),
    pending: entries.reduce((total, entry) => total + entry.pending, 0),
    released: entries.some((entry) => entry.type === 'release'),
    eligible: edits.at(-1)?.eligible ?? record.eligible,
    keys: new Set(entries.map((entry) => entry.key)),
  };
}

async function stateOf(ctx: AppContext, record: OrderPoints): Promise<OrderState> {
  return orderState(record, await orderEntries(ctx.connection, record.shop, record.orderId));
}

function isPending(record: OrderPoints, state: OrderState, now: Date): boolean {
  return !state.released && record.pendingUntil !== null && record.pendingUntil > now;
}

function draft(record: OrderPoints, key: string, type: EntryDraft['type'], points: number, pending: boolean, reason: string, guard: EntryDraft['guard']): EntryDraft {
  return { shop: record.shop, customerId: record.customerId, key, type, available: pending ? 0 : points, pending: pending ? points : 0, reason, source: `order ${record.orderId}`, orderId: record.orderId, guard };
}

/** Takes back `points` of an order: from pending while they are pending, else from available under the program's policy. */
async function reverse(ctx: AppContext, program: Program, record: OrderPoints, state: OrderState, key: string, points: number, reason: string, now: Date): Promise<number> {
  if (points <= 0 || state.keys.has(key)) return 0;
  const pending = isPending(record, state, now);
  const guard = pending || program.negativeBalance === 'allow' ? 'none' : 'clamp';
  const result = await applyEntry(ctx.connection, draft(record, key, 'reverse', -points, pending, reason, guard), now);
  return result.appliedNow ? points : 0;
}

async function applyRefund(ctx: AppContext, program: Program, record: OrderPoints, refundId: string, refunded: number, now: Date): Promise<number> {
  const state = await stateOf(ctx, record);
  const points = reverseForRefund(state.earned, state.eligible, refunded, state.reversed);
  const reversed = await reverse(ctx, program, record, state, `reverse:refund:${refundId}`, points, `refund ${refundId}`, now);
  const after = await stateOf(ctx, record);
  // A refund that takes back the rest of the order's points refunds the order in full.
  if (after.earned > 0 && after.reversed + after.shortfall >= after.earned) await returnRewardsOfOrder(ctx, program, record.shop, record.orderId, now);
  return reversed;
}

async function applyCancellation(ctx: AppContext, program: Program, record: OrderPoints, now: Date): Promise<number> {
  const state = await stateOf(ctx, record);
  const reversed = await reverse(ctx, program, record, state, `cancel:order:${record.orderId}`, reverseForCancellation(state.earned, state.reversed), 'order cancelled', now);
  await returnRewardsOfOrder(ctx, program, record.shop, record.orderId, now);
  return reversed;
}

async function programFor(ctx: AppContext, shop: string): Promise<Program> {
  const program = await loadProgram(ctx.connection, shop);
  if (!program) throw new PermanentFailure(`${shop} has no program (the app is not installed there)`);
  return program;
}

/** Issues an order's cash back as Shopify store credit once: claimed before the call, marked after. */
async function issueCashBack(ctx: AppContext, record: OrderPoints): Promise<void> {
  const orders = orderPointsModel(ctx.connection);
  const claimed = await orders.updateOne({ _id: record._id, cashBackState: { $exists: false } }, { $set: { cashBackState: 'issuing' } });
  if (claimed.modifiedCount === 0) return;
  try {
    const data = await adminClientFor(ctx)<StoreCreditAccountCreditData>(record.shop, STORE_CREDIT_ACCOUNT_CREDIT, {
      id: `gid://shopify/Customer/${record.customerId}`,
      creditInput: { creditAmount: { amount: formatAmount({ amount: record.cashBack, currency: record.currency }), currencyCode: record.currency } },
    });
    const errors = data.storeCreditAccountCredit.userErrors;
    if (errors.length > 0) throw new Error(`store credit refused: ${errors.map((error) => error.message).join('; ')}`);
    await orders.updateOne({ _id: record._id }, { $set: { cashBackState: 'issued' } });
  } catch (error) {
    await orders.updateOne({ _id: record._id }, { $unset: { cashBackState: 1 } });
    throw error;
  }
}

/**
 * Order webhooks carry product ids but not their tags or collections: fetch them (one Admin
 * GraphQL call per order) only when the program has multipliers that need them.
 */
async function withProductDetails(ctx: AppContext, shop: string, program: Program, facts: OrderFacts): Promise<OrderFacts> {
  if (!program.earning.multipliers.some((rule) => rule.match.kind !== 'product')) return facts;
  const ids = [...new Set(facts.lines.map((line) => line.productId).filter((id): id is string => id !== null))];
  if (ids.length === 0) return facts;
  const data = await adminClientFor(ctx)<ProductsForMultipliersData>(shop, PRODUCTS_FOR_MULTIPLIERS, { ids: ids.map((id) => `gid://shopify/Product/${id}`) }, 1 + ids.length * 2);
  const details = new Map(data.nodes.filter((node) => node !== null).map((node) => [node.id.split('/').pop()!, node]));
  return {
    ...facts,
    lines: facts.lines.map((line) => {
      const product = line.productId ? details.get(line.productId) : undefined;
      return product ? { ...line, productTags: product.tags, collectionIds: product.collections.nodes.map((collection) => collection.id.split('/').pop()!) } : line;
    }),
  };
}

async function customerTags(ctx: AppContext, shop: string, customerId: string, fromPayload: string | null | undefined): Promise<string[]> {
  const profile = await customerModel(ctx.connection).findOne({ shop, customerId }, { tags: 1 }).lean();
  return [...new Set([...parseTags(fromPayload), ...(profile?.tags ?? [])])];
}

/** orders/paid: fix the order's worth once, credit it, then apply what arrived before it. */
const ordersPaid: TopicHandler = async (delivery, ctx, now) => {
  const order = parse(orderPayload, delivery.payload, 'orders/paid');
  const facts = orderFacts(order);
  const customerId = facts.customerId;
  if (customerId === null) return { status: 'skipped', reason: 'guest order: no customer to credit' };
  const program = await programFor(ctx, delivery.shop);
  const shop = delivery.shop;
  const rewardsUsed = await markCodesUsed(ctx, shop, facts.orderId, order.discount_codes.map((discount) => discount.code), now);

  let record: OrderPoints | null = await findOrderPoints(ctx.connection, shop, facts.orderId);
  if (!record) {
    const history = await earningHistory(ctx.connection, shop, customerId, now);
    const earning = earnForOrder(
      program,
      await withProductDetails(ctx, shop, program, facts),
      {
        customerTags: await customerTags(ctx, shop, customerId, order.customer?.tags),
        paidOrdersBefore: history.paidOrders,
        earnedToday: history.earnedToday,
      },
      currencyDecimals(facts.currency),
      now,
    );
    record = await recordOrderOnce(ctx.connection, {
      _id: orderPointsId(shop, facts.orderId),
      shop,
      orderId: facts.orderId,
      customerId,
      eligible: earning.eligible,
      earned: earning.points,
      cashBack: earning.cashBack?.amount ?? 0,
      currency: facts.currency,
      presentment: presentmentOf(order),
      notes: earning.notes,
      pendingUntil: program.pendingDays > 0 ? new Date(now.getTime() + program.pendingDays * DAY_MS) : null,
      creditedAt: now,
    });
  }

  if (record.earned > 0) {
    const pending = record.pendingUntil !== null && record.pendingUntil > now;
    await applyEntry(ctx.connection, draft(record, `earn:order:${record.orderId}`, 'earn', record.earned, pending, record.notes.join('; ') || 'order paid', 'none'), now);
  }
  for (const held of await heldReversalModel(ctx.connection).find({ shop, orderId: record.orderId }).sort({ receivedAt: 1 }).lean()) {
    if (held.refunded === null) await applyCancellation(ctx, program, record, now);
    else await applyRefund(ctx, program, record, held.key.replace('reverse:refund:', ''), held.refunded, now);
  }
  if (record.cashBack > 0 && record.cashBackState !== 'issued') await issueCashBack(ctx, record);
  return { status: 'processed', detail: `order ${record.orderId}: ${record.earned} points${record.cashBack ? `, cash back ${record.cashBack}` : ''}${rewardsUsed ? `, ${rewardsUsed} reward code(s) used` : ''}` };
};

/** refunds/create: reverse in proportion to the refunded share; held until the order is credited. */
const refundsCreate: TopicHandler = async (delivery, ctx, now) => {
  const refund = parse(refundPayload, delivery.payload, 'refunds/create');
  const shop = delivery.shop;
  const record = await findOrderPoints(ctx.connection, shop, refund.order_id);
  const currency = record?.currency ?? refund.refund_line_items[0]?.subtotal_set.shop_money.currency_code ?? 'USD';
  const refunded = refundedEligible(refund.refund_line_items, currency);
  if (!record) {
    await holdReversal(ctx.connection, { shop, orderId: refund.order_id, key: `reverse:refund:${refund.id}`, refunded, receivedAt: now });
    // The order may have been credited meanwhile; if so, apply the held refund now.
    const credited = await findOrderPoints(ctx.connection, shop, refund.order_id);
    if (!credited) return { status: 'processed', detail: `refund ${refund.id} held until order ${refund.order_id} is paid` };
    const points = await applyRefund(ctx, await programFor(ctx, shop), credited, refund.id, refunded, now);
    return { status: 'processed', detail: `refund ${refund.id}: ${points} points reversed` };
  }
  const points = await applyRefund(ctx, await programFor(ctx, shop), record, refund.id, refunded, now);
  return { status: 'processed', detail: `refund ${refund.id}: ${points} points reversed` };
};

/** orders/cancelled: reverse what is left of the order's points. */
const ordersCancelled: TopicHandler = async (delivery, ctx, now) => {
  const order = parse(orderPayload, delivery.payload, 'orders/cancelled');
  const shop = delivery.shop;
  if (!order.customer) return { status: 'skipped', reason: 'guest order' };
  let record: OrderPoints | null = await findOrderPoints(ctx.connection, shop, order.id);
  if (!record) {
    await holdReversal(ctx.connection, { shop, orderId: order.id, key: `cancel:order:${order.id}`, refunded: null, receivedAt: now });
    record = await findOrderPoints(ctx.connection, shop, order.id);
    if (!record) return { status: 'processed', detail: `cancellation of order ${order.id} held until it is paid` };
  }
  const points = await applyCancellation(ctx, await programFor(ctx, shop), record, now);
  return { status: 'processed', detail: `order ${order.id} cancelled: ${points} points reversed` };
};

/**
 * orders/updated: an edit that changes the eligible amount (refunds aside, which refunds/create
 * handles) adjusts the order's base points by the difference. Each Shopify update is its own key.
 */
const ordersUpdated: TopicHandler = async (delivery, ctx, now) => {
  const order = parse(orderPayload, delivery.payload, 'orders/updated');
  const shop = delivery.shop;
  const record = await findOrderPoints(ctx.connection, shop, order.id);
  if (!record || order.cancelled_at) return { status: 'skipped', reason: 'order not credited yet, or cancelled' };
  const state = await stateOf(ctx, record);
  if (state.keys.has(`cancel:order:${order.id}`)) return { status: 'skipped', reason: 'order cancelled' };
  const facts = orderFacts(order);
  const refunded = order.refunds.reduce((sum, refund) => sum + refundedEligible(refund.refund_line_items, facts.currency), 0);
  const eligibleNow = eligibleAmount(facts) + refunded;
  if (eligibleNow === state.eligible) return { status: 'skipped', reason: 'eligible amount unchanged' };
  const program = await programFor(ctx, shop);
  const decimals = currencyDecimals(facts.currency);
  const delta = adjustForOrderUpdate(program, pointsForAmount(program, state.eligible, decimals), eligibleNow, decimals);
  const pending = isPending(record, state, now);
  const guard = delta < 0 && !pending && program.negativeBalance === 'stop_at_zero' ? 'clamp' : 'none';
  await applyEntry(
    ctx.connection,
    { ...draft(record, `edit:order:${order.id}:${order.updated_at ?? delivery.eventId}`, 'order_edit', delta, pending, `order edited: eligible ${state.eligible} → ${eligibleNow}`, guard), eligible: eligibleNow },
    now,
  );
  return { status: 'processed', detail: `order ${order.id} edited: ${delta} points` };
};

export const orderTopicHandlers: Record<string, TopicHandler> = {
  'orders/paid': ordersPaid,
  'orders/updated': ordersUpdated,
  'orders/cancelled': ordersCancelled,
  'refunds/create': refundsCreate,
};

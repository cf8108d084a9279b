import { z } from 'zod';
import {
  adjustForOrderUpdate,
  currencyDecimals,
  earnForOrder,
  eligibleAmount,
  formatAmount,
  parseAmount,
  reverseForCancellation,
  reverseForRefund,
  type OrderFacts,
  type Program,
} from '../../loyalty/index.js';
import { adminClientFor } from '../../shopify/client.js';
import { STORE_CREDIT_ACCOUNT_CREDIT, type StoreCreditAccountCreditData } from '../../shopify/operations.js';
import type { AppContext } from '../../context.js';
import { customerModel } from '../../store/customers.js';
import { applyEntry, type EntryDraft } from '../../store/ledger.js';
import { orderPointsModel, recordReversal, type OrderPoints } from '../../store/order-points.js';
import { loadProgram } from '../../store/programs.js';
import { parseTags } from './lifecycle.js';
import { PermanentFailure, type HandlerOutcome, type TopicHandler } from '../topics.js';

const DAY_MS = 86_400_000;
const numericId = z.union([z.number().int(), z.string().regex(/^\d{1,20}$/)]).transform(String);
const moneySet = z.object({ shop_money: z.object({ amount: z.string(), currency_code: z.string() }) });

const lineItem = z.object({
  id: numericId,
  product_id: numericId.nullish(),
  quantity: z.number().int().nonnegative(),
  gift_card: z.boolean().default(false),
  price_set: moneySet,
  discount_allocations: z.array(z.object({ amount_set: moneySet })).default([]),
});

const orderPayload = z.object({
  id: numericId,
  updated_at: z.string().optional(),
  cancelled_at: z.string().nullish(),
  current_subtotal_price_set: moneySet,
  customer: z.object({ id: numericId, tags: z.string().nullish() }).nullish(),
  line_items: z.array(lineItem),
  refunds: z.array(z.object({ refund_line_items: z.array(z.object({ subtotal_set: moneySet, line_item: z.object({ gift_card: z.boolean().default(false) }).nullish() })).default([]) })).default([]),
});

const refundPayload = z.object({
  id: numericId,
  order_id: numericId,
  refund_line_items: z.array(z.object({ subtotal_set: moneySet, line_item: z.object({ gift_card: z.boolean().default(false) }).nullish() })),
});

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

/** The refunded part of the eligible amount: refunded line subtotals, gift cards excluded. */
function refundedEligible(lines: z.infer<typeof refundPayload>['refund_line_items'], currency: string): number {
  return lines.filter((line) => !line.line_item?.gift_card).reduce((sum, line) => sum + parseAmount(line.subtotal_set.shop_money.amount, currency).amount, 0);
}

async function customerTags(ctx: AppContext, shop: string, customerId: string, fromPayload: string | null | undefined): Promise<string[]> {
  const profile = await customerModel(ctx.connection).findOne({ shop, customerId }, { tags: 1 }).lean();
  return [...new Set([...parseTags(fromPayload), ...(profile?.tags ?? [])])];
}

function draft(record: OrderPoints, key: string, type: EntryDraft['type'], points: number, pending: boolean, reason: string, guard: EntryDraft['guard']): EntryDraft {
  return {
    shop: record.shop,
    customerId: record.customerId,
    key,
    type,
    available: pending ? 0 : points,
    pending: pending ? points : 0,
    reason,
    source: `order ${record.orderId}`,
    orderId: record.orderId,
    guard,
  };
}

function stillPending(record: OrderPoints, now: Date): boolean {
  return !record.released && record.pendingUntil !== null && record.pendingUntil !== undefined && record.pendingUntil > now;
}

/** Takes back `points` of an order once per key: from pending while they are pending, else from available. */
async function reverse(ctx: AppContext, program: Program, record: OrderPoints, key: string, points: number, reason: string, now: Date): Promise<void> {
  if (points <= 0) return;
  const pending = stillPending(record, now);
  const guard = pending ? 'none' : program.negativeBalance === 'allow' ? 'none' : 'clamp';
  await applyEntry(ctx.connection, draft(record, key, 'reverse', -points, pending, reason, guard), now);
  await recordReversal(ctx.connection, record.shop, record.orderId, key, points, now);
}

async function applyRefund(ctx: AppContext, program: Program, record: OrderPoints, refundId: string, refunded: number, now: Date): Promise<number> {
  const key = `reverse:refund:${refundId}`;
  if (record.reversalKeys.includes(key)) return 0;
  const points = reverseForRefund(record.earned ?? 0, record.eligible ?? 0, refunded, record.reversed);
  await reverse(ctx, program, record, key, points, `refund ${refundId}`, now);
  return points;
}

async function programFor(ctx: AppContext, shop: string): Promise<Program> {
  const program = await loadProgram(ctx.connection, shop);
  if (!program) throw new PermanentFailure(`${shop} has no program (the app is not installed there)`);
  return program;
}

async function issueCashBack(ctx: AppContext, record: OrderPoints): Promise<void> {
  const orders = orderPointsModel(ctx.connection);
  const claimed = await orders.findOneAndUpdate({ shop: record.shop, orderId: record.orderId, cashBack: { $gt: 0 }, cashBackState: { $exists: false } }, { $set: { cashBackState: 'issuing' } });
  if (!claimed || !record.cashBack || !record.currency) return;
  try {
    const data = await adminClientFor(ctx)<StoreCreditAccountCreditData>(record.shop, STORE_CREDIT_ACCOUNT_CREDIT, {
      id: `gid://shopify/Customer/${record.customerId}`,
      creditInput: { creditAmount: { amount: formatAmount({ amount: record.cashBack, currency: record.currency }), currencyCode: record.currency } },
    });
    const errors = data.storeCreditAccountCredit.userErrors;
    if (errors.length > 0) throw new Error(errors.map((error) => error.message).join('; '));
    await orders.updateOne({ shop: record.shop, orderId: record.orderId }, { $set: { cashBackState: 'issued' } });
  } catch (error) {
    await orders.updateOne({ shop: record.shop, orderId: record.orderId }, { $unset: { cashBackState: 1 } });
    throw error;
  }
}

/** orders/paid: fix the order's points once, credit them, then apply refunds that came first. */
const ordersPaid: TopicHandler = async (delivery, ctx, now) => {
  const order = parse(orderPayload, delivery.payload, 'orders/paid');
  const facts = orderFacts(order);
  if (facts.customerId === null) return { status: 'skipped', reason: 'guest order: no customer to credit' };
  const program = await programFor(ctx, delivery.shop);
  const orders = orderPointsModel(ctx.connection);
  const shop = delivery.shop;

  let record = await orders.findOne({ shop, orderId: facts.orderId }).lean();
  if (record?.earned === undefined) {
    const history = await orders.find({ shop, customerId: facts.customerId, status: 'credited', orderId: { $ne: facts.orderId } }, { earned: 1, creditedAt: 1 }).lean();
    const dayStart = new Date(now.toISOString().slice(0, 10));
    const earning = earnForOrder(
      program,
      facts,
      {
        customerTags: await customerTags(ctx, shop, facts.customerId, order.customer?.tags),
        paidOrdersBefore: history.length,
        earnedToday: history.filter((past) => past.creditedAt && past.creditedAt >= dayStart).reduce((sum, past) => sum + (past.earned ?? 0), 0),
      },
      currencyDecimals(facts.currency),
      now,
    );
    await orders.updateOne(
      { shop, orderId: facts.orderId, earned: { $exists: false } },
      {
        $set: {
          customerId: facts.customerId,
          status: 'credited',
          eligible: earning.eligible,
          earned: earning.points,
          cashBack: earning.cashBack?.amount ?? 0,
          currency: facts.currency,
          notes: earning.notes,
          pendingUntil: program.pendingDays > 0 ? new Date(now.getTime() + program.pendingDays * DAY_MS) : null,
          released: program.pendingDays === 0,
          creditedAt: now,
          updatedAt: now,
        },
        $setOnInsert: { reversed: 0, reversalKeys: [], heldRefunds: [], cancelled: false },
      },
      { upsert: true },
    ).catch((error: unknown) => {
      if (!(typeof error === 'object' && error !== null && 'code' in error && error.code === 11000)) throw error;
    });
    record = await orders.findOne({ shop, orderId: facts.orderId }).lean();
  }
  if (!record || record.earned === undefined) throw new Error(`order ${facts.orderId} record missing after credit`);

  if (record.earned > 0) {
    await applyEntry(ctx.connection, draft(record, `earn:order:${record.orderId}`, 'earn', record.earned, stillPending(record, now), (record.notes ?? []).join('; ') || 'order paid', 'none'), now);
  }
  for (const held of record.heldRefunds) await applyRefund(ctx, program, record, held.refundId, held.refunded, now);
  if (record.cancelled) {
    const fresh = (await orders.findOne({ shop, orderId: record.orderId }).lean()) ?? record;
    await reverse(ctx, program, fresh, `cancel:order:${record.orderId}`, reverseForCancellation(fresh.earned ?? 0, fresh.reversed), 'order cancelled', now);
  }
  if (record.cashBack && record.cashBack > 0) await issueCashBack(ctx, record);
  return { status: 'processed', detail: `order ${record.orderId}: ${record.earned} points${record.cashBack ? `, cash back ${record.cashBack}` : ''}` };
};

/** refunds/create: reverse in proportion to the refunded share; held until the order is credited. */
const refundsCreate: TopicHandler = async (delivery, ctx, now) => {
  const refund = parse(refundPayload, delivery.payload, 'refunds/create');
  const orders = orderPointsModel(ctx.connection);
  const shop = delivery.shop;
  const record = await orders.findOne({ shop, orderId: refund.order_id }).lean();
  const currency = record?.currency ?? refund.refund_line_items[0]?.subtotal_set.shop_money.currency_code ?? 'USD';
  const refunded = refundedEligible(refund.refund_line_items, currency);
  if (!record || record.earned === undefined) {
    await orders.updateOne(
      { shop, orderId: refund.order_id },
      { $addToSet: { heldRefunds: { refundId: refund.id, refunded } }, $setOnInsert: { customerId: 'unknown', status: 'held', reversed: 0, reversalKeys: [], cancelled: false }, $set: { updatedAt: now } },
      { upsert: true },
    );
    return { status: 'processed', detail: `refund ${refund.id} held until order ${refund.order_id} is paid` };
  }
  const program = await programFor(ctx, shop);
  const points = await applyRefund(ctx, program, record, refund.id, refunded, now);
  return { status: 'processed', detail: `refund ${refund.id}: ${points} points reversed` };
};

/** orders/cancelled: reverse what is left of the order's points. */
const ordersCancelled: TopicHandler = async (delivery, ctx, now) => {
  const order = parse(orderPayload, delivery.payload, 'orders/cancelled');
  const orders = orderPointsModel(ctx.connection);
  const shop = delivery.shop;
  const record = await orders.findOne({ shop, orderId: order.id }).lean();
  if (!record || record.earned === undefined) {
    if (!order.customer) return { status: 'skipped', reason: 'guest order' };
    await orders.updateOne(
      { shop, orderId: order.id },
      { $set: { cancelled: true, updatedAt: now }, $setOnInsert: { customerId: order.customer.id, status: 'held', reversed: 0, reversalKeys: [], heldRefunds: [] } },
      { upsert: true },
    );
    return { status: 'processed', detail: `cancellation of order ${order.id} held until it is paid` };
  }
  await orders.updateOne({ shop, orderId: order.id }, { $set: { cancelled: true, updatedAt: now } });
  const program = await programFor(ctx, shop);
  const points = reverseForCancellation(record.earned, record.reversed);
  await reverse(ctx, program, record, `cancel:order:${order.id}`, points, 'order cancelled', now);
  return { status: 'processed', detail: `order ${order.id} cancelled: ${points} points reversed` };
};

/**
 * orders/updated: an edit that changes the eligible amount (refunds aside, which refunds/create
 * handles) adjusts the order's points by the difference.
 */
const ordersUpdated: TopicHandler = async (delivery, ctx, now): Promise<HandlerOutcome> => {
  const order = parse(orderPayload, delivery.payload, 'orders/updated');
  const orders = orderPointsModel(ctx.connection);
  const shop = delivery.shop;
  const record = await orders.findOne({ shop, orderId: order.id }).lean();
  if (!record || record.earned === undefined || record.eligible === undefined || record.cancelled || order.cancelled_at) {
    return { status: 'skipped', reason: 'order not credited, or cancelled' };
  }
  const facts = orderFacts(order);
  const refunded = order.refunds.reduce((sum, refund) => sum + refundedEligible(refund.refund_line_items, facts.currency), 0);
  const eligibleBeforeRefunds = eligibleAmount(facts) + refunded;
  if (eligibleBeforeRefunds === record.eligible) return { status: 'skipped', reason: 'eligible amount unchanged' };
  const program = await programFor(ctx, shop);
  const delta = adjustForOrderUpdate(program, record.earned, eligibleBeforeRefunds, currencyDecimals(facts.currency));
  // The entry goes first and its key names the change, so a retry after a crash finds it applied
  // and only the record's update remains.
  const key = `edit:order:${order.id}:${record.eligible}->${eligibleBeforeRefunds}`;
  const pending = stillPending(record, now);
  const guard = delta < 0 && !pending && program.negativeBalance === 'stop_at_zero' ? 'clamp' : 'none';
  await applyEntry(ctx.connection, draft(record, key, 'order_edit', delta, pending, `order edited: eligible ${record.eligible} → ${eligibleBeforeRefunds}`, guard), now);
  await orders.updateOne(
    { shop, orderId: order.id, eligible: record.eligible, earned: record.earned },
    { $set: { eligible: eligibleBeforeRefunds, earned: record.earned + delta, updatedAt: now } },
  );
  return { status: 'processed', detail: `order ${order.id} edited: ${delta} points` };
};

export const orderTopicHandlers: Record<string, TopicHandler> = {
  'orders/paid': ordersPaid,
  'orders/updated': ordersUpdated,
  'orders/cancelled': ordersCancelled,
  'refunds/create': refundsCreate,
};

import { currencyDecimals, hundredths, mulDivFloor, parseAmount } from '../platform/money.js';

/**
 * The bulk query of a backfill: every order created since the start date, with what earning needs.
 * Line items come as their own JSONL lines (`__parentId`), so gift cards can be left out as live earning does.
 */
export function backfillOrdersQuery(since: string): string {
  return `{
  orders(query: "created_at:>='${since}'", sortKey: CREATED_AT) {
    edges {
      node {
        id name createdAt test cancelledAt displayFinancialStatus currencyCode taxesIncluded
        customer { id }
        currentSubtotalPriceSet { shopMoney { amount currencyCode } }
        currentTotalTaxSet { shopMoney { amount currencyCode } }
        lineItems { edges { node { id isGiftCard currentQuantity discountedUnitPriceAfterAllDiscountsSet { shopMoney { amount currencyCode } } } } }
      }
    }
  }
}`;
}

interface ShopMoney {
  shopMoney: { amount: string; currencyCode: string };
}

/** One order line of the JSONL, as the query above selects it. */
export interface BulkOrderLine {
  id: string;
  name: string;
  createdAt: string;
  test: boolean;
  cancelledAt: string | null;
  displayFinancialStatus: string | null;
  currencyCode: string;
  taxesIncluded: boolean;
  customer: { id: string } | null;
  currentSubtotalPriceSet: ShopMoney;
  currentTotalTaxSet: ShopMoney;
}

interface BulkLineItemLine {
  id: string;
  isGiftCard: boolean;
  currentQuantity: number;
  discountedUnitPriceAfterAllDiscountsSet: ShopMoney;
  __parentId: string;
}

/** An order of the file with its gift-card amount gathered from its line items. */
export interface BackfillOrder {
  orderId: string;
  name: string;
  customerId: string | null;
  createdAt: Date;
  test: boolean;
  cancelled: boolean;
  financialStatus: string | null;
  currency: string;
  subtotal: number;
  includedTax: number;
  giftCards: number;
}

const gidNumber = (gid: string | undefined, type: string) => (gid ? (new RegExp(`^gid://shopify/${type}/(\\d+)$`).exec(gid)?.[1] ?? null) : null);

/** Reads Shopify's JSONL (one object per line, children after their parent with `__parentId`), oldest order first. */
export function readOrdersJsonl(text: string): BackfillOrder[] {
  const orders = new Map<string, BackfillOrder>();
  for (const raw of text.split('\n')) {
    if (raw.trim() === '') continue;
    const line = JSON.parse(raw) as (BulkOrderLine & { __parentId?: undefined }) | BulkLineItemLine;
    if (line.__parentId !== undefined) {
      const parent = orders.get(line.__parentId);
      if (parent && line.isGiftCard) {
        const unit = parseAmount(line.discountedUnitPriceAfterAllDiscountsSet.shopMoney.amount, parent.currency).amount;
        parent.giftCards += unit * line.currentQuantity;
      }
      continue;
    }
    const order = line as BulkOrderLine;
    const currency = order.currentSubtotalPriceSet.shopMoney.currencyCode;
    const orderId = gidNumber(order.id, 'Order');
    if (!orderId) continue;
    orders.set(order.id, {
      orderId,
      name: order.name,
      customerId: gidNumber(order.customer?.id, 'Customer'),
      createdAt: new Date(order.createdAt),
      test: order.test,
      cancelled: order.cancelledAt !== null,
      financialStatus: order.displayFinancialStatus,
      currency,
      subtotal: parseAmount(order.currentSubtotalPriceSet.shopMoney.amount, currency).amount,
      includedTax: order.taxesIncluded ? parseAmount(order.currentTotalTaxSet.shopMoney.amount, currency).amount : 0,
      giftCards: 0,
    });
  }
  return [...orders.values()].sort((a, b) => a.createdAt.getTime() - b.createdAt.getTime() || a.orderId.localeCompare(b.orderId));
}

/** How a backfill prices an order: a rate the merchant gives, or the program's earning as it stands. */
export type BackfillRate = { kind: 'rate'; pointsPerCurrencyUnit: number } | { kind: 'program'; pointsPerCurrencyUnit: number };

const EARNING_STATUSES = new Set(['PAID', 'PARTIALLY_REFUNDED']);

/** Why an order of the file earns nothing, or null when it earns. */
export function backfillSkipReason(order: BackfillOrder, testOrdersEarn: boolean): string | null {
  if (order.customerId === null) return 'guest order';
  if (order.test && !testOrdersEarn) return 'test order';
  if (order.cancelled) return 'cancelled';
  if (!order.financialStatus || !EARNING_STATUSES.has(order.financialStatus)) return `not paid (${order.financialStatus ?? 'unknown'})`;
  return null;
}

/** The eligible amount (current subtotal less gift cards and included tax) and its points, rounded down. */
export function backfillPoints(order: BackfillOrder, rate: BackfillRate): { eligible: number; points: number } {
  const eligible = Math.max(0, order.subtotal - order.giftCards - order.includedTax);
  return { eligible, points: mulDivFloor(eligible, hundredths(rate.pointsPerCurrencyUnit), 100 * 10 ** currencyDecimals(order.currency)) };
}

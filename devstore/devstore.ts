import { cartLinesDiscountsGenerateRun, type CartInput } from '../extensions/tally-discount/src/run.js';
import { currencyDecimals, formatAmount } from './money.js';
import { orderPayload, orderSubtotalMinor, customerPayload, refundPayload } from './payloads.js';
import { createShop, newId, type DevCustomer, type DevDiscount, type DevOrder, type DevProduct, type DevShop } from './state.js';
import { deliver, newEvent, type DeliveryOptions, type DeliveryReport, type WebhookEvent } from './webhooks.js';

export interface DevstoreOptions {
  appUrl: string;
  apiKey: string;
  apiSecret: string;
  clock?: () => Date;
  /** Where the shops are kept across restarts (npm start); in memory only when absent (tests). */
  statePath?: string;
}

export interface OrderLineInput {
  productId?: number;
  /** A one-off product at this price, when no productId is given. */
  priceMinor?: number;
  quantity?: number;
  giftCard?: boolean;
  tags?: string[];
}

export interface OrderInput {
  customerId: number | null;
  lines: OrderLineInput[];
  shippingMinor?: number;
  taxMinor?: number;
  tipMinor?: number;
  presentmentCurrency?: string;
  presentmentRate?: number;
  discountCode?: string;
  /** Cart attributes (`/cart/update.js`); they reach the order as `note_attributes`. */
  attributes?: Record<string, string>;
  /** Rung up at the register (the devstore's POS). */
  pos?: { locationId: number; userId: number };
}

/** An automatic discount a Discount Function gave the cart, in shop money. */
export interface FunctionDiscount {
  title: string;
  amountMinor: number;
  excludedLineIds: number[];
}

/**
 * Where metafieldsSet keeps a value: per owner, except the app installation's app-data
 * metafields, which the storefront reads as `app.metafields.<namespace>.<key>`.
 */
export function metafieldKey(ownerId: string, namespace: string, key: string): string {
  return ownerId.startsWith('gid://shopify/AppInstallation/') ? `${namespace}.${key}` : `${ownerId}/${namespace}.${key}`;
}

/** A cart priced as Shopify's cart and checkout show it, in shop money (minor units). */
export interface CartQuote {
  subtotalMinor: number;
  code: { code: string; amountMinor: number } | null;
  /** Why the code given does not apply, in Shopify's words. */
  codeError: string | null;
  automatic: FunctionDiscount | null;
  totalMinor: number;
}

export class CheckoutRefused extends Error {
  override readonly name = 'CheckoutRefused';
}

/** Shopify's state for every shop the app talks to in dev mode, and the events it emits. */
export class Devstore {
  readonly shops = new Map<string, DevShop>();
  readonly clock: () => Date;

  constructor(readonly options: DevstoreOptions) {
    this.clock = options.clock ?? (() => new Date());
  }

  shop(domain: string): DevShop | undefined {
    return this.shops.get(domain);
  }

  ensureShop(domain: string, options: { currency?: string; name?: string; shopifyPlus?: boolean } = {}): DevShop {
    let shop = this.shops.get(domain);
    if (!shop) {
      shop = createShop(domain, options);
      this.shops.set(domain, shop);
    }
    return shop;
  }

  private need(domain: string): DevShop {
    const shop = this.shops.get(domain);
    if (!shop) throw new Error(`devstore has no shop ${domain}`);
    return shop;
  }

  addCustomer(domain: string, customer: Partial<DevCustomer> & { id: number }): WebhookEvent {
    const shop = this.need(domain);
    const full: DevCustomer = {
      email: `customer${customer.id}@example.com`,
      firstName: 'Demo',
      lastName: `Customer ${customer.id}`,
      phone: null,
      tags: [],
      ...customer,
    };
    const topic = shop.customers.has(full.id) ? 'customers/update' : 'customers/create';
    shop.customers.set(full.id, full);
    return newEvent(domain, topic, customerPayload(full), this.clock());
  }

  addProduct(domain: string, product: Omit<DevProduct, 'variantId'> & { variantId?: number }): DevProduct {
    const full = { variantId: product.id * 10 + 1, ...product };
    this.need(domain).products.set(full.id, full);
    return full;
  }

  createOrder(domain: string, input: OrderInput): DevOrder {
    const shop = this.need(domain);
    const lines = input.lines.map((line) => {
      const product =
        (line.productId !== undefined ? shop.products.get(line.productId) : undefined) ??
        this.addProduct(domain, {
          id: newId(),
          title: line.giftCard ? 'Gift card' : 'Item',
          priceMinor: line.priceMinor ?? 1000,
          tags: line.tags ?? [],
          giftCard: line.giftCard ?? false,
          hidden: true,
        });
      return { id: newId(), product, quantity: line.quantity ?? 1, discountMinor: 0 };
    });
    shop.lastOrderNumber = (shop.lastOrderNumber ?? 1000 + shop.orders.size) + 1;
    const order: DevOrder = {
      ...(input.attributes ? { noteAttributes: Object.entries(input.attributes).map(([name, value]) => ({ name, value })) } : {}),
      ...(input.pos ? { pos: input.pos } : {}),
      id: newId(),
      number: shop.lastOrderNumber,
      customerId: input.customerId,
      currency: shop.currency,
      presentmentCurrency: input.presentmentCurrency ?? shop.currency,
      presentmentRate: input.presentmentRate ?? 1,
      lines,
      shippingMinor: input.shippingMinor ?? 0,
      taxMinor: input.taxMinor ?? 0,
      tipMinor: input.tipMinor ?? 0,
      discountCodes: [],
      refunds: [],
      cancelledAt: null,
      paidAt: null,
      createdAt: this.clock(),
    };
    if (input.discountCode) this.applyDiscount(shop, order, input.discountCode);
    const automatic = this.functionDiscount(shop, order, input.attributes ?? {});
    if (automatic) {
      spread(order, automatic.amountMinor, new Set(automatic.excludedLineIds));
      order.appDiscounts = [{ title: automatic.title, amountMinor: automatic.amountMinor }];
    }
    shop.orders.set(order.id, order);
    return order;
  }

  /**
   * Runs Tally's Discount Function (extensions/tally-discount) on a cart as Shopify's checkout
   * would, with the input its query selects: the `_tally_hold` attribute, the buyer's `$app:tally`
   * holds metafield as the app last wrote it, the lines after code discounts, the shop's date.
   * The app's automatic discount has the ORDER class.
   */
  private functionDiscount(shop: DevShop, order: DevOrder, attributes: Record<string, string>): FunctionDiscount | null {
    const rate = order.presentmentRate;
    const currency = order.presentmentCurrency;
    const inCart = (minor: number) => formatAmount(Math.round(minor * rate), currency);
    const lineNet = (line: DevOrder['lines'][number]) => line.product.priceMinor * line.quantity - line.discountMinor;
    const holds =
      order.customerId === null ? undefined : shop.metafields.get(metafieldKey(`gid://shopify/Customer/${order.customerId}`, '$app:tally', 'holds'));
    const input: CartInput = {
      cart: {
        holdAttribute: attributes._tally_hold === undefined ? null : { value: attributes._tally_hold },
        buyerIdentity: order.customerId === null ? null : { customer: { holds: holds === undefined ? null : { value: holds } } },
        cost: { subtotalAmount: { amount: inCart(order.lines.reduce((sum, line) => sum + lineNet(line), 0)), currencyCode: currency } },
        lines: order.lines.map((line) => ({
          id: `gid://shopify/CartLine/${line.id}`,
          cost: { subtotalAmount: { amount: inCart(lineNet(line)), currencyCode: currency } },
          merchandise: { __typename: 'ProductVariant', product: { isGiftCard: line.product.giftCard } },
        })),
      },
      discount: { discountClasses: ['ORDER'] },
      presentmentCurrencyRate: String(rate),
      shop: {
        localTime: {
          date: new Intl.DateTimeFormat('en-CA', { timeZone: shop.timezone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(this.clock()),
        },
      },
    };
    const candidate = cartLinesDiscountsGenerateRun(input).operations[0]?.orderDiscountsAdd.candidates[0];
    if (!candidate) return null;
    const [whole = '0', fraction = ''] = candidate.value.fixedAmount.amount.split('.');
    const decimals = currencyDecimals(currency);
    const cartMinor = Number(whole) * 10 ** decimals + Number(fraction.padEnd(decimals, '0').slice(0, decimals) || '0');
    const excluded = new Set(candidate.targets.flatMap((target) => target.orderSubtotal.excludedCartLineIds));
    return {
      title: candidate.message ?? 'Discount',
      amountMinor: Math.round(cartMinor / rate),
      excludedLineIds: order.lines.filter((line) => excluded.has(`gid://shopify/CartLine/${line.id}`)).map((line) => line.id),
    };
  }

  /**
   * The cart and checkout pages' view of the order to be: the code's discount (or why it is refused)
   * and the automatic discount the function would give on top, as Shopify's cart shows them. Nothing is stored.
   */
  quoteCart(
    domain: string,
    input: {
      customerId: number | null;
      lines: Array<{ productId: number; quantity: number }>;
      discountCode?: string;
      attributes: Record<string, string>;
    },
  ): CartQuote {
    const shop = this.need(domain);
    const lines = input.lines.flatMap((line) => {
      const product = shop.products.get(line.productId);
      return product ? [{ id: line.productId, product, quantity: line.quantity, discountMinor: 0 }] : [];
    });
    const draft: DevOrder = {
      id: 0,
      customerId: input.customerId,
      currency: shop.currency,
      presentmentCurrency: shop.currency,
      presentmentRate: 1,
      lines,
      shippingMinor: 0,
      taxMinor: 0,
      tipMinor: 0,
      discountCodes: [],
      refunds: [],
      cancelledAt: null,
      paidAt: null,
      createdAt: this.clock(),
    };
    const subtotalMinor = orderSubtotalMinor(draft);
    let code: CartQuote['code'] = null;
    let codeError: string | null = null;
    if (input.discountCode) {
      try {
        const { discount, amount } = this.priceCode(shop, draft, input.discountCode);
        spread(draft, amount);
        code = { code: discount.code, amountMinor: amount };
      } catch (error) {
        if (!(error instanceof CheckoutRefused)) throw error;
        codeError = error.message;
      }
    }
    const automatic = this.functionDiscount(shop, draft, input.attributes);
    const totalMinor = subtotalMinor - (code?.amountMinor ?? 0) - (automatic?.amountMinor ?? 0);
    return { subtotalMinor, code, codeError, automatic, totalMinor };
  }

  /** Checks a code as Shopify's checkout does and says what it takes off this order. */
  private priceCode(shop: DevShop, order: DevOrder, code: string): { discount: DevDiscount; amount: number } {
    const now = this.clock();
    const discount = [...shop.discounts.values()].find((candidate) => candidate.code.toLowerCase() === code.toLowerCase());
    if (!discount) throw new CheckoutRefused(`Enter a valid discount code (${code} does not exist)`);
    if (discount.startsAt > now || (discount.endsAt && discount.endsAt <= now)) throw new CheckoutRefused(`${code} is not active`);
    if (discount.customerIds !== 'all' && (order.customerId === null || !discount.customerIds.includes(order.customerId))) {
      throw new CheckoutRefused(`${code} is not available to this customer`);
    }
    if (discount.usageLimit !== null && discount.usedCount >= discount.usageLimit) throw new CheckoutRefused(`${code} has already been used`);
    const subtotal = orderSubtotalMinor(order);
    if (discount.minimumSubtotalMinor !== null && subtotal < discount.minimumSubtotalMinor) throw new CheckoutRefused(`${code} needs a larger order`);
    return { discount, amount: discount.kind === 'free_shipping' ? 0 : discountAmount(discount, order, subtotal) };
  }

  /** Applies a code to the order: its amount spread over the lines, and one use counted. */
  private applyDiscount(shop: DevShop, order: DevOrder, code: string): void {
    const { discount, amount } = this.priceCode(shop, order, code);
    spread(order, amount);
    order.discountCodes.push({
      code: discount.code,
      amountMinor: discount.kind === 'free_shipping' ? order.shippingMinor : amount,
      type: discount.kind === 'free_shipping' ? 'shipping' : 'percentage' in discount.value ? 'percentage' : 'fixed_amount',
    });
    if (discount.kind === 'free_shipping') order.shippingMinor = 0;
    discount.usedCount++;
  }

  pay(domain: string, orderId: number): WebhookEvent[] {
    const shop = this.need(domain);
    const order = this.needOrder(shop, orderId);
    order.paidAt = this.clock();
    const payload = orderPayload(shop, order);
    return [newEvent(domain, 'orders/paid', payload, this.clock()), newEvent(domain, 'orders/updated', payload, this.clock())];
  }

  /** Refunds `quantity` of each line given (all lines, fully, when none are given). */
  refund(domain: string, orderId: number, lines?: Array<{ lineId: number; quantity: number }>): WebhookEvent[] {
    const shop = this.need(domain);
    const order = this.needOrder(shop, orderId);
    const chosen = lines ?? order.lines.map((line) => ({ lineId: line.id, quantity: line.quantity }));
    const refund = {
      id: newId(),
      createdAt: this.clock(),
      lines: chosen.map(({ lineId, quantity }) => {
        const line = order.lines.find((candidate) => candidate.id === lineId);
        if (!line) throw new Error(`order ${orderId} has no line ${lineId}`);
        const net = line.product.priceMinor * line.quantity - line.discountMinor;
        return { lineId, quantity, subtotalMinor: Math.round((net * quantity) / line.quantity) };
      }),
    };
    order.refunds.push(refund);
    return [
      newEvent(domain, 'refunds/create', refundPayload(order, refund), this.clock()),
      newEvent(domain, 'orders/updated', orderPayload(shop, order), this.clock()),
    ];
  }

  /** Shopify's amount-only refund: money back with no lines (an order adjustment and a refund transaction). */
  refundAmount(domain: string, orderId: number, amountMinor: number): WebhookEvent[] {
    const shop = this.need(domain);
    const order = this.needOrder(shop, orderId);
    const refund = { id: newId(), createdAt: this.clock(), lines: [], amountMinor };
    order.refunds.push(refund);
    return [
      newEvent(domain, 'refunds/create', refundPayload(order, refund), this.clock()),
      newEvent(domain, 'orders/updated', orderPayload(shop, order), this.clock()),
    ];
  }

  /** An order edit (Shopify's order editing): new quantities for lines, then orders/updated. */
  edit(domain: string, orderId: number, quantities: Array<{ lineId: number; quantity: number }>): WebhookEvent[] {
    const shop = this.need(domain);
    const order = this.needOrder(shop, orderId);
    for (const { lineId, quantity } of quantities) {
      const line = order.lines.find((candidate) => candidate.id === lineId);
      if (!line) throw new Error(`order ${orderId} has no line ${lineId}`);
      line.discountMinor = Math.round((line.discountMinor * quantity) / Math.max(1, line.quantity));
      line.quantity = quantity;
    }
    return [newEvent(domain, 'orders/updated', orderPayload(shop, order), this.clock())];
  }

  cancel(domain: string, orderId: number): WebhookEvent[] {
    const shop = this.need(domain);
    const order = this.needOrder(shop, orderId);
    order.cancelledAt = this.clock();
    return [newEvent(domain, 'orders/cancelled', orderPayload(shop, order), this.clock())];
  }

  /** The devstore checkout: an order with the code applied, paid at once. */
  checkout(domain: string, input: OrderInput): { order: DevOrder; events: WebhookEvent[] } {
    const order = this.createOrder(domain, input);
    return { order, events: this.pay(domain, order.id) };
  }

  uninstall(domain: string): WebhookEvent[] {
    const shop = this.need(domain);
    shop.accessTokens.clear();
    shop.appInstalled = false;
    return [newEvent(domain, 'app/uninstalled', { id: 1, name: shop.name, domain: shop.domain, myshopify_domain: shop.domain }, this.clock())];
  }

  customerDataRequest(domain: string, customerId: number): WebhookEvent {
    const customer = this.need(domain).customers.get(customerId);
    return newEvent(
      domain,
      'customers/data_request',
      {
        shop_id: 1,
        shop_domain: domain,
        orders_requested: [],
        customer: { id: customerId, email: customer?.email ?? null, phone: customer?.phone ?? null },
        data_request: { id: newId() },
      },
      this.clock(),
    );
  }

  customerRedact(domain: string, customerId: number): WebhookEvent {
    const customer = this.need(domain).customers.get(customerId);
    return newEvent(
      domain,
      'customers/redact',
      {
        shop_id: 1,
        shop_domain: domain,
        customer: { id: customerId, email: customer?.email ?? null, phone: customer?.phone ?? null },
        orders_to_redact: [],
      },
      this.clock(),
    );
  }

  /** Tags a customer as the admin would: Shopify announces it with customer.tags_added (customer payloads carry no tags). */
  tagCustomer(domain: string, customerId: number, tags: string[]): WebhookEvent {
    const customer = this.need(domain).customers.get(customerId);
    if (customer) customer.tags = [...new Set([...(customer.tags ?? []), ...tags])];
    return newEvent(
      domain,
      'customer.tags_added',
      { customerId: `gid://shopify/Customer/${customerId}`, tags, occurredAt: this.clock().toISOString() },
      this.clock(),
    );
  }

  shopRedact(domain: string): WebhookEvent {
    return newEvent(domain, 'shop/redact', { shop_id: 1, shop_domain: domain }, this.clock());
  }

  send(events: WebhookEvent[], options?: DeliveryOptions): Promise<DeliveryReport> {
    return deliver(this.options.appUrl, this.options.apiSecret, events, options);
  }

  private needOrder(shop: DevShop, orderId: number): DevOrder {
    const order = shop.orders.get(orderId);
    if (!order) throw new Error(`${shop.domain} has no order ${orderId}`);
    return order;
  }
}

function discountAmount(discount: DevDiscount, order: DevOrder, subtotal: number): number {
  const value = discount.value;
  if ('amountMinor' in value) return Math.min(value.amountMinor, subtotal);
  if ('percentage' in value) return Math.round(subtotal * value.percentage);
  if ('freeVariantId' in value) {
    const line = order.lines.find((candidate) => candidate.product.variantId === value.freeVariantId);
    return line ? line.product.priceMinor : 0;
  }
  return 0;
}

/** Allocates an order-level discount across lines in proportion to their price, as Shopify does. */
function spread(order: DevOrder, amount: number, excluded: ReadonlySet<number> = new Set()): void {
  const eligible = order.lines.filter((line) => !line.product.giftCard && !excluded.has(line.id));
  const total = eligible.reduce((sum, line) => sum + line.product.priceMinor * line.quantity, 0);
  let left = amount;
  eligible.forEach((line, index) => {
    const share = index === eligible.length - 1 ? left : Math.floor((amount * line.product.priceMinor * line.quantity) / Math.max(1, total));
    line.discountMinor += share;
    left -= share;
  });
}

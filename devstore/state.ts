import { createHash, randomBytes } from 'node:crypto';

export interface DevCustomer {
  id: number;
  email: string;
  firstName: string;
  lastName: string;
  phone: string | null;
  tags: string[];
  /** Shopify's `verified_email`: false until the customer confirms the address (true when unset). */
  verifiedEmail?: boolean;
}

export interface DevProduct {
  id: number;
  variantId: number;
  title: string;
  priceMinor: number;
  tags: string[];
  collectionIds?: number[];
  giftCard: boolean;
  /** A one-off product made up for an order (not listed in the storefront). */
  hidden?: boolean;
}

export interface DevDiscount {
  id: string;
  code: string;
  title: string;
  kind: 'basic' | 'free_shipping';
  /** Amount off in minor units, or a percentage (0-1), or a free variant. */
  value: { amountMinor: number } | { percentage: number } | { freeVariantId: number } | { freeShipping: true };
  customerIds: number[] | 'all';
  startsAt: Date;
  endsAt: Date | null;
  usageLimit: number | null;
  minimumSubtotalMinor: number | null;
  usedCount: number;
}

export interface DevOrder {
  id: number;
  /** Shopify's `order_number` (1001, 1002, … per shop) behind its `name` "#1001"; absent on orders saved before numbering. */
  number?: number;
  customerId: number | null;
  currency: string;
  presentmentCurrency: string;
  /** presentment amount = shop amount * rate (for display only). */
  presentmentRate: number;
  lines: Array<{ id: number; product: DevProduct; quantity: number; discountMinor: number }>;
  shippingMinor: number;
  taxMinor: number;
  tipMinor: number;
  discountCodes: Array<{ code: string; amountMinor: number; type: 'fixed_amount' | 'percentage' | 'shipping' }>;
  /** Automatic discounts a Discount Function gave at checkout, and the cart attributes (Shopify's note_attributes). */
  appDiscounts?: Array<{ title: string; amountMinor: number }>;
  noteAttributes?: Array<{ name: string; value: string }>;
  /** A refund with no lines and `amountMinor` is Shopify's amount-only refund (an order adjustment and a transaction). */
  refunds: Array<{
    id: number;
    lines: Array<{ lineId: number; quantity: number; subtotalMinor: number }>;
    amountMinor?: number;
    shippingMinor?: number;
    createdAt: Date;
  }>;
  /** Shopify's `test` flag (bogus gateway / test mode) and `taxes_included` (prices include tax). */
  test?: boolean;
  /** A sale at the register (Shopify POS): `source_name: "pos"`, its location and the staff account that rang it up. */
  pos?: { locationId: number; userId: number };
  taxesIncluded?: boolean;
  cancelledAt: Date | null;
  paidAt: Date | null;
  createdAt: Date;
}

export interface DevShop {
  domain: string;
  name: string;
  currency: string;
  timezone: string;
  shopifyPlus: boolean;
  accessTokens: Map<string, string>;
  customers: Map<number, DevCustomer>;
  products: Map<number, DevProduct>;
  orders: Map<number, DevOrder>;
  discounts: Map<string, DevDiscount>;
  /** Automatic app discounts (discountAutomaticAppCreate): the functions Shopify would run at checkout. */
  automaticDiscounts?: Array<{ discountId: string; title: string; functionHandle: string; discountClasses: string[] }>;
  storeCredit: Map<number, number>;
  /** Each customer's store credit transactions, newest last (minor units, ISO time). */
  storeCreditTransactions?: Map<number, Array<{ amountMinor: number; createdAt: string }>>;
  metafields: Map<string, string>;
  bucket: { available: number; updatedAt: number };
  /** Faults to inject into the next Admin API answers: '5xx', 'throttled', 'userErrors'. */
  faults: Array<'5xx' | 'throttled' | 'userErrors'>;
  appInstalled: boolean;
  /** The last `order_number` given (Shopify starts a shop's orders at #1001). */
  lastOrderNumber?: number;
  /** Staff accounts by user id: the `sub` of their session tokens and the `associated_user` of their online tokens. */
  staff?: Map<string, DevStaff>;
  /** The online store's theme as the merchant set it up; absent: DEFAULT_THEME. */
  theme?: DevTheme;
}

/**
 * The theme editor's switches the devstore honours: whether Tally's app embed is on, whether Tally's
 * product, cart and account blocks are placed, and the shop's published languages (the first is the
 * primary one, at the root; the others at `/{locale}/…`, as Shopify serves them).
 */
export interface DevTheme {
  appEmbed: boolean;
  appBlocks: boolean;
  locales: string[];
}

export const DEFAULT_THEME: DevTheme = { appEmbed: true, appBlocks: true, locales: ['en', 'fr', 'de', 'es'] };

/** A staff account as Shopify's online access token describes it (`associated_user`). */
export interface DevStaff {
  id: number;
  firstName: string;
  lastName: string;
  email: string;
  accountOwner: boolean;
  locale: string;
}

/** Who uses a devstore shop's admin: the owner (user 1, the admin frame's) and a staff member (9001, the tests' default session tokens). */
export function defaultStaff(domain: string): Map<string, DevStaff> {
  const host = domain.replace('.myshopify.com', '');
  return new Map([
    ['1', { id: 1, firstName: 'Morgan', lastName: 'Reyes', email: `owner@${host}.example`, accountOwner: true, locale: 'en' }],
    ['9001', { id: 9001, firstName: 'Sam', lastName: 'Okafor', email: `sam@${host}.example`, accountOwner: false, locale: 'en' }],
  ]);
}

/** The shop's numeric id (its `gid://shopify/Shop/N`), stable per domain as Shopify's is per shop. */
export function shopNumericId(domain: string): number {
  return 10_000_000 + (createHash('sha256').update(domain).digest().readUInt32BE(0) % 90_000_000);
}

export const BUCKET_MAXIMUM = 2000;
export const BUCKET_RESTORE_PER_SECOND = 100;

let nextId = 1000;
export function newId(): number {
  nextId += 1;
  return Date.now() * 1000 + (nextId % 1000);
}

export function newAccessToken(): string {
  return `shpat_${randomBytes(16).toString('hex')}`;
}

export function createShop(domain: string, options: { currency?: string; name?: string; shopifyPlus?: boolean } = {}): DevShop {
  return {
    domain,
    name: options.name ?? domain.replace('.myshopify.com', ''),
    currency: options.currency ?? 'USD',
    timezone: 'America/New_York',
    shopifyPlus: options.shopifyPlus ?? false,
    accessTokens: new Map(),
    customers: new Map(),
    products: new Map(),
    orders: new Map(),
    discounts: new Map(),
    storeCredit: new Map(),
    metafields: new Map(),
    bucket: { available: BUCKET_MAXIMUM, updatedAt: 0 },
    faults: [],
    appInstalled: false,
    lastOrderNumber: 1000,
    staff: defaultStaff(domain),
  };
}

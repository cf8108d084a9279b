import { idText, isJsonObject, type JsonObject, type JsonValue } from './exact-json.js';

/**
 * What the webhook route knows of each topic's payload (Shopify's documented bodies, API 2026-10):
 * its shape, the shop it names, the customer it is about, and what of it is stored. The HMAC covers
 * the body only, so a signed body re-sent under another topic or shop header must not fit.
 */
interface TopicPayload {
  /** What is wrong with the payload for this topic, or null when it fits. */
  problem(payload: JsonObject): string | null;
  /** The shop the payload itself names, when it names one. */
  namedShop?(payload: JsonObject): string | undefined;
  /** The numeric id of the shop the payload names, when it names one only by id (an order on a custom domain). */
  namedShopId?(payload: JsonObject): string | undefined;
  /** The customer it is about, so customers/redact can scrub stored bodies that name them. */
  customerId?(payload: JsonObject): string | undefined;
  /** The body as stored: what the handlers read, without personal data they never use. */
  stored(payload: JsonObject): JsonObject;
}

export const COMPLIANCE_TOPICS: ReadonlySet<string> = new Set(['customers/data_request', 'customers/redact', 'shop/redact']);

/** Order fields that identify the buyer, none of which a handler reads (the customer's profile comes from customers/*). */
const ORDER_PERSONAL = [
  'email',
  'contact_email',
  'phone',
  'browser_ip',
  'client_details',
  'billing_address',
  'shipping_address',
  'note',
  'landing_site',
  'landing_site_ref',
  'referring_site',
  'cart_token',
  'checkout_token',
  'token',
  'order_status_url',
  'device_id',
];
/** Of an order's customer, only what identifies the account in the shop. */
const ORDER_CUSTOMER_KEPT = ['id', 'admin_graphql_api_id', 'tags', 'created_at'];
/** Payment details of refund transactions (card numbers' tails, receipts, authorisations). */
const TRANSACTION_PERSONAL = ['receipt', 'payment_details', 'authorization', 'device_id', 'user_id'];
const REFUND_PERSONAL = ['note', 'user_id'];
/** A customer profile keeps its contact fields (the customer view shows them) but not these. */
const CUSTOMER_PERSONAL = ['note', 'multipass_identifier'];
const SHOP_KEPT = ['id', 'name', 'domain', 'myshopify_domain'];

function without(object: JsonObject, keys: readonly string[]): JsonObject {
  return Object.fromEntries(Object.entries(object).filter(([key]) => !keys.includes(key)));
}

function only(object: JsonObject, keys: readonly string[]): JsonObject {
  return Object.fromEntries(Object.entries(object).filter(([key]) => keys.includes(key)));
}

function mapObjects(value: JsonValue | undefined, map: (item: JsonObject) => JsonObject): JsonValue | undefined {
  return Array.isArray(value) ? value.map((item) => (isJsonObject(item) ? map(item) : item)) : value;
}

function withField(object: JsonObject, key: string, value: JsonValue | undefined): JsonObject {
  return value === undefined ? object : { ...object, [key]: value };
}

function storedRefund(refund: JsonObject): JsonObject {
  return withField(
    without(refund, REFUND_PERSONAL),
    'transactions',
    mapObjects(refund.transactions, (transaction) => without(transaction, TRANSACTION_PERSONAL)),
  );
}

function storedOrder(order: JsonObject): JsonObject {
  let kept = without(order, ORDER_PERSONAL);
  if (isJsonObject(order.customer)) kept = { ...kept, customer: only(order.customer, ORDER_CUSTOMER_KEPT) };
  kept = withField(
    kept,
    'shipping_lines',
    mapObjects(order.shipping_lines, (line) => without(line, ['phone'])),
  );
  return withField(kept, 'refunds', mapObjects(order.refunds, storedRefund));
}

function missingId(payload: JsonObject, key: string): string | null {
  return idText(payload[key]) ? null : `${key} must be a numeric id`;
}

function missingArray(payload: JsonObject, key: string): string | null {
  const value = payload[key];
  return Array.isArray(value) && value.every(isJsonObject) ? null : `${key} must be a list of objects`;
}

function missingIdList(payload: JsonObject, key: string): string | null {
  const value = payload[key];
  return Array.isArray(value) && value.every((item) => idText(item) !== undefined) ? null : `${key} must be a list of numeric ids`;
}

function firstProblem(...problems: Array<string | null>): string | null {
  return problems.find((problem) => problem !== null) ?? null;
}

function complianceProblem(payload: JsonObject): string | null {
  return firstProblem(
    missingId(payload, 'shop_id'),
    typeof payload.shop_domain === 'string' ? null : "shop_domain must be the shop's myshopify.com domain",
  );
}

function customerOfRequest(payload: JsonObject): string | null {
  return isJsonObject(payload.customer) && idText(payload.customer.id) ? null : 'customer.id must be a numeric id';
}

/** Shopify's REST payloads name their own type in `admin_graphql_api_id`; when present it must be this topic's. */
function wrongType(payload: JsonObject, type: string): string | null {
  const gid = payload.admin_graphql_api_id;
  return gid === undefined || gid === null || (typeof gid === 'string' && gid.startsWith(`gid://shopify/${type}/`))
    ? null
    : `admin_graphql_api_id must be a ${type} id`;
}

const MYSHOPIFY = /\.myshopify\.com$/;
const complianceShop = (payload: JsonObject) => (typeof payload.shop_domain === 'string' ? payload.shop_domain : undefined);
const requestCustomer = (payload: JsonObject) => (isJsonObject(payload.customer) ? idText(payload.customer.id) : undefined);

function orderCustomerProblem(payload: JsonObject): string | null {
  const { customer } = payload;
  if (customer === undefined || customer === null) return null;
  if (!isJsonObject(customer)) return 'customer must be an object or null';
  return idText(customer.id) ? null : 'customer.id must be a numeric id';
}

const orderProblem = (payload: JsonObject) =>
  firstProblem(missingId(payload, 'id'), wrongType(payload, 'Order'), missingArray(payload, 'line_items'), orderCustomerProblem(payload));

/**
 * An order names its shop in `order_status_url`: `https://{host}/{shop id}/orders/{token}/authenticate?key=…`,
 * the host being the shop's myshopify.com name or, with a custom domain, that domain (the shop id
 * then names it). A body captured from one shop and replayed under another's header is told apart by either.
 */
function orderStatusUrl(payload: JsonObject): URL | undefined {
  if (typeof payload.order_status_url !== 'string') return undefined;
  try {
    return new URL(payload.order_status_url);
  } catch {
    return undefined;
  }
}
const orderShop = (payload: JsonObject) => {
  const host = orderStatusUrl(payload)?.hostname;
  return host && MYSHOPIFY.test(host) ? host : undefined;
};
const orderShopId = (payload: JsonObject) => {
  const url = orderStatusUrl(payload);
  if (!url || MYSHOPIFY.test(url.hostname)) return undefined;
  return /^\/(\d{1,20})\//.exec(url.pathname)?.[1];
};

const order: TopicPayload = {
  problem: orderProblem,
  namedShop: orderShop,
  namedShopId: orderShopId,
  customerId: (payload) => (isJsonObject(payload.customer) ? idText(payload.customer.id) : undefined),
  stored: storedOrder,
};

const refund: TopicPayload = {
  problem: (payload) =>
    firstProblem(missingId(payload, 'id'), wrongType(payload, 'Refund'), missingId(payload, 'order_id'), missingArray(payload, 'refund_line_items')),
  stored: storedRefund,
};

const customer: TopicPayload = {
  problem: (payload) =>
    firstProblem(
      missingId(payload, 'id'),
      wrongType(payload, 'Customer'),
      ['line_items', 'order_id', 'refund_line_items'].some((key) => key in payload) ? 'an order or refund is not a customer' : null,
    ),
  customerId: (payload) => idText(payload.id),
  stored: (payload) => without(payload, CUSTOMER_PERSONAL),
};

const CUSTOMER_GID = /^gid:\/\/shopify\/Customer\/(\d{1,20})$/;
const customerTags: TopicPayload = {
  problem: (payload) =>
    firstProblem(
      typeof payload.customerId === 'string' && CUSTOMER_GID.test(payload.customerId) ? null : 'customerId must be gid://shopify/Customer/<id>',
      Array.isArray(payload.tags) && payload.tags.every((tag) => typeof tag === 'string') ? null : 'tags must be a list of strings',
      typeof payload.occurredAt === 'string' && !Number.isNaN(Date.parse(payload.occurredAt)) ? null : 'occurredAt must be a date',
    ),
  customerId: (payload) => (typeof payload.customerId === 'string' ? CUSTOMER_GID.exec(payload.customerId)?.[1] : undefined),
  stored: (payload) => payload,
};

const TOPICS: Record<string, TopicPayload> = {
  'orders/paid': order,
  'orders/updated': order,
  // A cancellation reverses points: a paid order's body re-sent as orders/cancelled must not fit.
  'orders/cancelled': {
    ...order,
    problem: (payload) => firstProblem(orderProblem(payload), typeof payload.cancelled_at === 'string' ? null : 'cancelled_at must be set'),
  },
  'refunds/create': refund,
  'customers/create': customer,
  'customers/update': customer,
  'customer.tags_added': customerTags,
  'customer.tags_removed': customerTags,
  'app/uninstalled': {
    problem: (payload) =>
      firstProblem(
        missingId(payload, 'id'),
        wrongType(payload, 'Shop'),
        'myshopify_domain' in payload ? null : 'a shop payload has myshopify_domain',
      ),
    // `domain` is the shop's primary domain, often a custom one; it names the shop only when it is a myshopify.com name.
    namedShop: (payload) =>
      typeof payload.myshopify_domain === 'string'
        ? payload.myshopify_domain
        : typeof payload.domain === 'string' && MYSHOPIFY.test(payload.domain)
          ? payload.domain
          : undefined,
    stored: (payload) => only(payload, SHOP_KEPT),
  },
  'customers/data_request': {
    problem: (payload) =>
      firstProblem(
        complianceProblem(payload),
        customerOfRequest(payload),
        missingIdList(payload, 'orders_requested'),
        isJsonObject(payload.data_request) && idText(payload.data_request.id) ? null : 'data_request.id must be a numeric id',
      ),
    namedShop: complianceShop,
    customerId: requestCustomer,
    stored: (payload) => payload,
  },
  'customers/redact': {
    problem: (payload) => firstProblem(complianceProblem(payload), customerOfRequest(payload), missingIdList(payload, 'orders_to_redact')),
    namedShop: complianceShop,
    customerId: requestCustomer,
    stored: (payload) => payload,
  },
  'shop/redact': { problem: complianceProblem, namedShop: complianceShop, stored: (payload) => payload },
};

/** Topics whose payload the route checks and stores; any other topic is acknowledged and stored without its body. */
export const CHECKED_TOPICS: readonly string[] = Object.keys(TOPICS);

export type PayloadVerdict =
  | { fits: true; stored: JsonObject; customerId: string | undefined; namedShopId: string | undefined }
  | { fits: false; error: 'invalid_payload' | 'shop_mismatch'; message: string };

/** Checks a signed payload against its topic's shape and against the shop header. */
export function checkPayload(topic: string, shop: string, payload: JsonValue): PayloadVerdict {
  const known = TOPICS[topic];
  if (!known) return { fits: true, stored: {}, customerId: undefined, namedShopId: undefined };
  if (!isJsonObject(payload)) return { fits: false, error: 'invalid_payload', message: `${topic}: the body must be a JSON object` };
  const problem = known.problem(payload);
  if (problem) return { fits: false, error: 'invalid_payload', message: `${topic}: ${problem}` };
  const named = known.namedShop?.(payload);
  if (named !== undefined && named !== shop)
    return { fits: false, error: 'shop_mismatch', message: `${topic}: the payload names ${named}, the X-Shopify-Shop-Domain header ${shop}` };
  return { fits: true, stored: known.stored(payload), customerId: known.customerId?.(payload), namedShopId: known.namedShopId?.(payload) };
}

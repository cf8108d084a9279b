import { randomBytes } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Router } from 'express';
import { execute, GraphQLError, parse, specifiedRules, validate, type DocumentNode } from 'graphql';
import { customerSearchRootValue } from './admin-customer-search.js';
import type { Devstore } from './devstore.js';
import { orderPayload } from './payloads.js';
import { adminSchema } from './shopify-schema.js';
import type { DevOrder, DevShop } from './state.js';

/** The version bulk queries are read in: the app's (server/shopify/shop-domain.ts). */
const BULK_API_VERSION = '2026-10';
/** Shopify: "up to five connections with a maximum nesting depth of two levels". */
const MAX_CONNECTIONS = 5;
const MAX_DEPTH = 2;

interface DevBulkOperation {
  id: string;
  query: string;
  status: 'CREATED' | 'RUNNING' | 'COMPLETED' | 'FAILED';
  createdAt: Date;
  completedAt: Date | null;
  /** The JSONL lines, computed when the operation starts (Shopify reads the shop as it runs; the devstore reads it once). */
  lines: string[];
  roots: number;
  token: string;
  errorCode: string | null;
}

const operationsByShop = new WeakMap<DevShop, DevBulkOperation[]>();
const downloads = new Map<string, string>();
const devstores = new Set<Devstore>();

function appUrlOf(shop: DevShop): string {
  const owner = [...devstores].find((devstore) => devstore.shops.get(shop.domain) === shop);
  return owner?.options.appUrl ?? 'http://localhost';
}

interface MoneyBag {
  shopMoney: { amount: string; currencyCode: string };
  presentmentMoney: { amount: string; currencyCode: string };
}

interface PayloadMoneySet {
  shop_money: { amount: string; currency_code: string };
  presentment_money: { amount: string; currency_code: string };
}

const bag = (set: PayloadMoneySet): MoneyBag => ({
  shopMoney: { amount: set.shop_money.amount, currencyCode: set.shop_money.currency_code },
  presentmentMoney: { amount: set.presentment_money.amount, currencyCode: set.presentment_money.currency_code },
});

function minorString(minor: number, currency: string, decimals: number): MoneyBag {
  const digits = String(Math.abs(minor)).padStart(decimals + 1, '0');
  const amount = decimals === 0 ? String(minor) : `${minor < 0 ? '-' : ''}${digits.slice(0, -decimals)}.${digits.slice(-decimals)}`;
  return { shopMoney: { amount, currencyCode: currency }, presentmentMoney: { amount, currencyCode: currency } };
}

function connection<T extends { id: string }>(nodes: T[]) {
  return {
    nodes,
    edges: nodes.map((node) => ({ node, cursor: Buffer.from(node.id).toString('base64') })),
    pageInfo: { hasNextPage: false, hasPreviousPage: false, startCursor: null, endCursor: null },
  };
}

/** An order as Admin GraphQL's `Order` shows it, from the same figures as the devstore's webhook payloads. */
function orderNode(shop: DevShop, order: DevOrder) {
  const payload = orderPayload(shop, order) as Record<string, unknown> & {
    name: string;
    financial_status: string;
    subtotal_price_set: PayloadMoneySet;
    current_subtotal_price_set: PayloadMoneySet;
    total_price_set: PayloadMoneySet;
    current_total_price_set: PayloadMoneySet;
    total_tax_set: PayloadMoneySet;
  };
  const decimals = payload.subtotal_price_set.shop_money.amount.split('.')[1]?.length ?? 0;
  const refunded = new Map<number, number>();
  for (const refund of order.refunds) for (const line of refund.lines) refunded.set(line.lineId, (refunded.get(line.lineId) ?? 0) + line.quantity);
  const lineItems = order.lines.map((line) => ({
    id: `gid://shopify/LineItem/${line.id}`,
    name: line.product.title,
    isGiftCard: line.product.giftCard,
    quantity: line.quantity,
    currentQuantity: line.quantity - (refunded.get(line.id) ?? 0),
    discountedUnitPriceAfterAllDiscountsSet: minorString(
      Math.floor((line.product.priceMinor * line.quantity - line.discountMinor) / line.quantity),
      order.currency,
      decimals,
    ),
  }));
  return {
    __typename: 'Order',
    id: `gid://shopify/Order/${order.id}`,
    name: payload.name,
    createdAt: order.createdAt.toISOString(),
    processedAt: order.createdAt.toISOString(),
    test: order.test ?? false,
    taxesIncluded: order.taxesIncluded ?? false,
    cancelledAt: order.cancelledAt?.toISOString() ?? null,
    displayFinancialStatus: payload.financial_status.toUpperCase(),
    currencyCode: order.currency,
    customer: order.customerId === null ? null : { id: `gid://shopify/Customer/${order.customerId}` },
    subtotalPriceSet: bag(payload.subtotal_price_set),
    currentSubtotalPriceSet: bag(payload.current_subtotal_price_set),
    totalPriceSet: bag(payload.total_price_set),
    currentTotalPriceSet: bag(payload.current_total_price_set),
    totalTaxSet: bag(payload.total_tax_set),
    currentTotalTaxSet: bag(payload.total_tax_set),
    lineItems: () => connection(lineItems),
  };
}

/** One term of Shopify's order search that the devstore understands: `created_at` compared with a date or time. */
function matchesTerm(order: DevOrder, term: string): boolean {
  const match = /^created_at:(>=|<=|>|<)?'?"?([^'"]+)'?"?$/.exec(term);
  if (!match) return false;
  const at = Date.parse(match[2]!);
  if (Number.isNaN(at)) return false;
  const created = order.createdAt.getTime();
  switch (match[1]) {
    case '>=':
      return created >= at;
    case '<=':
      return created <= at;
    case '>':
      return created > at;
    case '<':
      return created < at;
    default:
      return new Date(created).toISOString().slice(0, 10) === new Date(at).toISOString().slice(0, 10);
  }
}

/**
 * `orders(query:)` over the devstore's orders, oldest first. Terms are joined with AND (Shopify's
 * default); a term the devstore does not understand matches nothing, so a wrong query shows up in tests.
 */
export function ordersRootValue(shop: DevShop): Record<string, unknown> {
  return {
    orders: ({ first, query, reverse }: { first?: number; query?: string; reverse?: boolean }) => {
      const terms = (query ?? '').split(/\s+AND\s+|\s+(?=\w+:)/).filter((term) => term.trim() !== '');
      const matching = [...shop.orders.values()]
        .filter((order) => terms.every((term) => matchesTerm(order, term.trim())))
        .sort((a, b) => a.createdAt.getTime() - b.createdAt.getTime());
      const ordered = reverse ? matching.reverse() : matching;
      return connection(ordered.slice(0, first ?? ordered.length).map((order) => orderNode(shop, order)));
    },
  };
}

function isConnection(value: unknown): value is { edges?: Array<{ node: Record<string, unknown> }>; nodes?: Array<Record<string, unknown>> } {
  return (
    typeof value === 'object' &&
    value !== null &&
    (Array.isArray((value as { edges?: unknown }).edges) || Array.isArray((value as { nodes?: unknown }).nodes))
  );
}

/** Shopify's JSONL: one object per line; a nested connection's nodes follow as their own lines with `__parentId`. */
function flatten(value: unknown, parentId: string | undefined, lines: string[]): number {
  if (!isConnection(value)) return 0;
  const nodes = value.edges ? value.edges.map((edge) => edge.node) : (value.nodes ?? []);
  for (const node of nodes) {
    const own: Record<string, unknown> = {};
    const nested: unknown[] = [];
    for (const [key, field] of Object.entries(node)) {
      if (isConnection(field)) nested.push(field);
      else own[key] = field;
    }
    lines.push(JSON.stringify(parentId === undefined ? own : { ...own, __parentId: parentId }));
    for (const child of nested) flatten(child, typeof node.id === 'string' ? node.id : undefined, lines);
  }
  return nodes.length;
}

/** The connections a bulk query selects and how deep they nest: Shopify refuses more than five, or deeper than two. */
function connectionShape(document: DocumentNode): { count: number; depth: number } {
  let count = 0;
  let depth = 0;
  const walk = (selections: ReadonlyArray<{ kind: string }>, level: number) => {
    for (const selection of selections) {
      if (selection.kind !== 'Field') continue;
      const field = selection as { selectionSet?: { selections: ReadonlyArray<{ kind: string; name?: { value: string } }> } };
      const inner = field.selectionSet?.selections ?? [];
      const isConn = inner.some((child) => child.kind === 'Field' && (child.name?.value === 'edges' || child.name?.value === 'nodes'));
      if (isConn) {
        count++;
        depth = Math.max(depth, level + 1);
      }
      walk(inner, isConn ? level + 1 : level);
    }
  };
  for (const definition of document.definitions) if (definition.kind === 'OperationDefinition') walk(definition.selectionSet.selections, 0);
  return { count, depth };
}

async function runBulkQuery(shop: DevShop, query: string): Promise<{ lines: string[]; roots: number } | { error: string }> {
  let document: DocumentNode;
  try {
    document = parse(query);
  } catch (error) {
    return { error: `Invalid bulk query: ${(error as GraphQLError).message}` };
  }
  const schema = adminSchema(BULK_API_VERSION).schema;
  const problems = validate(schema, document, specifiedRules);
  if (problems.length > 0) return { error: `Invalid bulk query: ${problems.map((problem) => problem.message).join('; ')}` };
  const shape = connectionShape(document);
  if (shape.count === 0) return { error: 'Bulk queries must contain at least one connection.' };
  if (shape.count > MAX_CONNECTIONS) return { error: `Bulk queries cannot contain more than ${MAX_CONNECTIONS} connections.` };
  if (shape.depth > MAX_DEPTH) return { error: `Bulk queries cannot contain connections with a nesting depth greater than ${MAX_DEPTH}.` };
  const result = await execute({ schema, document, rootValue: { ...customerSearchRootValue(shop), ...ordersRootValue(shop) } });
  if (result.errors?.length) return { error: result.errors.map((error) => error.message).join('; ') };
  const lines: string[] = [];
  let roots = 0;
  for (const value of Object.values(result.data ?? {})) roots += flatten(value, undefined, lines);
  return { lines, roots };
}

function operationView(operation: DevBulkOperation, shop: DevShop) {
  const done = operation.status === 'COMPLETED';
  return {
    id: operation.id,
    status: operation.status,
    errorCode: operation.errorCode,
    query: operation.query,
    type: 'QUERY',
    objectCount: String(done ? operation.lines.length : 0),
    rootObjectCount: String(done ? operation.roots : 0),
    fileSize: done ? String(Buffer.byteLength(operation.lines.join('\n'))) : null,
    url: done && operation.lines.length > 0 ? `${appUrlOf(shop)}/devstore/bulk/${operation.token}.jsonl` : null,
    partialDataUrl: null,
    createdAt: operation.createdAt.toISOString(),
    completedAt: operation.completedAt?.toISOString() ?? null,
  };
}

/**
 * Bulk query operations: `bulkOperationRunQuery` reads the data at once and answers CREATED; the
 * first look at the operation finds it RUNNING and the next one COMPLETED, with a `url` to the JSONL
 * (null when there were no objects, as Shopify answers). A failing query ends FAILED with
 * errorCode INTERNAL_SERVER_ERROR; an invalid one is refused with a user error.
 */
export function bulkRootValue(shop: DevShop, options: { now: Date }): Record<string, unknown> {
  const operations = operationsByShop.get(shop) ?? [];
  operationsByShop.set(shop, operations);
  const find = (id: string) => operations.find((operation) => operation.id === id);
  const advance = (operation: DevBulkOperation) => {
    if (operation.status === 'CREATED') operation.status = 'RUNNING';
    else if (operation.status === 'RUNNING') {
      operation.status = operation.errorCode ? 'FAILED' : 'COMPLETED';
      operation.completedAt = options.now;
    }
    return operationView(operation, shop);
  };
  return {
    bulkOperationRunQuery: async ({ query }: { query: string; groupObjects: boolean }) => {
      const running = operations.filter((operation) => operation.status === 'CREATED' || operation.status === 'RUNNING');
      if (running.length >= 5)
        return {
          bulkOperation: null,
          userErrors: [{ field: null, code: 'LIMIT_REACHED', message: 'A shop can run at most 5 bulk query operations at once.' }],
        };
      const outcome = await runBulkQuery(shop, query);
      if ('error' in outcome && (outcome.error.startsWith('Invalid') || outcome.error.startsWith('Bulk queries')))
        return { bulkOperation: null, userErrors: [{ field: ['query'], code: 'INVALID', message: outcome.error }] };
      const token = randomBytes(16).toString('hex');
      const operation: DevBulkOperation = {
        id: `gid://shopify/BulkOperation/${Date.now()}${operations.length}`,
        query,
        status: 'CREATED',
        createdAt: options.now,
        completedAt: null,
        lines: 'error' in outcome ? [] : outcome.lines,
        roots: 'error' in outcome ? 0 : outcome.roots,
        token,
        errorCode: 'error' in outcome ? 'INTERNAL_SERVER_ERROR' : null,
      };
      operations.push(operation);
      downloads.set(token, operation.lines.map((line) => `${line}\n`).join(''));
      return { bulkOperation: operationView(operation, shop), userErrors: [] };
    },
    bulkOperation: ({ id }: { id: string }) => {
      const operation = find(id);
      return operation ? advance(operation) : null;
    },
  };
}

const EXTENSIONS_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../extensions');
/** Shopify: "The payload can't exceed 50 KB". */
const FLOW_PAYLOAD_LIMIT = 50_000;

/** The app's Flow triggers, read from its extensions as Shopify reads them at deploy: handle and the payload keys each needs. */
function appFlowTriggers(): Map<string, string[]> {
  const triggers = new Map<string, string[]>();
  if (!existsSync(EXTENSIONS_DIR)) return triggers;
  for (const dir of readdirSync(EXTENSIONS_DIR)) {
    const file = path.join(EXTENSIONS_DIR, dir, 'shopify.extension.toml');
    if (!existsSync(file)) continue;
    const toml = readFileSync(file, 'utf8');
    const handle = /^handle\s*=\s*"([^"]+)"/m.exec(toml)?.[1];
    if (!handle || !/^type\s*=\s*"flow_trigger"/m.test(toml)) continue;
    const keys = [...toml.matchAll(/\[\[settings\.fields\]\]\s*\ntype\s*=\s*"([^"]+)"(?:\s*\nkey\s*=\s*"([^"]+)")?/g)].map(([, type, key]) =>
      type === 'customer_reference' ? 'customer_id' : type === 'order_reference' ? 'order_id' : type === 'product_reference' ? 'product_id' : key!,
    );
    triggers.set(handle, keys);
  }
  return triggers;
}

const flowRuns = new WeakMap<DevShop, Array<{ handle: string; payload: Record<string, unknown> }>>();

/** The Flow triggers a shop received, oldest first (what Flow would start workflows with). */
export function flowTriggersReceived(shop: DevShop): Array<{ handle: string; payload: Record<string, unknown> }> {
  return flowRuns.get(shop) ?? [];
}

/** `flowTriggerReceive` as Shopify checks it: a trigger of this app, every field of its schema present, at most 50 KB. */
export function flowRootValue(shop: DevShop): Record<string, unknown> {
  return {
    flowTriggerReceive: ({ handle, payload }: { handle?: string; payload?: Record<string, unknown> }) => {
      const refuse = (field: string, message: string) => ({ userErrors: [{ field: [field], message }] });
      const keys = handle ? appFlowTriggers().get(handle) : undefined;
      if (!handle || !keys) return refuse('handle', `Trigger with handle ${handle ?? ''} not found for this app`);
      if (!payload || typeof payload !== 'object') return refuse('payload', 'Payload is required');
      if (Buffer.byteLength(JSON.stringify(payload)) > FLOW_PAYLOAD_LIMIT) return refuse('payload', 'Payload exceeds the 50 KB limit');
      const missing = keys.filter((key) => !(key in payload));
      if (missing.length > 0) return refuse('payload', `Missing required fields: ${missing.join(', ')}`);
      flowRuns.set(shop, [...flowTriggersReceived(shop), { handle, payload }]);
      return { userErrors: [] };
    },
  };
}

/** The result files, as Shopify's signed storage URLs serve them: no credentials, the token is the secret. */
export function bulkDownloadRouter(devstore: Devstore): Router {
  devstores.add(devstore);
  const router = Router();
  router.get('/devstore/bulk/:file', (req, res) => {
    const token = /^([0-9a-f]{32})\.jsonl$/.exec(String(req.params.file))?.[1];
    const body = token ? downloads.get(token) : undefined;
    if (body === undefined) {
      res.status(404).type('text/plain').send('NoSuchKey');
      return;
    }
    res.type('application/jsonl').send(body);
  });
  return router;
}

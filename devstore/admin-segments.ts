import type { DevShop } from './state.js';

/*
 * Customer segments as Shopify's Admin API has them (`segments`, `segmentCreate`), and discount codes
 * limited to segments (`context: {customerSegments: {add}}` on discountCodeBasicCreate), which the
 * checkout refuses to a customer outside every segment of the code (segmentRefusal).
 */

interface DevSegment {
  id: string;
  name: string;
  query: string;
  creationDate: Date;
  lastEditDate: Date;
}

/** One `number_of_orders` comparison; the devstore evaluates no other ShopifyQL fact. */
interface Condition {
  op: '=' | '!=' | '>' | '>=' | '<' | '<=';
  value: number;
}

interface SegmentState {
  list: DevSegment[];
  /** Lower-cased code → the segment ids it is limited to. */
  codes: Map<string, string[]>;
}

/** Kept on the shop object itself, so the devstore's persistence (persist.ts) keeps it across restarts like the rest of the shop. */
type ShopWithSegments = DevShop & { customerSegments?: SegmentState };

function stateOf(shop: DevShop): SegmentState {
  const holder = shop as ShopWithSegments;
  holder.customerSegments ??= { list: [], codes: new Map() };
  return holder.customerSegments;
}

/** `number_of_orders <op> <n>` joined by AND; null when the query says anything else. */
function parseQuery(query: string): Condition[] | null {
  const parts = query.trim().split(/\s+AND\s+/i);
  const conditions: Condition[] = [];
  for (const part of parts) {
    const match = /^number_of_orders\s*(=|!=|>=|<=|>|<)\s*(\d+)$/i.exec(part.trim());
    if (!match) return null;
    conditions.push({ op: match[1] as Condition['op'], value: Number(match[2]) });
  }
  return conditions;
}

function holds(condition: Condition, count: number): boolean {
  switch (condition.op) {
    case '=':
      return count === condition.value;
    case '!=':
      return count !== condition.value;
    case '>':
      return count > condition.value;
    case '>=':
      return count >= condition.value;
    case '<':
      return count < condition.value;
    case '<=':
      return count <= condition.value;
  }
}

/** Shopify's `number_of_orders`: the orders the customer has placed (cancelled ones included, as Shopify counts them). */
function ordersPlaced(shop: DevShop, customerId: number): number {
  return [...shop.orders.values()].filter((order) => order.customerId === customerId).length;
}

function isMember(shop: DevShop, segment: DevSegment, customerId: number): boolean {
  const count = ordersPlaced(shop, customerId);
  return (parseQuery(segment.query) ?? []).every((condition) => holds(condition, count));
}

/** The values of `field:'…'`, `field:"…"` or `field:word` terms of Shopify's search syntax, and the bare words. */
function searchTerms(query: string): { names: string[]; words: string[] } {
  const names: string[] = [];
  const rest = query.replace(/name:(?:'((?:[^'\\]|\\.)*)'|"((?:[^"\\]|\\.)*)"|(\S+))/gi, (_all, single?: string, double?: string, bare?: string) => {
    names.push((single ?? double ?? bare ?? '').replace(/\\(.)/g, '$1'));
    return ' ';
  });
  return { names, words: rest.split(/\s+/).filter((word) => word !== '') };
}

/** Shopify matches a search value word by word, case-insensitively. */
const matchesWords = (text: string, value: string) =>
  value
    .toLowerCase()
    .split(/\s+/)
    .filter((word) => word !== '')
    .every((word) => text.toLowerCase().includes(word));

const segmentView = (segment: DevSegment) => ({
  ...segment,
  creationDate: segment.creationDate.toISOString(),
  lastEditDate: segment.lastEditDate.toISOString(),
});

type BasicCreate = (args: Record<string, { context?: { customerSegments?: { add?: string[] } }; code?: string }>) => {
  codeDiscountNode: { id: string } | null;
  userErrors: Array<{ field: string[] | null; code: string | null; message: string }>;
};

/**
 * `segments(query:)`, `segmentCreate` (names unique per shop, as Shopify says), and `discountCodeBasicCreate`
 * around the devstore's own (`create`): a code whose context names segments is limited to them.
 */
export function segmentsRootValue(shop: DevShop, create: BasicCreate, now: Date): Record<string, unknown> {
  const state = stateOf(shop);
  return {
    segments: ({ first, query }: { first?: number; query?: string }) => {
      const terms = searchTerms(query ?? '');
      const found = state.list.filter(
        (segment) => terms.names.every((name) => matchesWords(segment.name, name)) && terms.words.every((word) => matchesWords(segment.name, word)),
      );
      const page = found.slice(0, first ?? found.length).map(segmentView);
      return {
        nodes: page,
        edges: page.map((node) => ({ node, cursor: node.id })),
        pageInfo: {
          hasNextPage: page.length < found.length,
          hasPreviousPage: false,
          startCursor: page[0]?.id ?? null,
          endCursor: page.at(-1)?.id ?? null,
        },
      };
    },
    segmentCreate: ({ name, query }: { name: string; query: string }) => {
      const refuse = (field: string, message: string) => ({ segment: null, userErrors: [{ field: [field], message }] });
      if (!name.trim()) return refuse('name', "Name can't be blank");
      if (state.list.some((segment) => segment.name.toLowerCase() === name.trim().toLowerCase()))
        return refuse('name', 'Name has already been taken');
      if (!parseQuery(query)) return refuse('query', 'The devstore evaluates number_of_orders comparisons (joined by AND) only');
      const segment: DevSegment = {
        id: `gid://shopify/Segment/${state.list.length + 1}${now.getTime() % 100_000}`,
        name: name.trim(),
        query: query.trim(),
        creationDate: now,
        lastEditDate: now,
      };
      state.list.push(segment);
      return { segment: segmentView(segment), userErrors: [] };
    },
    discountCodeBasicCreate: (args: Parameters<BasicCreate>[0]) => {
      const segmentIds = args.basicCodeDiscount?.context?.customerSegments?.add;
      const unknown = segmentIds?.find((id) => !state.list.some((segment) => segment.id === id));
      if (unknown !== undefined)
        return {
          codeDiscountNode: null,
          userErrors: [
            {
              field: ['basicCodeDiscount', 'context', 'customerSegments', 'add'],
              code: 'INVALID',
              message: `Customer segment ${unknown} does not exist`,
            },
          ],
        };
      const result = create(args);
      const code = args.basicCodeDiscount?.code?.trim();
      if (result.codeDiscountNode && code && segmentIds && segmentIds.length > 0) state.codes.set(code.toLowerCase(), segmentIds);
      return result;
    },
  };
}

/** Shopify's words when a code's customer eligibility fails (a customer outside its segments, or a guest). */
export const NOT_AVAILABLE_TO_CUSTOMER = "The discount code isn't available to you right now";

/** Why checkout refuses `code` to this customer, or null when the code is not limited to segments or the customer is in one. */
export function segmentRefusal(shop: DevShop, code: string, customerId: number | null): string | null {
  const state = (shop as ShopWithSegments).customerSegments;
  const segmentIds = state?.codes.get(code.trim().toLowerCase());
  if (!state || !segmentIds) return null;
  if (customerId === null) return NOT_AVAILABLE_TO_CUSTOMER;
  const segments = state.list.filter((segment) => segmentIds.includes(segment.id));
  return segments.some((segment) => isMember(shop, segment, customerId)) ? null : NOT_AVAILABLE_TO_CUSTOMER;
}

/** The shop's segments and the segments a code is limited to, as Shopify's admin shows them (tests, the devstore's pages). */
export function segmentsOf(shop: DevShop): Array<{ id: string; name: string; query: string }> {
  return ((shop as ShopWithSegments).customerSegments?.list ?? []).map(({ id, name, query }) => ({ id, name, query }));
}

export function codeSegmentsOf(shop: DevShop, code: string): string[] {
  return (shop as ShopWithSegments).customerSegments?.codes.get(code.trim().toLowerCase()) ?? [];
}

import type { DevShop } from './state.js';

/**
 * `customers(first:, query:)` over the devstore's customers, for the search terms the app sends:
 * `email:<address>` (quoted or not) joined with OR, as Shopify's search syntax writes them.
 * Shopify matches an email term exactly and case-insensitively; any other term matches nothing
 * here rather than everything, so a wrong query shows up in tests.
 */
export function customerSearchRootValue(shop: DevShop): Record<string, unknown> {
  return {
    customers: ({ first, last, query }: { first?: number; last?: number; query?: string }) => {
      const terms = (query ?? '')
        .split(/\s+OR\s+/)
        .map((term) => /^email:"?([^"\s]+)"?$/.exec(term.trim())?.[1]?.toLowerCase())
        .filter((email): email is string => email !== undefined);
      const wanted = new Set(terms);
      const matches = [...shop.customers.values()]
        .filter((customer) => (query === undefined || query === '' ? true : wanted.has(customer.email.toLowerCase())))
        .map((customer) => ({
          id: `gid://shopify/Customer/${customer.id}`,
          defaultEmailAddress: { emailAddress: customer.email },
          email: customer.email,
          firstName: customer.firstName,
          lastName: customer.lastName,
          tags: customer.tags,
        }));
      const page = last !== undefined ? matches.slice(-last) : matches.slice(0, first ?? matches.length);
      const cursor = (node: { id: string }) => Buffer.from(node.id).toString('base64');
      return {
        nodes: page,
        edges: page.map((node) => ({ node, cursor: cursor(node) })),
        pageInfo: {
          hasNextPage: page.length < matches.length,
          hasPreviousPage: false,
          startCursor: page[0] ? cursor(page[0]) : null,
          endCursor: page.length > 0 ? cursor(page[page.length - 1]!) : null,
        },
      };
    },
  };
}

import type { DevShop } from './state.js';

/** Shopify caps a tag at 255 characters. */
const MAX_TAG_LENGTH = 255;

interface TagsArgs {
  id: string;
  tags: string[];
}

/** Each element may itself be a comma-separated list, as Shopify accepts it; blanks are dropped. */
function tagsOf(input: string[]): string[] {
  return input
    .flatMap((element) => element.split(','))
    .map((tag) => tag.trim())
    .filter((tag) => tag !== '');
}

function customerOf(shop: DevShop, gid: string) {
  const match = /^gid:\/\/shopify\/Customer\/(\d+)$/.exec(gid);
  return match ? shop.customers.get(Number(match[1])) : undefined;
}

const notFound = { node: null, userErrors: [{ field: ['id'], message: 'Resource not found' }] };

/**
 * `tagsAdd` and `tagsRemove` on customers, as Shopify does them: tags compare case-insensitively,
 * adding one already there keeps the customer's spelling, removing one that is absent is no error,
 * and an id that names no customer answers a user error on `id` with no node.
 */
export function tagsRootValue(shop: DevShop): Record<string, unknown> {
  return {
    tagsAdd: ({ id, tags }: TagsArgs) => {
      const customer = customerOf(shop, id);
      if (!customer) return notFound;
      const wanted = tagsOf(tags);
      const tooLong = wanted.findIndex((tag) => tag.length > MAX_TAG_LENGTH);
      if (tooLong >= 0)
        return {
          node: null,
          userErrors: [{ field: ['tags'], message: `Tag ${wanted[tooLong]} is too long (maximum is ${MAX_TAG_LENGTH} characters)` }],
        };
      for (const tag of wanted) if (!customer.tags.some((held) => held.toLowerCase() === tag.toLowerCase())) customer.tags.push(tag);
      return { node: { __typename: 'Customer', id }, userErrors: [] };
    },
    tagsRemove: ({ id, tags }: TagsArgs) => {
      const customer = customerOf(shop, id);
      if (!customer) return notFound;
      const removed = new Set(tagsOf(tags).map((tag) => tag.toLowerCase()));
      customer.tags = customer.tags.filter((held) => !removed.has(held.toLowerCase()));
      return { node: { __typename: 'Customer', id }, userErrors: [] };
    },
  };
}

import type { AppContext } from '../platform/context.js';
import { adminClientFor } from '../shops/index.js';
import { markSynced, type TierState } from './store.js';
import { TIER_METAFIELDS_SET, TIER_TAGS_ADD, TIER_TAGS_REMOVE } from '../shopify/operations.js';

/** Answers of the operations that write a customer's tier where Shopify segments and Flow can use it. */
export interface TierMetafieldsSetData {
  metafieldsSet: {
    metafields: Array<{ namespace: string; key: string; value: string }> | null;
    userErrors: Array<{ field: string[] | null; code: string | null; message: string }>;
  };
}

export interface TierTagsAddData {
  tagsAdd: { node: { id: string } | null; userErrors: Array<{ field: string[] | null; message: string }> } | null;
}

export interface TierTagsRemoveData {
  tagsRemove: { node: { id: string } | null; userErrors: Array<{ field: string[] | null; message: string }> } | null;
}

export const tierTag = (tierId: string) => `tally-tier-${tierId}`;

/** The variables of the three calls that bring a Shopify customer to `tierId`. */
export function tierSyncCalls(customerId: string, tierId: string | null, otherTierIds: string[], previousTag: string | null) {
  const id = `gid://shopify/Customer/${customerId}`;
  const tag = tierId === null ? null : tierTag(tierId);
  const remove = [...new Set([...otherTierIds.map(tierTag), ...(previousTag ? [previousTag] : [])])].filter((other) => other !== tag);
  return {
    tag,
    metafields: { metafields: [{ ownerId: id, namespace: '$app:tally', key: 'tier', type: 'single_line_text_field', value: tierId ?? 'none' }] },
    add: tag ? { id, tags: [tag] } : null,
    remove: remove.length > 0 ? { id, tags: remove } : null,
  };
}

function refused(what: string, errors: Array<{ message: string }> | undefined): void {
  if (errors && errors.length > 0) throw new Error(`${what} refused: ${errors.map((error) => error.message).join('; ')}`);
}

/**
 * Writes the state's tier to the Shopify customer. Best effort: a failure leaves the state
 * marked for syncing and the tiers job tries again; every call is idempotent on Shopify's side.
 */
export async function syncTierToShopify(ctx: AppContext, state: TierState, tierIds: string[]): Promise<boolean> {
  const calls = tierSyncCalls(state.customerId, state.tierId, tierIds, state.syncedTag ?? null);
  const admin = adminClientFor(ctx);
  try {
    const set = await admin<TierMetafieldsSetData>(state.shop, TIER_METAFIELDS_SET, calls.metafields);
    refused('metafieldsSet', set.metafieldsSet.userErrors);
    if (calls.remove) refused('tagsRemove', (await admin<TierTagsRemoveData>(state.shop, TIER_TAGS_REMOVE, calls.remove)).tagsRemove?.userErrors);
    if (calls.add) {
      const added = await admin<TierTagsAddData>(state.shop, TIER_TAGS_ADD, calls.add);
      if (!added.tagsAdd) throw new Error('tagsAdd answered null');
      refused('tagsAdd', added.tagsAdd.userErrors);
    }
    await markSynced(ctx.connection, state.shop, state.customerId, state.tierId, calls.tag);
    return true;
  } catch (error) {
    ctx.logger.warn({ shop: state.shop, customerId: state.customerId, err: error }, 'could not write the tier to Shopify; the tiers job retries');
    return false;
  }
}

import type { AppContext } from '../platform/context.js';
import { profileIds } from '../customers/index.js';
import { tierAt, tierRank, type QualifyingEvent, type TierSettings } from './rules.js';
import { eventsOfShop } from './store.js';

export interface TierPreview {
  customers: number;
  /** Customers per tier under the draft, lowest tier first. */
  tiers: Array<{ id: string; name: string; threshold: number; customers: number }>;
  /** Customers whose tier the draft would change, and in which direction (by position, lowest first). */
  moved: { total: number; up: number; down: number };
}

/** Tier counts under `draft` for a population: customers' events grouped by customer. */
export function previewDistribution(current: TierSettings, draft: TierSettings, population: Map<string, QualifyingEvent[]>, now: Date): TierPreview {
  const counts = new Map(draft.tiers.map((tier) => [tier.id, 0]));
  const moved = { total: 0, up: 0, down: 0 };
  for (const events of population.values()) {
    const after = tierAt(draft, events, now);
    const before = tierAt(current, events, now);
    if (after) counts.set(after.id, (counts.get(after.id) ?? 0) + 1);
    if ((after?.id ?? null) === (before?.id ?? null)) continue;
    moved.total++;
    const rankAfter = after ? tierRank(draft, after.id) : -1;
    const rankBefore = before ? tierRank(current, before.id) : -1;
    if (rankAfter > rankBefore) moved.up++;
    else if (rankAfter < rankBefore) moved.down++;
  }
  return {
    customers: population.size,
    tiers: draft.tiers.map((tier) => ({ id: tier.id, name: tier.name, threshold: tier.threshold, customers: counts.get(tier.id) ?? 0 })),
    moved,
  };
}

/**
 * How the shop's current customers (every known profile and everyone with qualifying history)
 * would spread over a draft's tiers, and how many the change would move. Reads the shop's whole
 * qualifying history once: a merchant's preview, not a hot path.
 */
export async function previewTiers(ctx: AppContext, shop: string, current: TierSettings, draft: TierSettings, now: Date): Promise<TierPreview> {
  const [events, profiles] = await Promise.all([eventsOfShop(ctx.connection, shop), profileIds(ctx.connection, shop)]);
  const population = new Map<string, QualifyingEvent[]>(profiles.map((customerId) => [customerId, []]));
  for (const event of events) {
    const list = population.get(event.customerId);
    if (list) list.push(event);
    else population.set(event.customerId, [event]);
  }
  return previewDistribution(current, draft, population, now);
}

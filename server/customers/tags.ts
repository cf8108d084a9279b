import { z } from 'zod';
import { PermanentFailure, type TopicHandler } from '../platform/topic-handlers.js';
import type { AppContext } from '../platform/context.js';
import { adminClientFor } from '../shops/index.js';
import { CUSTOMER_TAGS, type CustomerTagsData } from '../shopify/operations.js';
import { customerModel, type CustomerProfile } from './store.js';

/**
 * Customer tags: order and customer webhooks carry none since API 2025-01, so they come from
 * `customer.tags_added` / `customer.tags_removed` and, for a customer the app has not seen tagged
 * yet, from one Admin GraphQL read. Each tag keeps the time of the last event that set it, so
 * events applied out of order end where Shopify's tags ended.
 */
const tagEvent = z.object({
  customerId: z.string().regex(/^gid:\/\/shopify\/Customer\/\d{1,20}$/),
  tags: z.array(z.string().trim().min(1).max(255)).max(250),
  occurredAt: z.iso.datetime({ offset: true }),
});

export type TagMarks = Record<string, { present: boolean; at: string }>;

/** Applies one tags_added/removed event to the marks; an older event than a tag's mark changes nothing. */
export function applyTagEvent(marks: TagMarks, tags: string[], present: boolean, at: Date): TagMarks {
  const next: TagMarks = { ...marks };
  for (const tag of tags) {
    const mark = next[tag];
    if (!mark || Date.parse(mark.at) <= at.getTime()) next[tag] = { present, at: at.toISOString() };
  }
  return next;
}

export function tagsOf(marks: TagMarks): string[] {
  return Object.entries(marks)
    .filter(([, mark]) => mark.present)
    .map(([tag]) => tag)
    .sort();
}

function tagHandler(present: boolean): TopicHandler {
  return async (delivery, ctx, now) => {
    const parsed = tagEvent.safeParse(delivery.payload);
    if (!parsed.success)
      throw new PermanentFailure(`customer tags payload: ${parsed.error.issues[0]?.path.join('.')} ${parsed.error.issues[0]?.message}`);
    const customerId = parsed.data.customerId.split('/').pop()!;
    const customers = customerModel(ctx.connection);
    const profile = await customers
      .findOne({ shop: delivery.shop, customerId }, { tagMarks: 1, redactedAt: 1 })
      .lean<Pick<CustomerProfile, 'tagMarks' | 'redactedAt'>>();
    if (profile?.redactedAt) return { status: 'skipped', reason: 'customer was redacted' };
    const marks = applyTagEvent(profile?.tagMarks ?? {}, parsed.data.tags, present, new Date(parsed.data.occurredAt));
    await customers.updateOne(
      { shop: delivery.shop, customerId },
      { $set: { tagMarks: marks, tags: tagsOf(marks), tagsKnownAt: now, updatedAt: now } },
      { upsert: true },
    );
    return { status: 'processed', detail: `customer ${customerId}: tags ${present ? 'added' : 'removed'} (${parsed.data.tags.join(', ')})` };
  };
}

export const tagTopicHandlers: Record<string, TopicHandler> = {
  'customer.tags_added': tagHandler(true),
  'customer.tags_removed': tagHandler(false),
};

/**
 * The customer's tags for earning rules: from the profile once the app knows them, else read once
 * from Shopify (and kept, so later orders need no call).
 */
export async function customerTagsFor(ctx: AppContext, shop: string, customerId: string): Promise<string[]> {
  const customers = customerModel(ctx.connection);
  const profile = await customers.findOne({ shop, customerId }, { tags: 1, tagsKnownAt: 1 }).lean<Pick<CustomerProfile, 'tags' | 'tagsKnownAt'>>();
  if (profile?.tagsKnownAt) return profile.tags;
  const data = await adminClientFor(ctx)<CustomerTagsData>(shop, CUSTOMER_TAGS, { id: `gid://shopify/Customer/${customerId}` }, 1);
  const tags = data.customer?.tags ?? [];
  const now = ctx.clock();
  const marks: TagMarks = Object.fromEntries(tags.map((tag) => [tag, { present: true, at: now.toISOString() }]));
  await customers.updateOne(
    { shop, customerId },
    { $set: { tags, tagMarks: marks, tagsKnownAt: now }, $setOnInsert: { updatedAt: now } },
    { upsert: true },
  );
  return tags;
}

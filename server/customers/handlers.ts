import { z } from 'zod';
import { customerModel } from './store.js';
import { PermanentFailure, type TopicHandler } from '../platform/topic-handlers.js';

const customerPayload = z.object({
  id: z.union([z.number(), z.string()]).transform(String),
  updated_at: z.string().nullish(),
  email: z.string().nullish(),
  verified_email: z.boolean().nullish(),
  first_name: z.string().nullish(),
  last_name: z.string().nullish(),
  phone: z.string().nullish(),
  tags: z.string().nullish(),
  addresses: z.array(z.unknown()).nullish(),
});

export function parseTags(tags: string | null | undefined): string[] {
  return (tags ?? '')
    .split(',')
    .map((tag) => tag.trim())
    .filter(Boolean);
}

function shopifyTime(value: string | null | undefined): Date | null {
  const time = value ? Date.parse(value) : Number.NaN;
  return Number.isNaN(time) ? null : new Date(time);
}

/**
 * customers/create and customers/update: keep the profile (tags drive exclusions and tiers). A
 * profile older than the stored one (a late retry, a replay) is ignored: Shopify's `updated_at`
 * orders them; one without `updated_at` is applied.
 */
const upsertCustomer: TopicHandler = async (delivery, ctx, now) => {
  const parsed = customerPayload.safeParse(delivery.payload);
  if (!parsed.success) throw new PermanentFailure(`customer payload: ${parsed.error.issues[0]?.message ?? 'invalid'}`);
  const customer = parsed.data;
  const updatedAt = shopifyTime(customer.updated_at);
  const customers = customerModel(ctx.connection);
  const existing = await customers.findOne({ shop: delivery.shop, customerId: customer.id }, { redactedAt: 1, shopifyUpdatedAt: 1 }).lean();
  if (existing?.redactedAt) return { status: 'skipped', reason: 'customer was redacted' };
  if (updatedAt && existing?.shopifyUpdatedAt && updatedAt < existing.shopifyUpdatedAt) {
    return {
      status: 'skipped',
      reason: `profile of ${customer.updated_at} is older than the stored one (${existing.shopifyUpdatedAt.toISOString()})`,
    };
  }
  await customers.updateOne(
    { shop: delivery.shop, customerId: customer.id },
    {
      $set: {
        email: customer.email ?? null,
        verifiedEmail: customer.verified_email === true,
        firstName: customer.first_name ?? null,
        lastName: customer.last_name ?? null,
        phone: customer.phone ?? null,
        // Payloads carry no tags since API 2025-01: keep the ones tag events and Shopify reads gave.
        ...(customer.tags != null ? { tags: parseTags(customer.tags) } : {}),
        addresses: customer.addresses ?? [],
        updatedAt: now,
        ...(updatedAt ? { shopifyUpdatedAt: updatedAt } : {}),
      },
    },
    { upsert: true },
  );
  return { status: 'processed', detail: `customer ${customer.id} stored` };
};

export const customerTopicHandlers: Record<string, TopicHandler> = {
  'customers/create': upsertCustomer,
  'customers/update': upsertCustomer,
};

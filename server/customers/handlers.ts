import { z } from 'zod';
import { customerModel } from './store.js';
import { PermanentFailure, type TopicHandler } from '../inbox/index.js';

const customerPayload = z.object({
  id: z.union([z.number(), z.string()]).transform(String),
  email: z.string().nullish(),
  first_name: z.string().nullish(),
  last_name: z.string().nullish(),
  phone: z.string().nullish(),
  tags: z.string().nullish(),
  addresses: z.array(z.unknown()).nullish(),
});

export function parseTags(tags: string | null | undefined): string[] {
  return (tags ?? '').split(',').map((tag) => tag.trim()).filter(Boolean);
}

/** customers/create and customers/update: keep the profile (tags drive exclusions and tiers). */
const upsertCustomer: TopicHandler = async (delivery, ctx, now) => {
  const parsed = customerPayload.safeParse(delivery.payload);
  if (!parsed.success) throw new PermanentFailure(`customer payload: ${parsed.error.issues[0]?.message ?? 'invalid'}`);
  const customer = parsed.data;
  const customers = customerModel(ctx.connection);
  const existing = await customers.findOne({ shop: delivery.shop, customerId: customer.id }, { redactedAt: 1 }).lean();
  if (existing?.redactedAt) return { status: 'skipped', reason: 'customer was redacted' };
  await customers.updateOne(
    { shop: delivery.shop, customerId: customer.id },
    {
      $set: {
        email: customer.email ?? null,
        firstName: customer.first_name ?? null,
        lastName: customer.last_name ?? null,
        phone: customer.phone ?? null,
        tags: parseTags(customer.tags),
        addresses: customer.addresses ?? [],
        updatedAt: now,
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

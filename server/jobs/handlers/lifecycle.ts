import { z } from 'zod';
import { customerModel } from '../../store/customers.js';
import { shopModel } from '../../store/shops.js';
import { PermanentFailure, type TopicHandler } from '../topics.js';

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

/**
 * app/uninstalled: forget the offline token and mark the shop uninstalled (its scheduled jobs stop
 * with it); data stays until shop/redact. An uninstall triggered before the latest install is a
 * stale delivery and changes nothing.
 */
const appUninstalled: TopicHandler = async (delivery, ctx, now) => {
  const uninstalledAt = delivery.triggeredAt ?? delivery.receivedAt;
  const result = await shopModel(ctx.connection).updateOne(
    { shop: delivery.shop, status: 'installed', installedAt: { $lte: uninstalledAt } },
    { $set: { status: 'uninstalled', uninstalledAt: now }, $unset: { accessToken: 1, scope: 1 } },
  );
  if (result.matchedCount === 0) return { status: 'skipped', reason: 'shop not installed, or reinstalled after this uninstall' };
  return { status: 'processed', detail: 'shop marked uninstalled; tokens removed' };
};

export const lifecycleTopicHandlers: Record<string, TopicHandler> = {
  'customers/create': upsertCustomer,
  'customers/update': upsertCustomer,
  'app/uninstalled': appUninstalled,
};

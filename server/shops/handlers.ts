import type { TopicHandler } from '../platform/topic-handlers.js';
import { markUninstalled } from './store.js';

/**
 * app/uninstalled: forget the offline token and mark the shop uninstalled (its scheduled jobs stop
 * with it); data stays until shop/redact. An uninstall triggered before the latest install is a
 * stale delivery and changes nothing.
 */
const appUninstalled: TopicHandler = async (delivery, ctx, now) => {
  const uninstalledAt = delivery.triggeredAt ?? delivery.receivedAt;
  if (!(await markUninstalled(ctx.connection, delivery.shop, uninstalledAt, now)))
    return { status: 'skipped', reason: 'shop not installed, or reinstalled after this uninstall' };
  return { status: 'processed', detail: 'shop marked uninstalled; tokens removed' };
};

export const shopTopicHandlers: Record<string, TopicHandler> = {
  'app/uninstalled': appUninstalled,
};

import { t } from '../i18n.js';

/** Shopify's webhook topics in the merchant's words. */
const TOPIC_NAMES: Record<string, string> = {
  'orders/paid': t('topic.ordersPaid'),
  'orders/cancelled': t('topic.ordersCancelled'),
  'orders/updated': t('topic.ordersUpdated'),
  'refunds/create': t('topic.refundsCreate'),
  'customers/create': t('topic.customersCreate'),
  'customers/update': t('topic.customersUpdate'),
  'customer.tags_added': t('topic.tagsAdded'),
  'customer.tags_removed': t('topic.tagsRemoved'),
  'app/uninstalled': t('topic.appUninstalled'),
  'customers/data_request': t('topic.dataRequest'),
  'customers/redact': t('topic.customersRedact'),
  'shop/redact': t('topic.shopRedact'),
};

/** A topic as staff read it ("Order paid"); one the admin does not know yet shows as Shopify names it. */
export function topicName(topic: string): string {
  return TOPIC_NAMES[topic] ?? topic;
}

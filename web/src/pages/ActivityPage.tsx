import {
  Badge,
  Banner,
  BlockStack,
  Button,
  Card,
  EmptyState,
  InlineStack,
  Page,
  ProgressBar,
  Select,
  SkeletonBodyText,
  Text,
} from '@shopify/polaris';
import { useCallback, useEffect, useState } from 'react';
import { api, download } from '../api.js';
import type { Notify } from '../App.js';
import { t } from '../i18n.js';
import { ResponsiveTable } from './ResponsiveTable.js';
import { topicName } from './topics.js';

interface Delivery {
  id: string;
  topic: string;
  status: 'pending' | 'processing' | 'processed' | 'skipped' | 'failed';
  attempts: number;
  outcome: string | null;
  lastError: string | null;
  receivedAt: string;
}
interface DataExport {
  id: string;
  customerId: string;
  requestedAt: string;
}

const TONE: Record<Delivery['status'], 'success' | 'info' | 'attention' | 'critical' | undefined> = {
  processed: 'success',
  skipped: undefined,
  pending: 'attention',
  processing: 'info',
  failed: 'critical',
};

const REFRESH_WHILE_WAITING_MS = 1_500;

/** Webhook deliveries with outcome and reason (retry for failed ones), the inbox backlog, data exports. */
export function ActivityPage({ notify }: { notify: Notify }) {
  const [deliveries, setDeliveries] = useState<Delivery[] | null>(null);
  const [exports, setExports] = useState<DataExport[] | null>(null);
  const [status, setStatus] = useState('');
  const [error, setError] = useState<string | null>(null);

  const load = useCallback(() => {
    api<{ deliveries: Delivery[] }>(`/webhooks${status ? `?status=${status}` : ''}`).then(
      (body) => setDeliveries(body.deliveries),
      (failure: Error) => setError(failure.message),
    );
    api<{ exports: DataExport[] }>('/exports').then(
      (body) => setExports(body.exports),
      (failure: Error) => setError(failure.message),
    );
  }, [status]);
  useEffect(load, [load]);

  const retry = async (id: string) => {
    try {
      await api(`/webhooks/${id}/retry`, { method: 'POST' });
      notify(t('activity.retried'));
      load();
    } catch (failure) {
      notify(failure instanceof Error ? failure.message : String(failure), true);
    }
  };

  const waiting = deliveries?.filter((delivery) => delivery.status === 'pending' || delivery.status === 'processing').length ?? 0;
  const total = deliveries?.length ?? 0;
  // While deliveries wait (a retried one among them), the page follows them to their outcome.
  useEffect(() => {
    if (waiting === 0) return;
    const timer = setTimeout(load, REFRESH_WHILE_WAITING_MS);
    return () => clearTimeout(timer);
  }, [deliveries, waiting, load]);
  return (
    <Page title={t('activity.title')} secondaryActions={[{ content: t('activity.refresh'), onAction: load }]}>
      <BlockStack gap="400">
        {error && (
          <Banner tone="critical" title={t('activity.loadFailed')}>
            <p>{error}</p>
          </Banner>
        )}
        {waiting > 0 && (
          <Card>
            <BlockStack gap="200">
              <Text as="p">{t('activity.backlog', { done: total - waiting, total })}</Text>
              <ProgressBar progress={((total - waiting) / total) * 100} size="small" />
            </BlockStack>
          </Card>
        )}
        <Card>
          <BlockStack gap="300">
            <InlineStack align="space-between" blockAlign="end">
              <Text as="h2" variant="headingMd">
                {t('activity.webhooks')}
              </Text>
              <Select
                label={t('activity.status')}
                labelInline
                options={[
                  { label: t('activity.all'), value: '' },
                  ...(['failed', 'pending', 'processed', 'skipped'] as const).map((value) => ({ label: t(`deliveryStatus.${value}`), value })),
                ]}
                value={status}
                onChange={setStatus}
              />
            </InlineStack>
            {deliveries === null ? (
              <SkeletonBodyText lines={6} />
            ) : deliveries.length === 0 ? (
              <EmptyState heading={t('activity.emptyHeading')} image="">
                <p>{t('activity.emptyText')}</p>
              </EmptyState>
            ) : (
              <ResponsiveTable
                label={t('activity.webhooks')}
                columnContentTypes={['text', 'text', 'text', 'text', 'text']}
                headings={[t('activity.received'), t('activity.topic'), t('activity.status'), t('activity.outcome'), t('activity.action')]}
                rows={deliveries.map((delivery) => [
                  new Date(delivery.receivedAt).toLocaleString(),
                  topicName(delivery.topic),
                  <Badge key="status" tone={TONE[delivery.status]}>
                    {t(`deliveryStatus.${delivery.status}`)}
                  </Badge>,
                  delivery.outcome ?? delivery.lastError ?? '',
                  delivery.status === 'failed' ? (
                    <Button
                      key="retry"
                      size="slim"
                      onClick={() => void retry(delivery.id)}
                      accessibilityLabel={t('activity.retryLabel', { topic: topicName(delivery.topic).toLowerCase() })}
                    >
                      {t('activity.retry')}
                    </Button>
                  ) : (
                    ''
                  ),
                ])}
              />
            )}
          </BlockStack>
        </Card>
        <Card>
          <BlockStack gap="300">
            <Text as="h2" variant="headingMd">
              {t('activity.exports')}
            </Text>
            {exports === null ? (
              <SkeletonBodyText lines={2} />
            ) : exports.length === 0 ? (
              <Text as="p" tone="subdued">
                {t('activity.noExports')}
              </Text>
            ) : (
              exports.map((entry) => (
                <InlineStack key={entry.id} align="space-between">
                  <Text as="span">{t('activity.exportOf', { customer: entry.customerId, date: new Date(entry.requestedAt).toLocaleString() })}</Text>
                  <Button
                    size="slim"
                    onClick={() =>
                      download(`/exports/${entry.id}`, `customer-${entry.customerId}.json`).catch((failure: Error) => notify(failure.message, true))
                    }
                  >
                    {t('activity.download')}
                  </Button>
                </InlineStack>
              ))
            )}
          </BlockStack>
        </Card>
      </BlockStack>
    </Page>
  );
}

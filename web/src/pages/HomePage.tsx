import { Badge, Banner, BlockStack, Button, Card, InlineGrid, InlineStack, SkeletonBodyText, Text } from '@shopify/polaris';
import { useEffect, useState } from 'react';
import type { Analytics } from '../../../server/analytics/metrics.js';
import type { Program } from '../../../server/program/program.js';
import { api } from '../api.js';
import { t } from '../i18n.js';
import { PlainPage } from '../plain-page.js';
import type { Route } from '../routes.js';

interface Stats {
  outstandingPoints: number;
  customersWithPoints?: number;
}
interface Delivery {
  id: string;
  topic: string;
  status: 'pending' | 'processing' | 'processed' | 'skipped' | 'failed';
  outcome: string | null;
  lastError: string | null;
  receivedAt: string;
}

const TONE: Record<Delivery['status'], 'success' | 'info' | 'attention' | 'critical' | undefined> = {
  processed: 'success',
  skipped: undefined,
  pending: 'attention',
  processing: 'info',
  failed: 'critical',
};
const LAST_WEBHOOKS = 5;

/** The first day of this month and today, as /api/analytics takes them (UTC days). */
function thisMonth(now: Date): { from: string; to: string } {
  const to = now.toISOString().slice(0, 10);
  return { from: `${to.slice(0, 8)}01`, to };
}

function Figure({ id, label, value }: { id: string; label: string; value: number | null }) {
  return (
    <Card>
      <BlockStack gap="100">
        <Text as="p" tone="subdued">
          {label}
        </Text>
        <Text as="p" variant="headingXl" id={id}>
          {value === null ? '—' : value.toLocaleString('en')}
        </Text>
      </BlockStack>
    </Card>
  );
}

/** The program's state at a glance: on or off, members, points this month, and the last webhooks. */
export function HomePage({ program, navigate }: { program: Program; navigate(route: Route): void }) {
  const [analytics, setAnalytics] = useState<Analytics | null | 'failed'>(null);
  const [stats, setStats] = useState<Stats | null | 'failed'>(null);
  const [deliveries, setDeliveries] = useState<Delivery[] | null | 'failed'>(null);

  useEffect(() => {
    const { from, to } = thisMonth(new Date());
    api<Analytics>(`/analytics?from=${from}&to=${to}`).then(setAnalytics, () => setAnalytics('failed'));
    api<Stats>('/stats').then(setStats, () => setStats('failed'));
    api<{ deliveries: Delivery[] }>('/webhooks').then(
      (body) => setDeliveries(body.deliveries.slice(0, LAST_WEBHOOKS)),
      () => setDeliveries('failed'),
    );
  }, []);

  const month = analytics !== null && analytics !== 'failed' ? analytics : null;
  const held = stats !== null && stats !== 'failed' ? stats : null;
  const failed = deliveries !== null && deliveries !== 'failed' ? deliveries.filter((delivery) => delivery.status === 'failed').length : 0;
  return (
    <PlainPage title={t('home.title')}>
      <BlockStack gap="400">
        <Banner
          tone={program.enabled ? 'success' : 'warning'}
          title={program.enabled ? t('home.on', { points: program.pointsName }) : t('home.off')}
          action={{ content: t('home.editProgram'), onAction: () => navigate({ page: 'program' }) }}
        >
          <p>{t('home.rewards', { count: program.rewards.filter((reward) => reward.enabled).length })}</p>
        </Banner>
        {analytics === null || stats === null ? (
          <Card>
            <SkeletonBodyText lines={3} />
          </Card>
        ) : (
          <InlineGrid columns={{ xs: 2, md: 4 }} gap="400">
            <Figure id="home-members" label={t('home.members')} value={month?.members ?? held?.customersWithPoints ?? null} />
            <Figure id="home-issued" label={t('home.issued')} value={month?.pointsIssued ?? null} />
            <Figure id="home-redeemed" label={t('home.redeemed')} value={month?.pointsRedeemed ?? null} />
            <Figure id="home-held" label={t('home.held')} value={held?.outstandingPoints ?? null} />
          </InlineGrid>
        )}
        <Card>
          <BlockStack gap="300">
            <InlineStack align="space-between" blockAlign="center">
              <Text as="h2" variant="headingMd">
                {t('home.lastWebhooks')}
              </Text>
              <Button variant="plain" onClick={() => navigate({ page: 'activity' })}>
                {t('home.allActivity')}
              </Button>
            </InlineStack>
            {failed > 0 && <Banner tone="critical" title={t('home.failed', { count: failed })} />}
            {deliveries === null ? (
              <SkeletonBodyText lines={3} />
            ) : deliveries === 'failed' ? (
              <Text as="p" tone="critical">
                {t('activity.loadFailed')}
              </Text>
            ) : deliveries.length === 0 ? (
              <Text as="p" tone="subdued">
                {t('activity.emptyText')}
              </Text>
            ) : (
              <BlockStack gap="200">
                {deliveries.map((delivery) => (
                  <InlineStack key={delivery.id} align="space-between" blockAlign="center" gap="200" wrap={false}>
                    <BlockStack>
                      <Text as="span" fontWeight="semibold">
                        {delivery.topic}
                      </Text>
                      <Text as="span" tone="subdued" variant="bodySm">
                        {new Date(delivery.receivedAt).toLocaleString()}
                        {(delivery.outcome ?? delivery.lastError) ? ` · ${delivery.outcome ?? delivery.lastError}` : ''}
                      </Text>
                    </BlockStack>
                    <Badge tone={TONE[delivery.status]}>{t(`deliveryStatus.${delivery.status}`)}</Badge>
                  </InlineStack>
                ))}
              </BlockStack>
            )}
          </BlockStack>
        </Card>
        <Text as="p" tone="subdued" variant="bodySm">
          {t('home.monthNote')}
        </Text>
      </BlockStack>
    </PlainPage>
  );
}

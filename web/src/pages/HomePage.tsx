import { Badge, Banner, BlockStack, Button, Card, InlineGrid, InlineStack, SkeletonBodyText, Text } from '@shopify/polaris';
import { useEffect, useState } from 'react';
import type { ShopFigures } from '../../../server/analytics/figures.js';
import { moneyFormatter } from '../../../server/platform/money.js';
import type { Program } from '../../../server/program/program.js';
import { api } from '../api.js';
import { t } from '../i18n.js';
import { PlainPage } from '../plain-page.js';
import type { Route } from '../routes.js';
import { asOfText, freshQuery } from './as-of.js';
import { topicName } from './topics.js';
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

function Figure({ id, label, value }: { id: string; label: string; value: number | string | null }) {
  return (
    <Card>
      <BlockStack gap="100">
        <Text as="p" tone="subdued">
          {label}
        </Text>
        <Text as="p" variant="headingXl" id={id}>
          {value === null ? '—' : typeof value === 'number' ? value.toLocaleString('en') : value}
        </Text>
      </BlockStack>
    </Card>
  );
}

/** The program's state at a glance: on or off, members, points this month, and the last webhooks. */
export function HomePage({ program, navigate }: { program: Program; navigate(route: Route): void }) {
  const [stats, setStats] = useState<ShopFigures | null | 'failed'>(null);
  const [deliveries, setDeliveries] = useState<Delivery[] | null | 'failed'>(null);

  useEffect(() => {
    api<ShopFigures>(`/stats${freshQuery('?')}`).then(setStats, () => setStats('failed'));
    api<{ deliveries: Delivery[] }>('/webhooks').then(
      (body) => setDeliveries(body.deliveries.slice(0, LAST_WEBHOOKS)),
      () => setDeliveries('failed'),
    );
  }, []);

  const figures = stats !== null && stats !== 'failed' ? stats : null;
  const money = moneyFormatter(program.currency);
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
        {stats === null ? (
          <Card>
            <SkeletonBodyText lines={3} />
          </Card>
        ) : (
          <BlockStack gap="200">
            <InlineGrid columns={{ xs: 2, md: 3 }} gap="400">
              <Figure id="home-members" label={t('home.members')} value={figures?.members ?? null} />
              <Figure id="home-issued" label={t('home.issued')} value={figures?.month.pointsIssued ?? null} />
              <Figure id="home-redeemed" label={t('home.redeemed')} value={figures?.month.pointsRedeemed ?? null} />
              <Figure id="home-held" label={t('home.held')} value={figures?.pointsHeld ?? null} />
              <Figure id="home-liability" label={t('home.liability')} value={figures ? money(figures.liability) : null} />
              <Figure id="home-revenue" label={t('home.revenue')} value={figures ? money(figures.month.revenue) : null} />
            </InlineGrid>
            <Text as="p" tone="subdued" variant="bodySm" id="home-as-of">
              {figures ? `${t('home.monthNote')} ${asOfText(figures.asOf)}` : t('figures.unavailable')}
            </Text>
          </BlockStack>
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
                        {topicName(delivery.topic)}
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
      </BlockStack>
    </PlainPage>
  );
}

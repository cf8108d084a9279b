import { Badge, BlockStack, Card, InlineGrid, InlineStack, SkeletonBodyText, Text } from '@shopify/polaris';
import { useEffect, useState } from 'react';
import type { CustomerInsight } from '../../../../server/analytics/insight.js';
import { moneyFormatter } from '../../../../server/platform/money.js';
import { api } from '../../api.js';
import { t } from '../../i18n.js';
import { Stat } from '../Stat.js';

type InsightBody = Omit<CustomerInsight, 'firstOrderAt' | 'lastOrderAt' | 'goodwill'> & {
  lastOrderAt: string | null;
  goodwill: { points: number; value: number; adjustments: Array<{ points: number; reason: string; ticket: string | null; createdAt: string }> };
};

const RISK_TONE = { low: 'success', medium: 'attention', high: 'critical', unknown: undefined } as const;

/** The median gap between orders in words; orders placed the same day make a gap under one day. */
function intervalText(days: number | null): string {
  if (days === null) return '—';
  if (days < 1) return t('insight.withinDay');
  return days === 1 ? t('insight.oneDay') : t('insight.days', { days });
}

/**
 * A customer's orders, churn risk and support goodwill, for the customer page. `version` changes
 * when the page wrote something that moves these figures (an adjustment): the panel reads again.
 */
export function CustomerInsightPanel({ customerId, currency, version = 0 }: { customerId: string; currency: string; version?: number }) {
  const [insight, setInsight] = useState<InsightBody | null>(null);
  useEffect(() => {
    api<InsightBody>(`/customers/${customerId}/insight`).then(setInsight, () => setInsight(null));
  }, [customerId, version]);
  const money = moneyFormatter(currency);
  if (!insight)
    return (
      <Card>
        <SkeletonBodyText lines={4} />
      </Card>
    );
  return (
    <Card>
      <BlockStack gap="300">
        <Text as="h2" variant="headingMd">
          {t('insight.title')}
        </Text>
        <InlineGrid columns={2} gap="300">
          <Stat size="body" label={t('insight.orders')} value={<span id="insight-orders">{insight.orders}</span>} />
          <Stat size="body" label={t('insight.lifetimeValue')} value={<span id="insight-lifetime">{money(insight.lifetimeValue)}</span>}>
            {insight.refunded > 0 && (
              <Text as="p" tone="subdued" variant="bodySm">
                {t('insight.afterRefunds', { amount: money(insight.refunded) })}
              </Text>
            )}
          </Stat>
          <Stat size="body" label={t('insight.lastOrder')} value={insight.lastOrderAt ? new Date(insight.lastOrderAt).toLocaleDateString() : '—'} />
          <Stat size="body" label={t('insight.interval')} value={intervalText(insight.usualIntervalDays)} />
        </InlineGrid>
        <Text as="p">
          {t('insight.churnRisk')} <Badge tone={RISK_TONE[insight.churnRisk]}>{t(`insight.risk.${insight.churnRisk}`)}</Badge>
        </Text>
        <Text as="p" tone="subdued" variant="bodySm" id="insight-goodwill">
          {t('insight.goodwill', { points: insight.goodwill.points, value: money(insight.goodwill.value) })}
        </Text>
        {insight.goodwill.adjustments.map((adjustment) => (
          <InlineStack key={adjustment.createdAt + adjustment.reason} gap="200" blockAlign="center">
            <Text as="span" variant="bodySm">
              +{adjustment.points} · {adjustment.reason}
            </Text>
            {adjustment.ticket && <Badge>{adjustment.ticket}</Badge>}
          </InlineStack>
        ))}
      </BlockStack>
    </Card>
  );
}

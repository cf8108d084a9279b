import { Banner, BlockStack, Card, InlineGrid, SkeletonBodyText, Text } from '@shopify/polaris';
import { useEffect, useMemo, useState } from 'react';
import { programEconomics, type RecentOrders } from '../../../server/program/economics.js';
import { currencyDecimals, moneyFormatter } from '../../../server/platform/money.js';
import type { Program } from '../../../server/program/program.js';
import { api } from '../api.js';
import { t } from '../i18n.js';

/** An assumed average order for a shop without recent orders: 50 units of its currency. */
const FALLBACK_ORDER_UNITS = 50;

function Figure(props: { label: string; value: string; testId: string }) {
  return (
    <BlockStack gap="100">
      <Text as="p" tone="subdued" variant="bodySm">
        {props.label}
      </Text>
      <Text as="p" variant="headingLg" id={props.testId}>
        {props.value}
      </Text>
    </BlockStack>
  );
}

/** Program economics, recomputed on every keystroke from the draft being edited. */
export function EconomicsPanel({ program }: { program: Program }) {
  const [recent, setRecent] = useState<RecentOrders | null>(null);
  useEffect(() => {
    api<RecentOrders>('/stats').then(setRecent, () => setRecent({ days: 30, orders: 0, revenue: 0, outstandingPoints: 0 }));
  }, []);
  const unit = 10 ** currencyDecimals(program.currency);
  const economics = useMemo(() => (recent ? programEconomics(program, recent, FALLBACK_ORDER_UNITS * unit) : null), [program, recent, unit]);
  if (!economics || !recent) {
    return (
      <Card>
        <SkeletonBodyText lines={4} />
      </Card>
    );
  }
  const money = moneyFormatter(program.currency);
  const tone = economics.verdict === 'balanced' ? 'success' : 'warning';
  return (
    <Card>
      <BlockStack gap="400">
        <Text as="h2" variant="headingMd">
          {t('economics.title')}
        </Text>
        <InlineGrid columns={2} gap="400">
          <Figure testId="economics-give-back" label={t('economics.giveBack')} value={`${(economics.giveBackRate * 100).toFixed(1)} %`} />
          <Figure testId="economics-cost-per-100" label={t('economics.costPer100')} value={money(Math.round(economics.costPer100))} />
          <Figure testId="economics-orders" label={t('economics.ordersToReward')} value={economics.ordersToFirstReward === null ? '—' : String(economics.ordersToFirstReward)} />
          <Figure testId="economics-projected" label={t('economics.projected', { days: recent.days })} value={money(Math.round(economics.projectedCost))} />
          <Figure testId="economics-liability" label={t('economics.liability')} value={money(Math.round(economics.liability))} />
          <Figure testId="economics-average" label={t('economics.averageOrder')} value={money(Math.round(economics.averageOrder))} />
        </InlineGrid>
        <Banner tone={tone} title={t(`economics.verdict.${economics.verdict}`)}>
          {economics.reasons.map((reason) => (
            <p key={reason}>{reason}</p>
          ))}
        </Banner>
        <Text as="p" tone="subdued" variant="bodySm">
          {recent.orders > 0 ? t('economics.basis', { orders: recent.orders, days: recent.days }) : t('economics.noOrders', { amount: money(FALLBACK_ORDER_UNITS * unit) })}
        </Text>
      </BlockStack>
    </Card>
  );
}

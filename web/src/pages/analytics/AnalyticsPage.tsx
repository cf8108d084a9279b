import { Banner, BlockStack, Card, Checkbox, InlineGrid, InlineStack, Layout, Page, Select, SkeletonBodyText, Text } from '@shopify/polaris';
import { useEffect, useState } from 'react';
import type { AccountingReport } from '../../../../server/accounting/report.js';
import type { Analytics } from '../../../../server/analytics/metrics.js';
import { moneyFormatter } from '../../../../server/platform/money.js';
import { api, download } from '../../api.js';
import type { Notify } from '../../App.js';
import { t, type MessageKey } from '../../i18n.js';
import { BarChart } from './BarChart.js';
import { Stat } from '../Stat.js';
import { asOfText, freshQuery } from '../as-of.js';
import { ResponsiveTable } from '../ResponsiveTable.js';

const RANGES = [7, 30, 90, 365] as const;
const DAY_MS = 86_400_000;
const day = (time: number) => new Date(time).toISOString().slice(0, 10);

function rangeOf(days: number, endsDaysAgo = 0): { from: string; to: string } {
  const end = Date.now() - endsDaysAgo * DAY_MS;
  return { from: day(end - (days - 1) * DAY_MS), to: day(end) };
}

const percent = (rate: number) => `${(rate * 100).toFixed(1)} %`;

/** A figure of the period with its change from the previous period, when there is one to compare. */
function Figure({
  id,
  label,
  now,
  before,
  format,
}: {
  id: string;
  label: string;
  now: number | null;
  before: number | null | undefined;
  format(value: number): string;
}) {
  const delta = before === undefined || before === null || now === null ? null : now - before;
  return (
    <Card>
      <Stat label={label} value={<span id={id}>{now === null ? '—' : format(now)}</span>}>
        {delta !== null && (
          <Text as="p" variant="bodySm" tone={delta >= 0 ? 'success' : 'critical'}>
            {t('analytics.versus', { delta: `${delta >= 0 ? '+' : ''}${format(delta)}` })}
          </Text>
        )}
      </Stat>
    </Card>
  );
}

/** The program's analytics and points accounting: figures with the previous period beside them, charts, CSV. */
export default function AnalyticsPage({ notify }: { notify: Notify }) {
  const [days, setDays] = useState<number>(30);
  const [compare, setCompare] = useState(true);
  const [current, setCurrent] = useState<TimedAnalytics | null>(null);
  const [previous, setPrevious] = useState<Analytics | null>(null);
  const [accounting, setAccounting] = useState<AccountingReport | null>(null);
  const [error, setError] = useState<string | null>(null);
  const range = rangeOf(days);
  const query = `from=${range.from}&to=${range.to}`;

  useEffect(() => {
    const before = rangeOf(days, days);
    setCurrent(null);
    // One after the other, so the first request brings today's sums up to date and the others reuse them.
    const load = async (): Promise<[TimedAnalytics, Analytics | null, AccountingReport]> => {
      const fresh = freshQuery('&');
      const report = await api<AccountingReport>(`/accounting/daily?${query}${fresh}`);
      const now = await api<TimedAnalytics>(`/analytics?${query}${fresh}`);
      const then = compare ? await api<Analytics>(`/analytics?from=${before.from}&to=${before.to}&interval=${now.interval}`) : null;
      return [now, then, report];
    };
    load().then(
      ([now, then, report]) => {
        setCurrent(now);
        setPrevious(then);
        setAccounting(report);
        setError(null);
      },
      (failure: Error) => setError(failure.message),
    );
  }, [query, days, compare]);

  const exportCsv = (path: string, name: string) =>
    download(`${path}?${query}&format=csv`, `${name}-${range.from}-${range.to}.csv`).catch((failure: Error) => notify(failure.message, true));

  return (
    <Page
      title={t('analytics.title')}
      secondaryActions={[
        { content: t('analytics.exportAnalytics'), onAction: () => void exportCsv('/analytics', 'loyalty-analytics') },
        { content: t('accounting.export'), onAction: () => void exportCsv('/accounting/daily', 'points-accounting') },
      ]}
    >
      <BlockStack gap="400">
        <InlineStack gap="400" blockAlign="end">
          <Select
            label={t('analytics.range')}
            options={RANGES.map((value) => ({ label: t('analytics.lastDays', { days: value }), value: String(value) }))}
            value={String(days)}
            onChange={(value) => setDays(Number(value))}
          />
          <Checkbox label={t('analytics.compare')} checked={compare} onChange={setCompare} />
        </InlineStack>
        {error && (
          <Banner tone="critical" title={t('analytics.loadFailed')}>
            <p>{error}</p>
          </Banner>
        )}
        {!current || !accounting ? (
          <Card>
            <SkeletonBodyText lines={8} />
          </Card>
        ) : (
          <AnalyticsBody current={current} previous={compare ? previous : null} accounting={accounting} />
        )}
      </BlockStack>
    </Page>
  );
}

/** The analytics answer: the figures and when their day sums were brought up to date. */
type TimedAnalytics = Analytics & { asOf: string };

type FigureKey =
  | 'orders'
  | 'revenue'
  | 'averageOrder'
  | 'programCost'
  | 'members'
  | 'activeMembers'
  | 'participationRate'
  | 'redemptionRate'
  | 'memberRevenue'
  | 'nonMemberRevenue'
  | 'roi';

function AnalyticsBody({ current, previous, accounting }: { current: TimedAnalytics; previous: Analytics | null; accounting: AccountingReport }) {
  const money = moneyFormatter(current.currency);
  const count = (value: number) => value.toLocaleString('en');
  const labels = current.series.map((point) => point.start);
  const figures: Array<[FigureKey, MessageKey, (value: number) => string]> = [
    ['orders', 'analytics.orders', count],
    ['revenue', 'analytics.revenue', money],
    ['averageOrder', 'analytics.averageOrder', money],
    ['programCost', 'analytics.programCost', money],
    ['members', 'analytics.members', count],
    ['activeMembers', 'analytics.activeMembers', count],
    ['participationRate', 'analytics.participation', percent],
    ['redemptionRate', 'analytics.redemptionRate', percent],
    ['memberRevenue', 'analytics.memberRevenue', money],
    ['nonMemberRevenue', 'analytics.nonMemberRevenue', money],
    ['roi', 'analytics.roi', percent],
  ];
  return (
    <Layout>
      <Layout.Section>
        <BlockStack gap="400">
          <InlineGrid columns={{ xs: 2, md: 4 }} gap="400">
            {figures.map(([key, label, format]) => (
              <Figure key={key} id={`analytics-${key}`} label={t(label)} now={current[key]} before={previous?.[key]} format={format} />
            ))}
          </InlineGrid>
          <Text as="p" tone="subdued" variant="bodySm" id="analytics-as-of">
            {t('analytics.definitions', { refunded: money(current.refunded) })} {asOfText(current.asOf)}
          </Text>
          <Card>
            <BarChart
              title={t('analytics.pointsChart')}
              labels={labels}
              format={count}
              series={[
                { label: t('analytics.issued'), color: '#2c6ecb', values: current.series.map((point) => point.pointsIssued) },
                { label: t('analytics.redeemed'), color: '#29845a', values: current.series.map((point) => point.pointsRedeemed) },
                { label: t('analytics.expired'), color: '#b98900', values: current.series.map((point) => point.pointsExpired) },
              ]}
            />
          </Card>
          <Card>
            <BarChart
              title={t('analytics.revenueChart')}
              labels={labels}
              format={money}
              series={[
                { label: t('analytics.members'), color: '#2c6ecb', values: current.series.map((point) => point.memberRevenue) },
                { label: t('analytics.nonMembers'), color: '#8a8a8a', values: current.series.map((point) => point.nonMemberRevenue) },
              ]}
            />
          </Card>
          <Card>
            <BlockStack gap="200">
              <Text as="h2" variant="headingMd">
                {t('analytics.comparison')}
              </Text>
              <ResponsiveTable
                label={t('analytics.comparison')}
                columnContentTypes={['text', 'numeric', 'numeric']}
                headings={[t('analytics.figure'), t('analytics.members'), t('analytics.nonMembers')]}
                rows={[
                  [t('analytics.orders'), count(current.memberOrders), count(current.nonMemberOrders)],
                  [t('analytics.averageOrder'), money(current.memberAverageOrder), money(current.nonMemberAverageOrder)],
                  [t('analytics.frequency'), current.memberOrderFrequency.toFixed(2), current.nonMemberOrderFrequency.toFixed(2)],
                  [t('analytics.repeatRate'), percent(current.repeatPurchaseRate), '—'],
                ]}
              />
              <Text as="p" tone="subdued" variant="bodySm">
                {t('analytics.roiHelp', {
                  incremental: current.incrementalRevenue === null ? '—' : money(current.incrementalRevenue),
                  rewards: money(current.rewardsCost),
                  cashBack: money(current.cashBack),
                })}
              </Text>
            </BlockStack>
          </Card>
        </BlockStack>
      </Layout.Section>
      <Layout.Section>
        <AccountingTable report={accounting} />
      </Layout.Section>
    </Layout>
  );
}

function AccountingTable({ report }: { report: AccountingReport }) {
  const money = moneyFormatter(report.currency);
  return (
    <Card>
      <BlockStack gap="300">
        <Text as="h2" variant="headingMd">
          {t('accounting.title')}
        </Text>
        <InlineGrid columns={{ xs: 2, md: 4 }} gap="400">
          <Stat label={t('accounting.pointsHeld')} value={<span id="accounting-points-held">{report.pointsHeld.toLocaleString('en')}</span>} />
          <Stat label={t('accounting.liability')} value={<span id="accounting-liability">{money(report.liability)}</span>} />
          <Stat label={t('accounting.breakage')} value={percent(report.breakageRate)} />
          <Stat label={t('accounting.pointValue')} value={<span id="accounting-point-value">{money(report.pointValue)}</span>} />
        </InlineGrid>
        <Text as="p" tone="subdued" variant="bodySm">
          {t('accounting.method', { basis: report.pointValueBasis, method: report.breakageMethod, pending: report.pendingPoints })}
        </Text>
        <ResponsiveTable
          label={t('accounting.title')}
          columnContentTypes={['text', 'numeric', 'numeric', 'numeric', 'numeric', 'numeric', 'numeric', 'numeric', 'numeric']}
          headings={[
            t('accounting.date'),
            t('accounting.opening'),
            t('accounting.earned'),
            t('accounting.redeemed'),
            t('accounting.reversed'),
            t('accounting.expired'),
            t('accounting.adjusted'),
            t('accounting.closing'),
            t('accounting.closingValue'),
          ]}
          rows={[...report.days]
            .reverse()
            .map((row) => [
              row.date,
              row.opening,
              row.earned,
              row.redeemed,
              row.reversed,
              row.expired,
              row.adjusted,
              row.closing,
              money(row.closingValue),
            ])}
        />
      </BlockStack>
    </Card>
  );
}

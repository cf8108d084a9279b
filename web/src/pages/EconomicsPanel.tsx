import { Banner, BlockStack, Card, InlineGrid, SkeletonBodyText, Text } from '@shopify/polaris';
import { useEffect, useMemo, useState } from 'react';
import {
  programEconomics,
  type Economics,
  type Finding,
  type RecentOrders,
  type TierMix,
  type VariantPrices,
} from '../../../server/program/economics.js';
import { currencyDecimals, moneyFormatter } from '../../../server/platform/money.js';
import type { Program } from '../../../server/program/program.js';
import type { TierPreview } from '../../../server/tiers/preview.js';
import { api } from '../api.js';
import { t } from '../i18n.js';

/** An assumed average order for a shop without recent orders: 50 units of its currency. */
const FALLBACK_ORDER_UNITS = 50;

const TIER_PREVIEW_DELAY_MS = 400;

/**
 * The customers per tier under the draft's tiers (the tier editor's preview), which weigh the
 * tiers' multipliers; without customers yet, everyone is assumed in the lowest tier.
 */
function useTierMix(program: Program): TierMix | undefined {
  const [mix, setMix] = useState<TierMix | undefined>(undefined);
  const draftKey = JSON.stringify({ tiers: program.tiers ?? [], tierRules: program.tierRules });
  useEffect(() => {
    const draft = JSON.parse(draftKey) as Pick<Program, 'tiers' | 'tierRules'>;
    if (draft.tiers.length === 0 || !draft.tierRules) {
      setMix(undefined);
      return undefined;
    }
    const timer = setTimeout(() => {
      api<TierPreview>('/tiers/preview', { method: 'POST', body: draft }).then(
        (preview) =>
          setMix({
            basis: preview.customers > 0 ? 'customers' : 'lowest_tier',
            customers: preview.customers,
            counts: Object.fromEntries(preview.tiers.map((tier) => [tier.id, tier.customers])),
          }),
        () => setMix(undefined),
      );
    }, TIER_PREVIEW_DELAY_MS);
    return () => clearTimeout(timer);
  }, [draftKey]);
  return mix;
}

const TONE: Record<Economics['verdict'], 'success' | 'warning' | 'critical' | 'info'> = {
  balanced: 'success',
  generous: 'warning',
  slow_first_reward: 'warning',
  too_stingy: 'warning',
  too_generous: 'critical',
  off: 'info',
  incomplete: 'info',
};

export const percent = (rate: number) => `${(rate * 100).toFixed(1)} %`;

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

/** One finding of the economics in the merchant's words. */
function sentence(finding: Finding, money: (minor: number) => string, pointsName: string): string {
  switch (finding.code) {
    case 'band':
      return t(`economics.band.${finding.values.band}`, { rate: percent(finding.values.rate) });
    case 'first_reward':
      return finding.values.orders === 1 ? t('economics.firstRewardOne') : t('economics.firstReward', { orders: finding.values.orders });
    case 'first_reward_slow':
      return t('economics.firstRewardSlow', { orders: finding.values.orders, amount: money(Math.round(finding.values.averageOrder)) });
    case 'punch_card':
      return t('economics.punchCard', { bonus: finding.values.bonusPoints, nth: finding.values.everyNthOrder, points: pointsName });
    case 'cash_back':
      return t('economics.cashBack', { rate: percent(finding.values.rate) });
    case 'below_minimum_order':
      return t('economics.belowMinimum', { minimum: money(finding.values.minimum) });
    case 'reward_without_cost':
      return t('economics.rewardWithoutCost', { reward: finding.values.reward });
    case 'reward_without_value':
      return t('economics.rewardWithoutValue', { reward: finding.values.reward });
    case 'product_price_assumed':
      return t('economics.productPriceAssumed', { reward: finding.values.reward });
    case 'program_off':
      return t('economics.programOff');
    case 'no_reward':
      return t('economics.noReward');
    case 'earning_incomplete':
      return t('economics.earningIncomplete');
    case 'multipliers_extra':
      return t('economics.multipliersExtra');
    case 'tier_multipliers':
      return finding.values.basis === 'customers'
        ? t('tiers.averageMultiplier', { multiplier: finding.values.multiplier.toFixed(2), customers: finding.values.customers })
        : t('tiers.lowestTierMultiplier', { multiplier: finding.values.multiplier.toFixed(2) });
  }
}

function ordersFigure(economics: Economics): string {
  if (!economics.earnsPoints) return t('economics.cashBackEveryOrder');
  if (economics.ordersToFirstReward === null) return '—';
  return economics.ordersToFirstReward === 1 ? t('economics.orderCountOne') : t('economics.orderCount', { orders: economics.ordersToFirstReward });
}

/** Program economics, recomputed on every keystroke from the draft being edited. */
export function EconomicsPanel({ program, prices = {} }: { program: Program; prices?: VariantPrices }) {
  const [recent, setRecent] = useState<RecentOrders | null>(null);
  useEffect(() => {
    api<RecentOrders>('/stats').then(setRecent, () => setRecent({ days: 30, orders: 0, revenue: 0, outstandingPoints: 0 }));
  }, []);
  const tierMix = useTierMix(program);
  const unit = 10 ** currencyDecimals(program.currency);
  const economics = useMemo(
    () => (recent ? programEconomics(program, recent, FALLBACK_ORDER_UNITS * unit, prices, tierMix) : null),
    [program, recent, unit, prices, tierMix],
  );
  if (!economics || !recent) {
    return (
      <Card>
        <SkeletonBodyText lines={4} />
      </Card>
    );
  }
  const money = moneyFormatter(program.currency);
  const known = economics.verdict !== 'incomplete';
  const amount = (minor: number) => (known ? money(Math.round(minor)) : '—');
  return (
    <Card>
      <BlockStack gap="400">
        <Text as="h2" variant="headingMd">
          {t('economics.title')}
        </Text>
        <InlineGrid columns={2} gap="400">
          <Figure testId="economics-give-back" label={t('economics.giveBack')} value={known ? percent(economics.giveBackRate) : '—'} />
          <Figure
            testId="economics-cost-per-100"
            label={t('economics.costPer100', { amount: money(100 * unit) })}
            value={amount(economics.costPer100)}
          />
          <Figure testId="economics-orders" label={t('economics.ordersToReward')} value={known ? ordersFigure(economics) : '—'} />
          <Figure testId="economics-projected" label={t('economics.projected', { days: recent.days })} value={amount(economics.projectedCost)} />
          <Figure testId="economics-liability" label={t('economics.liability')} value={amount(economics.liability)} />
          <Figure testId="economics-average" label={t('economics.averageOrder')} value={money(Math.round(economics.averageOrder))} />
        </InlineGrid>
        <div id="economics-verdict">
          <Banner tone={TONE[economics.verdict]} title={t(`economics.verdict.${economics.verdict}`)}>
            {economics.findings.map((finding, index) => (
              <p key={index}>{sentence(finding, money, program.pointsName)}</p>
            ))}
          </Banner>
        </div>
        <Text as="p" tone="subdued" variant="bodySm">
          {recent.orders > 0 && recent.revenue > 0
            ? t('economics.basis', { orders: recent.orders, days: recent.days })
            : t('economics.noOrders', { amount: money(FALLBACK_ORDER_UNITS * unit) })}
        </Text>
      </BlockStack>
    </Card>
  );
}

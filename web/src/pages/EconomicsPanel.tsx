import { Banner, BlockStack, Box, Button, Card, InlineGrid, InlineStack, SkeletonBodyText, Text, useBreakpoints } from '@shopify/polaris';
import { useEffect, useMemo, useRef, useState } from 'react';
import type { ShopFigures } from '../../../server/analytics/figures.js';
import {
  programEconomics,
  type Economics,
  type EngagementCost,
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
import { asOfText, freshQuery } from './as-of.js';

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
    case 'point_values_differ':
      return t('economics.pointValuesDiffer', {
        low: finding.values.low.reward,
        lowValue: money(Math.round(finding.values.low.perPoint * 100)),
        high: finding.values.high.reward,
        highValue: money(Math.round(finding.values.high.perPoint * 100)),
        liability: money(finding.values.liabilityPer100),
      });
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

/** One way to earn beyond orders and what it costs once, in words. */
function engagementLine(cost: EngagementCost, money: (minor: number) => string, pointsName: string): string {
  const points = `${cost.points.toLocaleString('en')} ${pointsName}`;
  return cost.kind === 'referral'
    ? t('economics.engagement.referral', { points, value: money(cost.value), discount: money(cost.extra) })
    : t(`economics.engagement.${cost.kind}`, { points, value: money(cost.value) });
}

/** The shop's figures (orders, revenue, points held) from /api/stats, the functions every page uses. */
function useShopFigures(): ShopFigures | 'failed' | null {
  const [figures, setFigures] = useState<ShopFigures | 'failed' | null>(null);
  useEffect(() => {
    api<ShopFigures>(`/stats${freshQuery('?')}`).then(setFigures, () => setFigures('failed'));
  }, []);
  return figures;
}

/**
 * Program economics, recomputed on every keystroke from the draft being edited, priced on the
 * shop's own last 30 days (orders, revenue net of refunds) and the points customers hold now. On a
 * phone, where the panel sits below the whole form, a bar at the bottom of the screen keeps the
 * give-back and the verdict in sight and jumps to the panel.
 */
export function EconomicsPanel({ program, prices = {} }: { program: Program; prices?: VariantPrices }) {
  const figures = useShopFigures();
  const tierMix = useTierMix(program);
  const { mdUp } = useBreakpoints();
  const panel = useRef<HTMLDivElement>(null);
  const unit = 10 ** currencyDecimals(program.currency);
  const known = figures !== null && figures !== 'failed' ? figures : null;
  const recent = useMemo<RecentOrders | null>(() => {
    if (figures === null) return null;
    if (figures === 'failed') return { days: 30, orders: 0, revenue: 0, outstandingPoints: 0 };
    return { days: 30, orders: figures.recent.orders, revenue: figures.recent.revenue, outstandingPoints: figures.pointsHeld };
  }, [figures]);
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
  const complete = economics.verdict !== 'incomplete';
  const amount = (minor: number) => (complete ? money(Math.round(minor)) : '—');
  const ownOrders = recent.orders > 0 && recent.revenue > 0;
  return (
    <div ref={panel} id="economics-panel" style={{ scrollMarginTop: '1rem' }}>
      <Card>
        <BlockStack gap="400">
          <Text as="h2" variant="headingMd">
            {t('economics.title')}
          </Text>
          <InlineGrid columns={2} gap="400">
            <Figure testId="economics-give-back" label={t('economics.giveBack')} value={complete ? percent(economics.giveBackRate) : '—'} />
            <Figure
              testId="economics-cost-per-100"
              label={t('economics.costPer100', { amount: money(100 * unit) })}
              value={amount(economics.costPer100)}
            />
            <Figure testId="economics-orders" label={t('economics.ordersToReward')} value={complete ? ordersFigure(economics) : '—'} />
            <Figure testId="economics-projected" label={t('economics.projected', { days: recent.days })} value={amount(economics.projectedCost)} />
            <Figure
              testId="economics-actual-cost"
              label={t('economics.actualCost', { days: recent.days })}
              value={known ? money(known.recent.programCost) : '—'}
            />
            <Figure testId="economics-average" label={t('economics.averageOrder')} value={money(Math.round(economics.averageOrder))} />
            <Figure
              testId="economics-point-value"
              label={t('economics.pointValue', { points: program.pointsName })}
              value={money(Math.round(economics.pointValueOf.perThousand / 10))}
            />
            <Figure testId="economics-liability" label={t('economics.liability')} value={money(economics.liability)} />
          </InlineGrid>
          <div id="economics-verdict">
            <Banner tone={TONE[economics.verdict]} title={t(`economics.verdict.${economics.verdict}`)}>
              {economics.findings.map((finding, index) => (
                <p key={index}>{sentence(finding, money, program.pointsName)}</p>
              ))}
            </Banner>
          </div>
          {economics.engagement.length > 0 && (
            <BlockStack gap="100">
              <Text as="h3" variant="headingSm">
                {t('economics.engagement.title')}
              </Text>
              <ul id="economics-engagement" style={{ margin: 0, paddingInlineStart: '1.25rem' }}>
                {economics.engagement.map((cost) => (
                  <li key={cost.kind}>
                    <Text as="span" variant="bodySm">
                      {engagementLine(cost, money, program.pointsName)}
                    </Text>
                  </li>
                ))}
              </ul>
            </BlockStack>
          )}
          <Text as="p" tone="subdued" variant="bodySm" id="economics-basis">
            {ownOrders
              ? t('economics.basis', { orders: recent.orders, days: recent.days, points: (known?.pointsHeld ?? 0).toLocaleString('en') })
              : t('economics.noOrders', { amount: money(FALLBACK_ORDER_UNITS * unit) })}{' '}
            {known ? asOfText(known.asOf) : t('figures.unavailable')}
          </Text>
        </BlockStack>
      </Card>
      {!mdUp && (
        <div style={{ position: 'fixed', insetInline: 0, bottom: 0, zIndex: 20 }} id="economics-summary">
          <Box background="bg-surface" padding="300" borderBlockStartWidth="025" borderColor="border" shadow="300">
            <InlineStack align="space-between" blockAlign="center" gap="200" wrap={false}>
              <Text as="p" variant="bodySm">
                {`${t('economics.giveBack')}: ${complete ? percent(economics.giveBackRate) : '—'} · ${t(`economics.verdict.${economics.verdict}`)}`}
              </Text>
              <Button size="slim" onClick={() => panel.current?.scrollIntoView({ behavior: 'smooth' })}>
                {t('economics.seeFigures')}
              </Button>
            </InlineStack>
          </Box>
        </div>
      )}
    </div>
  );
}

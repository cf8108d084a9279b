import { Banner, BlockStack, Button, Card, Checkbox, FormLayout, InlineStack, Select, Text, TextField } from '@shopify/polaris';
import { useEffect, useState } from 'react';
import { currencyDecimals } from '../../../../server/platform/money.js';
import type { Program } from '../../../../server/program/program.js';
import type { TierPreview } from '../../../../server/tiers/preview.js';
import { ApiError, api } from '../../api.js';
import { t } from '../../i18n.js';
import { MoneyField, NumberField, ResourceField } from '../fields.js';
import { TierChart } from './TierChart.js';

type TierFields = Pick<Program, 'tiers' | 'tierRules' | 'membership'>;
type Tier = Program['tiers'][number];

const PREVIEW_DELAY_MS = 400;

const noPerks = { rewardDiscountPercent: 0, freeShipping: false, birthdayBonus: 0 };

/** A program saved before tiers existed has none of the fields: start from no tiers (the server's defaults). */
function fieldsOf(program: Program): TierFields {
  const stored: Partial<TierFields> = program;
  return {
    tiers: stored.tiers ?? [],
    tierRules: stored.tierRules ?? { metric: 'spend', period: 'lifetime', downgrade: 'immediate', graceDays: 0 },
    membership: stored.membership ?? { enabled: false, variantId: '', days: 365, earnMultiplier: 1, combine: 'highest', perks: noPerks },
  };
}

/** The tier editor: tiers, rules and membership, with the distribution of current customers under the draft. */
export function TierEditor({ program, errors, onChange }: { program: Program; errors: Record<string, string>; onChange(change: TierFields): void }) {
  const fields = fieldsOf(program);
  const { tiers, tierRules, membership } = fields;
  const unit = 10 ** currencyDecimals(program.currency);
  const set = (change: Partial<TierFields>) => onChange({ ...fields, ...change });
  const setTier = (index: number, change: Partial<Tier>) => set({ tiers: tiers.map((tier, at) => (at === index ? { ...tier, ...change } : tier)) });
  const [preview, setPreview] = useState<TierPreview | null>(null);
  const [previewError, setPreviewError] = useState<string | null>(null);

  // The draft's JSON is the effect's dependency: an equal draft in a new object needs no new preview.
  const draftKey = JSON.stringify({ tiers, tierRules });
  useEffect(() => {
    const draft = JSON.parse(draftKey) as Pick<TierFields, 'tiers' | 'tierRules'>;
    if (draft.tiers.length === 0) {
      setPreview(null);
      return undefined;
    }
    const timer = setTimeout(() => {
      api<TierPreview>('/tiers/preview', { method: 'POST', body: draft }).then(
        (answer) => {
          setPreview(answer);
          setPreviewError(null);
        },
        (error: unknown) => setPreviewError(error instanceof ApiError && error.status === 422 ? t('tiers.previewInvalid') : t('tiers.previewFailed')),
      );
    }, PREVIEW_DELAY_MS);
    return () => clearTimeout(timer);
  }, [draftKey]);

  const thresholdField = (tier: Tier, index: number) =>
    tierRules.metric === 'spend' ? (
      <MoneyField
        label={t('tiers.threshold')}
        minor={tier.threshold}
        unit={unit}
        currency={program.currency}
        onChange={(threshold) => setTier(index, { threshold })}
        error={errors[`tiers.${index}.threshold`]}
      />
    ) : (
      <NumberField
        label={t('tiers.threshold')}
        value={tier.threshold}
        onChange={(threshold) => setTier(index, { threshold })}
        error={errors[`tiers.${index}.threshold`]}
      />
    );

  const averageMultiplier =
    preview && preview.customers > 0
      ? preview.tiers.reduce((sum, row) => sum + row.customers * (tiers.find((tier) => tier.id === row.id)?.earnMultiplier ?? 1), 0) /
        preview.customers
      : null;

  return (
    <Card>
      <BlockStack gap="400">
        <Text as="h2" variant="headingMd">
          {t('tiers.title')}
        </Text>
        <Text as="p" tone="subdued">
          {t('tiers.countedInBatches')}
        </Text>
        {errors.tiers && <Banner tone="critical" title={errors.tiers} />}
        <FormLayout>
          <FormLayout.Group>
            <Select
              label={t('tiers.metric')}
              options={(['spend', 'points', 'orders'] as const).map((metric) => ({ label: t(`tiers.metric.${metric}`), value: metric }))}
              value={tierRules.metric}
              onChange={(metric) => set({ tierRules: { ...tierRules, metric: metric as TierFields['tierRules']['metric'] } })}
            />
            <Select
              label={t('tiers.period')}
              options={(['lifetime', 'calendar_year', 'rolling_12_months'] as const).map((period) => ({
                label: t(`tiers.period.${period}`),
                value: period,
              }))}
              value={tierRules.period}
              onChange={(period) => set({ tierRules: { ...tierRules, period: period as TierFields['tierRules']['period'] } })}
            />
            <Select
              label={t('tiers.downgrade')}
              options={(['immediate', 'end_of_period'] as const).map((downgrade) => ({ label: t(`tiers.downgrade.${downgrade}`), value: downgrade }))}
              value={tierRules.downgrade}
              onChange={(downgrade) => set({ tierRules: { ...tierRules, downgrade: downgrade as TierFields['tierRules']['downgrade'] } })}
            />
            <NumberField
              label={t('tiers.graceDays')}
              value={tierRules.graceDays}
              onChange={(graceDays) => set({ tierRules: { ...tierRules, graceDays } })}
              error={errors['tierRules.graceDays']}
            />
          </FormLayout.Group>
          {tiers.map((tier, index) => (
            <FormLayout.Group key={index}>
              <TextField
                label={t('tiers.name')}
                value={tier.name}
                onChange={(name) => setTier(index, { name })}
                error={errors[`tiers.${index}.name`] ?? errors[`tiers.${index}.id`]}
                autoComplete="off"
              />
              {thresholdField(tier, index)}
              <NumberField
                label={t('tiers.multiplier')}
                step={0.05}
                value={tier.earnMultiplier}
                onChange={(earnMultiplier) => setTier(index, { earnMultiplier })}
                error={errors[`tiers.${index}.earnMultiplier`]}
              />
              <NumberField
                label={t('tiers.entryReward')}
                value={tier.entryReward}
                onChange={(entryReward) => setTier(index, { entryReward })}
                error={errors[`tiers.${index}.entryReward`]}
              />
              <NumberField
                label={t('tiers.rewardDiscount')}
                suffix="%"
                value={tier.perks.rewardDiscountPercent}
                onChange={(rewardDiscountPercent) => setTier(index, { perks: { ...tier.perks, rewardDiscountPercent } })}
                error={errors[`tiers.${index}.perks.rewardDiscountPercent`]}
              />
              <Checkbox
                label={t('rewardType.free_shipping')}
                checked={tier.perks.freeShipping}
                onChange={(freeShipping) => setTier(index, { perks: { ...tier.perks, freeShipping } })}
              />
              <NumberField
                label={t('tiers.birthdayBonus')}
                value={tier.perks.birthdayBonus}
                onChange={(birthdayBonus) => setTier(index, { perks: { ...tier.perks, birthdayBonus } })}
                error={errors[`tiers.${index}.perks.birthdayBonus`]}
              />
              <Button variant="plain" tone="critical" onClick={() => set({ tiers: tiers.filter((_, at) => at !== index) })}>
                {t('form.remove')}
              </Button>
            </FormLayout.Group>
          ))}
          <InlineStack gap="200">
            <Button
              onClick={() => {
                // A new tier starts above the highest one, so adding it moves nobody until its threshold
                // is chosen; the first tier comes with the base tier at 0 that everyone starts in.
                const step = tierRules.metric === 'spend' ? 100 * unit : tierRules.metric === 'orders' ? 5 : 500;
                const highest = tiers.reduce((max, tier) => Math.max(max, tier.threshold), 0);
                const stamp = Date.now().toString(36);
                const base: Tier[] =
                  tiers.length === 0
                    ? [{ id: `tier-base-${stamp}`, name: t('tiers.baseName'), threshold: 0, earnMultiplier: 1, entryReward: 0, perks: noPerks }]
                    : [];
                set({
                  tiers: [
                    ...tiers,
                    ...base,
                    { id: `tier-${stamp}`, name: t('tiers.newName'), threshold: highest + step, earnMultiplier: 1, entryReward: 0, perks: noPerks },
                  ],
                });
              }}
            >
              {t('tiers.add')}
            </Button>
          </InlineStack>
        </FormLayout>
        {tiers.length > 0 && (
          <BlockStack gap="200">
            <Text as="h3" variant="headingSm">
              {t('tiers.preview')}
            </Text>
            {previewError && <Banner tone="warning" title={previewError} />}
            {preview && (
              <>
                <TierChart rows={preview.tiers} />
                <div id="tiers-moved">
                  <Banner tone={preview.moved.total > 0 ? 'warning' : 'info'}>
                    <p>
                      {t('tiers.moved', { total: preview.moved.total, up: preview.moved.up, down: preview.moved.down, customers: preview.customers })}
                    </p>
                  </Banner>
                </div>
                {averageMultiplier !== null && (
                  <Text as="p" tone="subdued">
                    {t('tiers.averageMultiplier', { multiplier: averageMultiplier.toFixed(2), customers: preview.customers })}
                  </Text>
                )}
              </>
            )}
          </BlockStack>
        )}
        <Text as="h3" variant="headingSm">
          {t('membership.title')}
        </Text>
        <FormLayout>
          <Checkbox
            label={t('membership.enabled')}
            checked={membership.enabled}
            onChange={(enabled) => set({ membership: { ...membership, enabled } })}
          />
          {membership.enabled && (
            <FormLayout.Group>
              <ResourceField
                label={t('membership.variantId')}
                type="variant"
                path="membership.variantId"
                value={membership.variantId}
                onPick={(variantId) => set({ membership: { ...membership, variantId } })}
                error={errors['membership.variantId']}
              />
              <NumberField
                label={t('membership.days')}
                value={membership.days}
                onChange={(days) => set({ membership: { ...membership, days } })}
                error={errors['membership.days']}
              />
              <NumberField
                label={t('tiers.multiplier')}
                step={0.05}
                value={membership.earnMultiplier}
                onChange={(earnMultiplier) => set({ membership: { ...membership, earnMultiplier } })}
                error={errors['membership.earnMultiplier']}
              />
              <Select
                label={t('membership.combine')}
                options={(['highest', 'product'] as const).map((combine) => ({ label: t(`membership.combine.${combine}`), value: combine }))}
                value={membership.combine}
                onChange={(combine) => set({ membership: { ...membership, combine: combine as TierFields['membership']['combine'] } })}
              />
              <NumberField
                label={t('tiers.rewardDiscount')}
                suffix="%"
                value={membership.perks.rewardDiscountPercent}
                onChange={(rewardDiscountPercent) => set({ membership: { ...membership, perks: { ...membership.perks, rewardDiscountPercent } } })}
                error={errors['membership.perks.rewardDiscountPercent']}
              />
              <Checkbox
                label={t('rewardType.free_shipping')}
                checked={membership.perks.freeShipping}
                onChange={(freeShipping) => set({ membership: { ...membership, perks: { ...membership.perks, freeShipping } } })}
              />
              <NumberField
                label={t('tiers.birthdayBonus')}
                value={membership.perks.birthdayBonus}
                onChange={(birthdayBonus) => set({ membership: { ...membership, perks: { ...membership.perks, birthdayBonus } } })}
                error={errors['membership.perks.birthdayBonus']}
              />
            </FormLayout.Group>
          )}
        </FormLayout>
      </BlockStack>
    </Card>
  );
}

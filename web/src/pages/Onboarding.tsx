import { Banner, BlockStack, Button, Card, Checkbox, ChoiceList, FormLayout, Layout, Page, Text, TextField } from '@shopify/polaris';
import { useState } from 'react';
import { currencyDecimals } from '../../../server/platform/money.js';
import type { Program } from '../../../server/program/program.js';
import { ApiError, api } from '../api.js';
import type { Notify } from '../App.js';
import { t } from '../i18n.js';
import { PRESETS, type Preset } from '../presets.js';
import { EconomicsPanel } from './EconomicsPanel.js';
import { MoneyField, NumberField } from './fields.js';

/** First run: pick a preset, adjust its figures while the economics panel reacts, then launch. */
export function Onboarding({ program, onDone, notify }: { program: Program; onDone(program: Program): void; notify: Notify }) {
  const unit = 10 ** currencyDecimals(program.currency);
  const [presetId, setPresetId] = useState<Preset['id']>('boutique');
  const [draft, setDraft] = useState<Program>(() => PRESETS.find((preset) => preset.id === 'boutique')!.apply(program, unit));
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [saving, setSaving] = useState(false);
  const reward = draft.rewards[0]!;

  const choose = (id: Preset['id']) => {
    setPresetId(id);
    setDraft(PRESETS.find((preset) => preset.id === id)!.apply(program, unit));
    setErrors({});
  };
  const setReward = (change: Record<string, unknown>) => setDraft({ ...draft, rewards: [{ ...reward, ...change } as Program['rewards'][number], ...draft.rewards.slice(1)] });

  const launch = async () => {
    setSaving(true);
    try {
      const saved = await api<Program>('/program', { method: 'PUT', body: { ...draft, onboarded: true } });
      notify(t('onboarding.launched'));
      onDone(saved);
    } catch (error) {
      if (error instanceof ApiError) setErrors(error.errors);
      notify(error instanceof Error ? error.message : String(error), true);
    } finally {
      setSaving(false);
    }
  };

  return (
    <Page title={t('onboarding.title')} subtitle={t('onboarding.subtitle')}>
      <Layout>
        <Layout.Section>
          <BlockStack gap="400">
            <Card>
              <ChoiceList
                title={t('onboarding.choose')}
                choices={PRESETS.map((preset) => ({ label: t(`preset.${preset.id}.label`), value: preset.id, helpText: t(`preset.${preset.id}.help`) }))}
                selected={[presetId]}
                onChange={(selected) => choose(selected[0] as Preset['id'])}
              />
            </Card>
            <Card>
              <BlockStack gap="300">
                <Text as="h2" variant="headingMd">
                  {t('onboarding.adjust')}
                </Text>
                {Object.keys(errors).length > 0 && <Banner tone="critical" title={t('form.fixErrors')} />}
                <FormLayout>
                  <TextField label={t('program.pointsName')} value={draft.pointsName} onChange={(pointsName) => setDraft({ ...draft, pointsName })} error={errors.pointsName} autoComplete="off" />
                  {presetId === 'cashback' ? (
                    <NumberField label={t('earning.cashBackPercent')} value={draft.earning.cashBack.percent} step={0.5} suffix="%" onChange={(percent) => setDraft({ ...draft, earning: { ...draft.earning, cashBack: { ...draft.earning.cashBack, percent } } })} error={errors['earning.cashBack.percent']} />
                  ) : (
                    <NumberField label={t('earning.rate', { currency: program.currency })} value={draft.earning.pointsPerCurrencyUnit} step={0.5} onChange={(pointsPerCurrencyUnit) => setDraft({ ...draft, earning: { ...draft.earning, pointsPerCurrencyUnit } })} error={errors['earning.pointsPerCurrencyUnit']} />
                  )}
                  <TextField label={t('reward.name')} value={reward.name} onChange={(name) => setReward({ name })} error={errors['rewards.0.name']} autoComplete="off" />
                  <NumberField label={t('reward.pointsCost')} value={reward.pointsCost} onChange={(pointsCost) => setReward({ pointsCost })} error={errors['rewards.0.pointsCost']} />
                  {reward.type === 'amount_off' && <MoneyField label={t('reward.amountOff')} minor={reward.amountOff} unit={unit} currency={program.currency} onChange={(amountOff) => setReward({ amountOff })} error={errors['rewards.0.amountOff']} />}
                  {reward.type === 'free_product' && <TextField label={t('reward.variantId')} helpText={t('reward.variantHelp')} value={reward.variantId} onChange={(variantId) => setReward({ variantId: variantId.trim() })} error={errors['rewards.0.variantId']} autoComplete="off" />}
                  <Checkbox label={t('program.enabled')} checked={draft.enabled} onChange={(enabled) => setDraft({ ...draft, enabled })} />
                </FormLayout>
                <Button variant="primary" onClick={launch} loading={saving}>
                  {t('onboarding.launch')}
                </Button>
              </BlockStack>
            </Card>
          </BlockStack>
        </Layout.Section>
        <Layout.Section variant="oneThird">
          <EconomicsPanel program={draft} />
        </Layout.Section>
      </Layout>
    </Page>
  );
}

import { BlockStack, Button, Card, Checkbox, ChoiceList, FormLayout, Layout, Page, Text } from '@shopify/polaris';
import { useState } from 'react';
import { currencyDecimals } from '../../../server/platform/money.js';
import type { Program, Reward } from '../../../server/program/program.js';
import { ApiError, api } from '../api.js';
import type { Notify } from '../App.js';
import { humanErrors } from '../errors.js';
import { fieldLabel } from '../field-labels.js';
import { t } from '../i18n.js';
import { PRESETS, type Preset } from '../presets.js';
import { EconomicsPanel } from './EconomicsPanel.js';
import { ErrorSummary } from './ErrorSummary.js';
import { FieldErrors, MoneyField, NumberField, TextInput } from './fields.js';

/**
 * What can be told about the onboarding fields before anything is sent, keyed by field path as the
 * server's 422 is: shown under each field as the merchant types, not only after Launch.
 */
function draftErrors(draft: Program, earnsPoints: boolean): Record<string, string> {
  const errors: Record<string, string> = {};
  if (!earnsPoints) {
    const percent = draft.earning.cashBack.percent;
    if (!Number.isFinite(percent)) errors['earning.cashBack.percent'] = t('error.number');
    else if (percent <= 0) errors['earning.cashBack.percent'] = t('error.moreThan', { min: 0 });
    else if (percent > 100) errors['earning.cashBack.percent'] = t('error.atMost', { max: 100 });
    return errors;
  }
  if (draft.pointsName.trim() === '') errors.pointsName = t('error.required');
  const rate = draft.earning.pointsPerCurrencyUnit;
  if (!Number.isFinite(rate)) errors['earning.pointsPerCurrencyUnit'] = t('error.number');
  else if (rate < 0) errors['earning.pointsPerCurrencyUnit'] = t('error.atLeast', { min: 0 });
  draft.rewards.forEach((reward, index) => {
    if (reward.name.trim() === '') errors[`rewards.${index}.name`] = t('error.required');
    if (!Number.isInteger(reward.pointsCost) || reward.pointsCost <= 0) errors[`rewards.${index}.pointsCost`] = t('error.moreThan', { min: 0 });
    if (reward.type === 'amount_off' && !(reward.amountOff > 0)) errors[`rewards.${index}.amountOff`] = t('error.moreThan', { min: 0 });
  });
  return errors;
}

/** First run: pick a preset, adjust its figures while the economics panel reacts, then launch. */
export function Onboarding({ program, onDone, notify }: { program: Program; onDone(program: Program): void; notify: Notify }) {
  const unit = 10 ** currencyDecimals(program.currency);
  const [presetId, setPresetId] = useState<Preset['id']>('boutique');
  const preset = PRESETS.find((candidate) => candidate.id === presetId)!;
  const [draft, setDraft] = useState<Program>(() => preset.apply(program, unit));
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [saving, setSaving] = useState(false);

  const choose = (id: Preset['id']) => {
    setPresetId(id);
    setDraft(PRESETS.find((candidate) => candidate.id === id)!.apply(program, unit));
    setErrors({});
  };
  // What the server said at Launch, then what the fields say as they change.
  const shown = { ...errors, ...draftErrors(draft, preset.earnsPoints) };
  const setReward = (index: number, change: Partial<Reward>) =>
    setDraft({ ...draft, rewards: draft.rewards.map((reward, at) => (at === index ? ({ ...reward, ...change } as Reward) : reward)) });

  const launch = async () => {
    setSaving(true);
    try {
      const saved = await api<Program>('/program', { method: 'PUT', body: { ...draft, onboarded: true } });
      notify(t('onboarding.launched'));
      onDone(saved);
    } catch (error) {
      if (error instanceof ApiError) setErrors(humanErrors(error.errors));
      notify(error instanceof Error ? error.message : String(error), true);
    } finally {
      setSaving(false);
    }
  };

  return (
    <Page title={t('onboarding.title')} subtitle={t('onboarding.subtitle')}>
      <Layout>
        <Layout.Section>
          <FieldErrors.Provider value={shown}>
            <BlockStack gap="400">
              <Card>
                <ChoiceList
                  title={t('onboarding.choose')}
                  choices={PRESETS.map((candidate) => ({
                    label: t(`preset.${candidate.id}.label`),
                    value: candidate.id,
                    helpText: t(`preset.${candidate.id}.help`),
                  }))}
                  selected={[presetId]}
                  onChange={(selected) => choose(selected[0] as Preset['id'])}
                />
              </Card>
              <Card>
                <BlockStack gap="300">
                  <Text as="h2" variant="headingMd">
                    {t('onboarding.adjust')}
                  </Text>
                  <ErrorSummary errors={shown} label={(path) => fieldLabel(path, draft)} />
                  <FormLayout>
                    {preset.earnsPoints ? (
                      <>
                        <TextInput
                          label={t('program.pointsName')}
                          path="pointsName"
                          value={draft.pointsName}
                          onChange={(pointsName) => setDraft({ ...draft, pointsName })}
                        />
                        <NumberField
                          label={t('earning.rate', { currency: program.currency })}
                          path="earning.pointsPerCurrencyUnit"
                          value={draft.earning.pointsPerCurrencyUnit}
                          step={0.5}
                          onChange={(pointsPerCurrencyUnit) => setDraft({ ...draft, earning: { ...draft.earning, pointsPerCurrencyUnit } })}
                        />
                        {draft.rewards.map((reward, index) => (
                          <FormLayout.Group key={reward.id}>
                            <TextInput
                              label={t('reward.name')}
                              path={`rewards.${index}.name`}
                              value={reward.name}
                              onChange={(name) => setReward(index, { name })}
                            />
                            <NumberField
                              label={t('reward.pointsCost')}
                              integer
                              path={`rewards.${index}.pointsCost`}
                              value={reward.pointsCost}
                              onChange={(pointsCost) => setReward(index, { pointsCost })}
                            />
                            {reward.type === 'amount_off' ? (
                              <MoneyField
                                label={t('reward.amountOff')}
                                path={`rewards.${index}.amountOff`}
                                minor={reward.amountOff}
                                unit={unit}
                                currency={program.currency}
                                onChange={(amountOff) => setReward(index, { amountOff })}
                              />
                            ) : null}
                          </FormLayout.Group>
                        ))}
                      </>
                    ) : (
                      <NumberField
                        label={t('earning.cashBackPercent')}
                        path="earning.cashBack.percent"
                        value={draft.earning.cashBack.percent}
                        step={0.5}
                        suffix="%"
                        onChange={(percent) =>
                          setDraft({ ...draft, earning: { ...draft.earning, cashBack: { ...draft.earning.cashBack, percent } } })
                        }
                      />
                    )}
                    <Checkbox label={t('program.enabled')} checked={draft.enabled} onChange={(enabled) => setDraft({ ...draft, enabled })} />
                  </FormLayout>
                  <Button
                    variant="primary"
                    onClick={launch}
                    loading={saving}
                    disabled={Object.keys(draftErrors(draft, preset.earnsPoints)).length > 0}
                  >
                    {t('onboarding.launch')}
                  </Button>
                </BlockStack>
              </Card>
            </BlockStack>
          </FieldErrors.Provider>
        </Layout.Section>
        <Layout.Section variant="oneThird">
          <EconomicsPanel program={draft} />
        </Layout.Section>
      </Layout>
    </Page>
  );
}

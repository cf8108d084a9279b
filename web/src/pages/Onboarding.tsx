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
          <FieldErrors.Provider value={errors}>
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
                  <ErrorSummary errors={errors} label={(path) => fieldLabel(path, draft)} />
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
                            ) : (
                              <Text as="p" tone="subdued">
                                {t(`rewardType.${reward.type}`)}
                              </Text>
                            )}
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
                  <Button variant="primary" onClick={launch} loading={saving}>
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

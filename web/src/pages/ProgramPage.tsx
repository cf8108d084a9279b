import { Banner, BlockStack, Button, Card, Checkbox, ChoiceList, FormLayout, InlineStack, Layout, Page, Select, Text, TextField } from '@shopify/polaris';
import { useState } from 'react';
import { currencyDecimals } from '../../../server/platform/money.js';
import type { Program, Reward } from '../../../server/program/program.js';
import { ApiError, api } from '../api.js';
import type { Notify } from '../App.js';
import { t } from '../i18n.js';
import { EconomicsPanel } from './EconomicsPanel.js';
import { MoneyField, NumberField } from './fields.js';
import { TierEditor } from './tiers/TierEditor.js';

type Earning = Program['earning'];
const REWARD_TYPES: Array<Reward['type']> = ['amount_off', 'percentage_off', 'free_shipping', 'free_product', 'store_credit', 'points_for_money'];

/** A reward of another type keeps the shared fields and gets the new type's defaults. */
function retype(reward: Reward, type: Reward['type'], unit: number): Reward {
  const { id, name, enabled, minimumOrderAmount, codeExpiresInDays, combinesWith, pointsCost } = reward;
  const shared = { id, name, enabled, minimumOrderAmount, codeExpiresInDays, combinesWith, pointsCost };
  switch (type) {
    case 'amount_off':
      return { ...shared, type, amountOff: 5 * unit };
    case 'percentage_off':
      return { ...shared, type, percentageOff: 10 };
    case 'free_shipping':
      return { ...shared, type };
    case 'free_product':
      return { ...shared, type, variantId: '' };
    case 'store_credit':
      return { ...shared, type, creditAmount: 5 * unit };
    case 'points_for_money':
      return { ...shared, type, pointsCost: 100, stepAmount: unit, minSteps: 1, maxSteps: 50 };
  }
}

function RewardEditor(props: { reward: Reward; index: number; unit: number; currency: string; errors: Record<string, string>; onChange(reward: Reward): void; onRemove(): void }) {
  const { reward, index, unit, currency, errors } = props;
  const error = (field: string) => errors[`rewards.${index}.${field}`];
  const set = (change: Record<string, unknown>) => props.onChange({ ...reward, ...change } as Reward);
  return (
    <Card>
      <FormLayout>
        <FormLayout.Group>
          <TextField label={t('reward.name')} value={reward.name} onChange={(name) => set({ name })} error={error('name')} autoComplete="off" />
          <Select label={t('reward.type')} options={REWARD_TYPES.map((type) => ({ label: t(`rewardType.${type}`), value: type }))} value={reward.type} onChange={(type) => props.onChange(retype(reward, type as Reward['type'], unit))} />
        </FormLayout.Group>
        <FormLayout.Group>
          <NumberField label={reward.type === 'points_for_money' ? t('reward.pointsPerStep') : t('reward.pointsCost')} value={reward.pointsCost} onChange={(pointsCost) => set({ pointsCost })} error={error('pointsCost')} />
          {reward.type === 'amount_off' && <MoneyField label={t('reward.amountOff')} minor={reward.amountOff} unit={unit} currency={currency} onChange={(amountOff) => set({ amountOff })} error={error('amountOff')} />}
          {reward.type === 'percentage_off' && <NumberField label={t('reward.percentageOff')} suffix="%" value={reward.percentageOff} onChange={(percentageOff) => set({ percentageOff })} error={error('percentageOff')} />}
          {reward.type === 'free_product' && <TextField label={t('reward.variantId')} value={reward.variantId} onChange={(variantId) => set({ variantId: variantId.trim() })} error={error('variantId')} autoComplete="off" />}
          {reward.type === 'store_credit' && <MoneyField label={t('reward.creditAmount')} minor={reward.creditAmount} unit={unit} currency={currency} onChange={(creditAmount) => set({ creditAmount })} error={error('creditAmount')} />}
          {reward.type === 'points_for_money' && <MoneyField label={t('reward.stepAmount')} minor={reward.stepAmount} unit={unit} currency={currency} onChange={(stepAmount) => set({ stepAmount })} error={error('stepAmount')} />}
        </FormLayout.Group>
        {reward.type === 'points_for_money' && (
          <FormLayout.Group>
            <NumberField label={t('reward.minSteps')} value={reward.minSteps} onChange={(minSteps) => set({ minSteps })} error={error('minSteps')} />
            <NumberField label={t('reward.maxSteps')} value={reward.maxSteps} onChange={(maxSteps) => set({ maxSteps })} error={error('maxSteps')} />
          </FormLayout.Group>
        )}
        <FormLayout.Group>
          <MoneyField label={t('reward.minimumOrder')} minor={reward.minimumOrderAmount} unit={unit} currency={currency} onChange={(minimumOrderAmount) => set({ minimumOrderAmount })} error={error('minimumOrderAmount')} />
          <NumberField label={t('reward.expiresInDays')} value={reward.codeExpiresInDays} onChange={(codeExpiresInDays) => set({ codeExpiresInDays })} error={error('codeExpiresInDays')} />
        </FormLayout.Group>
        <InlineStack gap="400">
          {(['orderDiscounts', 'productDiscounts', 'shippingDiscounts'] as const).map((kind) => (
            <Checkbox key={kind} label={t(`reward.combines.${kind}`)} checked={reward.combinesWith[kind]} onChange={(checked) => set({ combinesWith: { ...reward.combinesWith, [kind]: checked } })} />
          ))}
        </InlineStack>
        <InlineStack align="space-between">
          <Checkbox label={t('reward.enabled')} checked={reward.enabled} onChange={(enabled) => set({ enabled })} />
          <Button tone="critical" variant="plain" onClick={props.onRemove}>
            {t('reward.remove')}
          </Button>
        </InlineStack>
      </FormLayout>
    </Card>
  );
}

/** Every setting of the program, with the server's field errors beside their fields and live economics. */
export function ProgramPage({ program, onSaved, notify }: { program: Program; onSaved(program: Program): void; notify: Notify }) {
  const [draft, setDraft] = useState(program);
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [saving, setSaving] = useState(false);
  const [stale, setStale] = useState(false);
  const unit = 10 ** currencyDecimals(program.currency);
  const earning = draft.earning;
  const setEarning = (change: Partial<Earning>) => setDraft({ ...draft, earning: { ...earning, ...change } });
  const nullable = (value: number) => (Number.isFinite(value) ? value : null);
  const dirty = JSON.stringify(draft) !== JSON.stringify(program);

  const save = async () => {
    setSaving(true);
    setStale(false);
    try {
      const saved = await api<Program>('/program', { method: 'PUT', body: draft });
      setErrors({});
      setDraft(saved);
      onSaved(saved);
      notify(t('program.saved'));
    } catch (error) {
      if (error instanceof ApiError && error.status === 422) setErrors(error.errors);
      if (error instanceof ApiError && error.status === 409) setStale(true);
      notify(error instanceof Error ? error.message : String(error), true);
    } finally {
      setSaving(false);
    }
  };

  return (
    <Page
      title={t('program.title')}
      primaryAction={{ content: t('form.save'), onAction: save, loading: saving, disabled: !dirty }}
      secondaryActions={[{ content: t('form.discard'), onAction: () => { setDraft(program); setErrors({}); }, disabled: !dirty }]}
    >
      <Layout>
        <Layout.Section>
          <BlockStack gap="400">
            {Object.keys(errors).length > 0 && <Banner tone="critical" title={t('form.fixErrors')} />}
            {stale && <Banner tone="warning" title={t('program.stale')} />}
            <Card>
              <FormLayout>
                <Checkbox label={t('program.enabled')} checked={draft.enabled} onChange={(enabled) => setDraft({ ...draft, enabled })} />
                <TextField label={t('program.pointsName')} value={draft.pointsName} onChange={(pointsName) => setDraft({ ...draft, pointsName })} error={errors.pointsName} autoComplete="off" />
              </FormLayout>
            </Card>
            <Card>
              <BlockStack gap="300">
                <Text as="h2" variant="headingMd">{t('earning.title')}</Text>
                <FormLayout>
                  <FormLayout.Group>
                    <NumberField label={t('earning.rate', { currency: program.currency })} value={earning.pointsPerCurrencyUnit} step={0.5} onChange={(pointsPerCurrencyUnit) => setEarning({ pointsPerCurrencyUnit })} error={errors['earning.pointsPerCurrencyUnit']} />
                    <MoneyField label={t('earning.minimumOrder')} minor={earning.minimumOrderAmount} unit={unit} currency={program.currency} onChange={(minimumOrderAmount) => setEarning({ minimumOrderAmount })} error={errors['earning.minimumOrderAmount']} />
                  </FormLayout.Group>
                  <Checkbox label={t('earning.punchCard')} checked={earning.punchCard.enabled} onChange={(enabled) => setEarning({ punchCard: { ...earning.punchCard, enabled } })} />
                  {earning.punchCard.enabled && (
                    <FormLayout.Group>
                      <NumberField label={t('earning.everyNth')} value={earning.punchCard.everyNthOrder} onChange={(everyNthOrder) => setEarning({ punchCard: { ...earning.punchCard, everyNthOrder } })} error={errors['earning.punchCard.everyNthOrder']} />
                      <NumberField label={t('earning.bonusPoints')} value={earning.punchCard.bonusPoints} onChange={(bonusPoints) => setEarning({ punchCard: { ...earning.punchCard, bonusPoints } })} error={errors['earning.punchCard.bonusPoints']} />
                    </FormLayout.Group>
                  )}
                  <Checkbox label={t('earning.cashBack')} checked={earning.cashBack.enabled} onChange={(enabled) => setEarning({ cashBack: { ...earning.cashBack, enabled } })} />
                  {earning.cashBack.enabled && (
                    <FormLayout.Group>
                      <NumberField label={t('earning.cashBackPercent')} suffix="%" step={0.5} value={earning.cashBack.percent} onChange={(percent) => setEarning({ cashBack: { ...earning.cashBack, percent } })} error={errors['earning.cashBack.percent']} />
                      <Checkbox label={t('earning.insteadOfPoints')} checked={earning.cashBack.insteadOfPoints} onChange={(insteadOfPoints) => setEarning({ cashBack: { ...earning.cashBack, insteadOfPoints } })} />
                    </FormLayout.Group>
                  )}
                  <FormLayout.Group>
                    <NumberField label={t('earning.capPerOrder')} helpText={t('form.blankNoLimit')} value={earning.caps.perOrder ?? Number.NaN} onChange={(value) => setEarning({ caps: { ...earning.caps, perOrder: nullable(value) } })} error={errors['earning.caps.perOrder']} />
                    <NumberField label={t('earning.capPerDay')} helpText={t('form.blankNoLimit')} value={earning.caps.perCustomerPerDay ?? Number.NaN} onChange={(value) => setEarning({ caps: { ...earning.caps, perCustomerPerDay: nullable(value) } })} error={errors['earning.caps.perCustomerPerDay']} />
                  </FormLayout.Group>
                  <TextField label={t('earning.excludedTags')} helpText={t('earning.excludedTagsHelp')} value={earning.excludedCustomerTags.join(', ')} onChange={(text) => setEarning({ excludedCustomerTags: text.split(',').map((tag) => tag.trim()).filter(Boolean) })} autoComplete="off" />
                  <Text as="h3" variant="headingSm">{t('earning.multipliers')}</Text>
                  {earning.multipliers.map((rule, index) => (
                    <FormLayout.Group key={rule.id}>
                      <Select label={t('earning.matchKind')} options={(['product', 'collection', 'tag'] as const).map((kind) => ({ label: t(`matchKind.${kind}`), value: kind }))} value={rule.match.kind} onChange={(kind) => setEarning({ multipliers: earning.multipliers.map((other, at) => (at === index ? { ...other, match: { ...other.match, kind: kind as typeof rule.match.kind } } : other)) })} />
                      <TextField label={t('earning.matchValue')} value={rule.match.value} onChange={(value) => setEarning({ multipliers: earning.multipliers.map((other, at) => (at === index ? { ...other, match: { ...other.match, value } } : other)) })} error={errors[`earning.multipliers.${index}.match.value`]} autoComplete="off" />
                      <NumberField label={t('earning.multiplier')} step={0.5} value={rule.multiplier} onChange={(multiplier) => setEarning({ multipliers: earning.multipliers.map((other, at) => (at === index ? { ...other, multiplier } : other)) })} error={errors[`earning.multipliers.${index}.multiplier`]} />
                      <Button variant="plain" tone="critical" onClick={() => setEarning({ multipliers: earning.multipliers.filter((_, at) => at !== index) })}>{t('form.remove')}</Button>
                    </FormLayout.Group>
                  ))}
                  <Button onClick={() => setEarning({ multipliers: [...earning.multipliers, { id: `rule-${Date.now().toString(36)}`, match: { kind: 'tag', value: '' }, multiplier: 2 }] })}>{t('earning.addMultiplier')}</Button>
                  <Text as="h3" variant="headingSm">{t('earning.promotions')}</Text>
                  {earning.promotions.map((promotion, index) => (
                    <FormLayout.Group key={promotion.id}>
                      <TextField label={t('earning.promotionName')} value={promotion.name} onChange={(name) => setEarning({ promotions: earning.promotions.map((other, at) => (at === index ? { ...other, name } : other)) })} error={errors[`earning.promotions.${index}.name`]} autoComplete="off" />
                      <NumberField label={t('earning.multiplier')} step={0.5} value={promotion.multiplier} onChange={(multiplier) => setEarning({ promotions: earning.promotions.map((other, at) => (at === index ? { ...other, multiplier } : other)) })} />
                      <TextField label={t('earning.startsAt')} value={promotion.startsAt} onChange={(startsAt) => setEarning({ promotions: earning.promotions.map((other, at) => (at === index ? { ...other, startsAt } : other)) })} error={errors[`earning.promotions.${index}.startsAt`]} autoComplete="off" />
                      <TextField label={t('earning.endsAt')} value={promotion.endsAt} onChange={(endsAt) => setEarning({ promotions: earning.promotions.map((other, at) => (at === index ? { ...other, endsAt } : other)) })} error={errors[`earning.promotions.${index}.endsAt`]} autoComplete="off" />
                      <Button variant="plain" tone="critical" onClick={() => setEarning({ promotions: earning.promotions.filter((_, at) => at !== index) })}>{t('form.remove')}</Button>
                    </FormLayout.Group>
                  ))}
                  <Button onClick={() => setEarning({ promotions: [...earning.promotions, { id: `promo-${Date.now().toString(36)}`, name: 'Double points weekend', multiplier: 2, startsAt: new Date().toISOString(), endsAt: new Date(Date.now() + 3 * 86_400_000).toISOString() }] })}>{t('earning.addPromotion')}</Button>
                </FormLayout>
              </BlockStack>
            </Card>
            <Text as="h2" variant="headingMd">{t('rewards.title')}</Text>
            {errors.rewards && <Banner tone="critical" title={errors.rewards} />}
            {draft.rewards.map((reward, index) => (
              <RewardEditor key={index} reward={reward} index={index} unit={unit} currency={program.currency} errors={errors}
                onChange={(changed) => setDraft({ ...draft, rewards: draft.rewards.map((other, at) => (at === index ? changed : other)) })}
                onRemove={() => setDraft({ ...draft, rewards: draft.rewards.filter((_, at) => at !== index) })} />
            ))}
            <Button onClick={() => setDraft({ ...draft, rewards: [...draft.rewards, retype({ ...draft.rewards[0]!, id: `reward-${Date.now().toString(36)}`, name: 'New reward' }, 'amount_off', unit)] })}>{t('rewards.add')}</Button>
            <TierEditor program={draft} errors={errors} onChange={(tiers) => setDraft({ ...draft, ...tiers })} />
            <Card>
              <BlockStack gap="300">
                <Text as="h2" variant="headingMd">{t('settings.title')}</Text>
                <FormLayout>
                  <FormLayout.Group>
                    <NumberField label={t('settings.pendingDays')} value={draft.pendingDays} onChange={(pendingDays) => setDraft({ ...draft, pendingDays })} error={errors.pendingDays} />
                    <Select label={t('settings.negativeBalance')} options={[{ label: t('negative.allow'), value: 'allow' }, { label: t('negative.stop_at_zero'), value: 'stop_at_zero' }]} value={draft.negativeBalance} onChange={(negativeBalance) => setDraft({ ...draft, negativeBalance: negativeBalance as Program['negativeBalance'] })} />
                  </FormLayout.Group>
                  <FormLayout.Group>
                    <Select label={t('settings.expiry')} options={(['none', 'inactivity', 'batch'] as const).map((mode) => ({ label: t(`expiry.${mode}`), value: mode }))} value={draft.expiry.mode} onChange={(mode) => setDraft({ ...draft, expiry: { ...draft.expiry, mode: mode as Program['expiry']['mode'] } })} />
                    <NumberField label={t('settings.expiryDays')} value={draft.expiry.days} onChange={(days) => setDraft({ ...draft, expiry: { ...draft.expiry, days } })} error={errors['expiry.days']} />
                    <NumberField label={t('settings.reminderDays')} value={draft.expiry.reminderDaysBefore} onChange={(reminderDaysBefore) => setDraft({ ...draft, expiry: { ...draft.expiry, reminderDaysBefore } })} error={errors['expiry.reminderDaysBefore']} />
                  </FormLayout.Group>
                  <Checkbox label={t('settings.returnOnRefund')} checked={draft.redemption.returnPointsOnOrderRefund} onChange={(returnPointsOnOrderRefund) => setDraft({ ...draft, redemption: { ...draft.redemption, returnPointsOnOrderRefund } })} />
                  <Checkbox label={t('settings.returnOnExpiry')} checked={draft.redemption.returnPointsForExpiredCodes} onChange={(returnPointsForExpiredCodes) => setDraft({ ...draft, redemption: { ...draft.redemption, returnPointsForExpiredCodes } })} />
                  <FormLayout.Group>
                    <TextField label={t('widget.primaryColor')} value={draft.widget.primaryColor} onChange={(primaryColor) => setDraft({ ...draft, widget: { ...draft.widget, primaryColor } })} error={errors['widget.primaryColor']} autoComplete="off" />
                    <TextField label={t('widget.textColor')} value={draft.widget.textColor} onChange={(textColor) => setDraft({ ...draft, widget: { ...draft.widget, textColor } })} error={errors['widget.textColor']} autoComplete="off" />
                    <Select label={t('widget.position')} options={[{ label: t('widget.bottomRight'), value: 'bottom-right' }, { label: t('widget.bottomLeft'), value: 'bottom-left' }]} value={draft.widget.position} onChange={(position) => setDraft({ ...draft, widget: { ...draft.widget, position: position as Program['widget']['position'] } })} />
                  </FormLayout.Group>
                  <ChoiceList allowMultiple title={t('widget.languages')} choices={(['en', 'fr', 'de', 'es'] as const).map((language) => ({ label: t(`language.${language}`), value: language }))} selected={draft.widget.languages} onChange={(languages) => setDraft({ ...draft, widget: { ...draft.widget, languages: languages as Program['widget']['languages'] } })} error={errors['widget.languages']} />
                </FormLayout>
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

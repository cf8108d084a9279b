import { BlockStack, Button, Card, Checkbox, ChoiceList, FormLayout, InlineStack, Layout, Page, Select, Text } from '@shopify/polaris';
import { useMemo, useState } from 'react';
import { currencyDecimals } from '../../../server/platform/money.js';
import type { VariantPrices } from '../../../server/program/economics.js';
import type { Program, Reward } from '../../../server/program/program.js';
import { ApiError, api } from '../api.js';
import type { Notify } from '../App.js';
import { humanErrors } from '../errors.js';
import { fieldLabel } from '../field-labels.js';
import { t } from '../i18n.js';
import { SaveBar } from '../save-bar.js';
import { EconomicsPanel } from './EconomicsPanel.js';
import { ErrorSummary } from './ErrorSummary.js';
import { ColorField, DateField, FieldErrors, MoneyField, NumberField, ResourceField, TextInput } from './fields.js';
import { PosSettings } from './pos/PosSettings.js';
import { TierEditor } from './tiers/TierEditor.js';

type Earning = Program['earning'];
type Multiplier = Earning['multipliers'][number];
const REWARD_TYPES: Array<Reward['type']> = ['amount_off', 'percentage_off', 'free_shipping', 'free_product', 'store_credit', 'points_for_money'];
const SAVE_BAR_ID = 'program-save-bar';

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

/** A reward to start from: 5 off at 500 points, available at once. */
function newReward(unit: number): Reward {
  const shared = {
    id: `reward-${Date.now().toString(36)}`,
    name: t('rewards.newName'),
    enabled: true,
    minimumOrderAmount: 0,
    codeExpiresInDays: 90,
    combinesWith: { orderDiscounts: false, productDiscounts: true, shippingDiscounts: true },
  };
  return { ...shared, type: 'amount_off', pointsCost: 500, amountOff: 5 * unit };
}

/** A price as the resource picker gives it ("14.50") in minor units. */
function minorOf(price: string | undefined, unit: number): number | undefined {
  const value = Number(price);
  return price === undefined || !Number.isFinite(value) ? undefined : Math.round(value * unit);
}

function RewardEditor(props: {
  reward: Reward;
  index: number;
  unit: number;
  currency: string;
  onChange(reward: Reward): void;
  onPrice(variantId: string, minor: number): void;
  onRemove(): void;
}) {
  const { reward, index, unit, currency } = props;
  const path = (field: string) => `rewards.${index}.${field}`;
  const set = (change: Record<string, unknown>) => props.onChange({ ...reward, ...change } as Reward);
  return (
    <Card>
      <FormLayout>
        <FormLayout.Group>
          <TextInput label={t('reward.name')} path={path('name')} value={reward.name} onChange={(name) => set({ name })} />
          <Select
            label={t('reward.type')}
            options={REWARD_TYPES.map((type) => ({ label: t(`rewardType.${type}`), value: type }))}
            value={reward.type}
            onChange={(type) => props.onChange(retype(reward, type as Reward['type'], unit))}
          />
        </FormLayout.Group>
        <FormLayout.Group>
          <NumberField
            label={reward.type === 'points_for_money' ? t('reward.pointsPerStep') : t('reward.pointsCost')}
            integer
            path={path('pointsCost')}
            value={reward.pointsCost}
            onChange={(pointsCost) => set({ pointsCost })}
          />
          {reward.type === 'amount_off' && (
            <MoneyField
              label={t('reward.amountOff')}
              path={path('amountOff')}
              minor={reward.amountOff}
              unit={unit}
              currency={currency}
              onChange={(amountOff) => set({ amountOff })}
            />
          )}
          {reward.type === 'percentage_off' && (
            <NumberField
              label={t('reward.percentageOff')}
              integer
              path={path('percentageOff')}
              suffix="%"
              value={reward.percentageOff}
              onChange={(percentageOff) => set({ percentageOff })}
            />
          )}
          {reward.type === 'free_product' && (
            <ResourceField
              label={t('reward.product')}
              type="variant"
              path={path('variantId')}
              value={reward.variantId}
              onPick={(variantId, picked) => {
                const minor = minorOf(picked.price, unit);
                if (minor !== undefined) props.onPrice(variantId, minor);
                set({ variantId });
              }}
            />
          )}
          {reward.type === 'store_credit' && (
            <MoneyField
              label={t('reward.creditAmount')}
              path={path('creditAmount')}
              minor={reward.creditAmount}
              unit={unit}
              currency={currency}
              onChange={(creditAmount) => set({ creditAmount })}
            />
          )}
          {reward.type === 'points_for_money' && (
            <MoneyField
              label={t('reward.stepAmount')}
              path={path('stepAmount')}
              minor={reward.stepAmount}
              unit={unit}
              currency={currency}
              onChange={(stepAmount) => set({ stepAmount })}
            />
          )}
        </FormLayout.Group>
        {reward.type === 'points_for_money' && (
          <FormLayout.Group>
            <NumberField
              label={t('reward.minSteps')}
              integer
              path={path('minSteps')}
              value={reward.minSteps}
              onChange={(minSteps) => set({ minSteps })}
            />
            <NumberField
              label={t('reward.maxSteps')}
              integer
              path={path('maxSteps')}
              value={reward.maxSteps}
              onChange={(maxSteps) => set({ maxSteps })}
            />
          </FormLayout.Group>
        )}
        <FormLayout.Group>
          <MoneyField
            label={t('reward.minimumOrder')}
            path={path('minimumOrderAmount')}
            minor={reward.minimumOrderAmount}
            unit={unit}
            currency={currency}
            onChange={(minimumOrderAmount) => set({ minimumOrderAmount })}
          />
          <NumberField
            label={t('reward.expiresInDays')}
            integer
            path={path('codeExpiresInDays')}
            value={reward.codeExpiresInDays}
            onChange={(codeExpiresInDays) => set({ codeExpiresInDays })}
          />
        </FormLayout.Group>
        <InlineStack gap="400">
          {(['orderDiscounts', 'productDiscounts', 'shippingDiscounts'] as const).map((kind) => (
            <Checkbox
              key={kind}
              label={t(`reward.combines.${kind}`)}
              checked={reward.combinesWith[kind]}
              onChange={(checked) => set({ combinesWith: { ...reward.combinesWith, [kind]: checked } })}
            />
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

function MultiplierRow({ rule, index, onChange, onRemove }: { rule: Multiplier; index: number; onChange(rule: Multiplier): void; onRemove(): void }) {
  const path = `earning.multipliers.${index}`;
  const kind = rule.match.kind;
  return (
    <FormLayout.Group>
      <Select
        label={t('earning.matchKind')}
        options={(['product', 'collection', 'tag'] as const).map((option) => ({ label: t(`matchKind.${option}`), value: option }))}
        value={kind}
        onChange={(next) => onChange({ ...rule, match: { kind: next as Multiplier['match']['kind'], value: '' } })}
      />
      {kind === 'tag' ? (
        <TextInput
          label={t('earning.matchTag')}
          path={`${path}.match.value`}
          value={rule.match.value}
          onChange={(value) => onChange({ ...rule, match: { ...rule.match, value } })}
        />
      ) : (
        <ResourceField
          label={t(`matchKind.${kind}`)}
          type={kind}
          path={`${path}.match.value`}
          value={rule.match.value}
          onPick={(value) => onChange({ ...rule, match: { ...rule.match, value } })}
        />
      )}
      <NumberField
        label={t('earning.multiplier')}
        step={0.5}
        path={`${path}.multiplier`}
        value={rule.multiplier}
        onChange={(multiplier) => onChange({ ...rule, multiplier })}
      />
      <Button variant="plain" tone="critical" onClick={onRemove}>
        {t('form.remove')}
      </Button>
    </FormLayout.Group>
  );
}

/** Every setting of the program, with errors beside their fields, App Bridge's save bar and live economics. */
export function ProgramPage({ program, onSaved, notify }: { program: Program; onSaved(program: Program): void; notify: Notify }) {
  const [draft, setDraft] = useState(program);
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [saving, setSaving] = useState(false);
  const [stale, setStale] = useState(false);
  const [prices, setPrices] = useState<VariantPrices>({});
  const unit = 10 ** currencyDecimals(program.currency);
  const earning = draft.earning;
  const setEarning = (change: Partial<Earning>) => setDraft({ ...draft, earning: { ...earning, ...change } });
  const nullable = (value: number) => (Number.isFinite(value) ? value : null);
  const dirty = useMemo(() => JSON.stringify(draft) !== JSON.stringify(program), [draft, program]);
  const earnsPoints = !(earning.cashBack.enabled && earning.cashBack.insteadOfPoints);

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
      if (error instanceof ApiError && error.status === 422) setErrors(humanErrors(error.errors));
      if (error instanceof ApiError && error.status === 409) setStale(true);
      notify(error instanceof Error ? error.message : String(error), true);
    } finally {
      setSaving(false);
    }
  };
  const discard = () => {
    setDraft(program);
    setErrors({});
  };
  const updateList = <T,>(list: T[], index: number, item: T) => list.map((other, at) => (at === index ? item : other));

  return (
    <Page title={t('program.title')}>
      <SaveBar id={SAVE_BAR_ID} dirty={dirty} saving={saving} onSave={() => void save()} onDiscard={discard} />
      <FieldErrors.Provider value={errors}>
        <Layout>
          <Layout.Section>
            <BlockStack gap="400">
              <ErrorSummary errors={errors} label={(path) => fieldLabel(path, draft)} />
              {stale && (
                <Text as="p" tone="caution">
                  {t('program.stale')}
                </Text>
              )}
              <Card>
                <FormLayout>
                  <Checkbox label={t('program.enabled')} checked={draft.enabled} onChange={(enabled) => setDraft({ ...draft, enabled })} />
                  {earnsPoints && (
                    <TextInput
                      label={t('program.pointsName')}
                      path="pointsName"
                      value={draft.pointsName}
                      onChange={(pointsName) => setDraft({ ...draft, pointsName })}
                    />
                  )}
                </FormLayout>
              </Card>
              <Card>
                <BlockStack gap="300">
                  <Text as="h2" variant="headingMd">
                    {t('earning.title')}
                  </Text>
                  <FormLayout>
                    <FormLayout.Group>
                      {earnsPoints && (
                        <NumberField
                          label={t('earning.rate', { currency: program.currency })}
                          path="earning.pointsPerCurrencyUnit"
                          value={earning.pointsPerCurrencyUnit}
                          step={0.5}
                          onChange={(pointsPerCurrencyUnit) => setEarning({ pointsPerCurrencyUnit })}
                        />
                      )}
                      <MoneyField
                        label={t('earning.minimumOrder')}
                        path="earning.minimumOrderAmount"
                        minor={earning.minimumOrderAmount}
                        unit={unit}
                        currency={program.currency}
                        onChange={(minimumOrderAmount) => setEarning({ minimumOrderAmount })}
                      />
                    </FormLayout.Group>
                    <Checkbox
                      label={t('earning.cashBack')}
                      checked={earning.cashBack.enabled}
                      onChange={(enabled) => setEarning({ cashBack: { ...earning.cashBack, enabled } })}
                    />
                    {earning.cashBack.enabled && (
                      <FormLayout.Group>
                        <NumberField
                          label={t('earning.cashBackPercent')}
                          path="earning.cashBack.percent"
                          suffix="%"
                          step={0.5}
                          value={earning.cashBack.percent}
                          onChange={(percent) => setEarning({ cashBack: { ...earning.cashBack, percent } })}
                        />
                        <Checkbox
                          label={t('earning.insteadOfPoints')}
                          checked={earning.cashBack.insteadOfPoints}
                          onChange={(insteadOfPoints) => setEarning({ cashBack: { ...earning.cashBack, insteadOfPoints } })}
                        />
                      </FormLayout.Group>
                    )}
                    {earnsPoints && (
                      <>
                        <Checkbox
                          label={t('earning.punchCard')}
                          checked={earning.punchCard.enabled}
                          onChange={(enabled) => setEarning({ punchCard: { ...earning.punchCard, enabled } })}
                        />
                        {earning.punchCard.enabled && (
                          <FormLayout.Group>
                            <NumberField
                              label={t('earning.everyNth')}
                              integer
                              path="earning.punchCard.everyNthOrder"
                              value={earning.punchCard.everyNthOrder}
                              onChange={(everyNthOrder) => setEarning({ punchCard: { ...earning.punchCard, everyNthOrder } })}
                            />
                            <NumberField
                              label={t('earning.bonusPoints')}
                              integer
                              path="earning.punchCard.bonusPoints"
                              value={earning.punchCard.bonusPoints}
                              onChange={(bonusPoints) => setEarning({ punchCard: { ...earning.punchCard, bonusPoints } })}
                            />
                          </FormLayout.Group>
                        )}
                        <FormLayout.Group>
                          <NumberField
                            label={t('earning.capPerOrder')}
                            integer
                            helpText={t('form.blankNoLimit')}
                            path="earning.caps.perOrder"
                            value={earning.caps.perOrder ?? Number.NaN}
                            onChange={(value) => setEarning({ caps: { ...earning.caps, perOrder: nullable(value) } })}
                          />
                          <NumberField
                            label={t('earning.capPerDay')}
                            integer
                            helpText={t('form.blankNoLimit')}
                            path="earning.caps.perCustomerPerDay"
                            value={earning.caps.perCustomerPerDay ?? Number.NaN}
                            onChange={(value) => setEarning({ caps: { ...earning.caps, perCustomerPerDay: nullable(value) } })}
                          />
                        </FormLayout.Group>
                        <TextInput
                          label={t('earning.excludedTags')}
                          helpText={t('earning.excludedTagsHelp')}
                          path="earning.excludedCustomerTags"
                          value={earning.excludedCustomerTags.join(', ')}
                          onChange={(text) =>
                            setEarning({
                              excludedCustomerTags: text
                                .split(',')
                                .map((tag) => tag.trim())
                                .filter(Boolean),
                            })
                          }
                        />
                        <Text as="h3" variant="headingSm">
                          {t('earning.multipliers')}
                        </Text>
                        {earning.multipliers.map((rule, index) => (
                          <MultiplierRow
                            key={rule.id}
                            rule={rule}
                            index={index}
                            onChange={(changed) => setEarning({ multipliers: updateList(earning.multipliers, index, changed) })}
                            onRemove={() => setEarning({ multipliers: earning.multipliers.filter((_, at) => at !== index) })}
                          />
                        ))}
                        <Button
                          onClick={() =>
                            setEarning({
                              multipliers: [
                                ...earning.multipliers,
                                { id: `rule-${Date.now().toString(36)}`, match: { kind: 'product', value: '' }, multiplier: 2 },
                              ],
                            })
                          }
                        >
                          {t('earning.addMultiplier')}
                        </Button>
                        <Text as="h3" variant="headingSm">
                          {t('earning.promotions')}
                        </Text>
                        {earning.promotions.map((promotion, index) => {
                          const path = `earning.promotions.${index}`;
                          const set = (change: Partial<typeof promotion>) =>
                            setEarning({ promotions: updateList(earning.promotions, index, { ...promotion, ...change }) });
                          return (
                            <FormLayout.Group key={promotion.id}>
                              <TextInput
                                label={t('earning.promotionName')}
                                path={`${path}.name`}
                                value={promotion.name}
                                onChange={(name) => set({ name })}
                              />
                              <NumberField
                                label={t('earning.multiplier')}
                                step={0.5}
                                path={`${path}.multiplier`}
                                value={promotion.multiplier}
                                onChange={(multiplier) => set({ multiplier })}
                              />
                              <DateField
                                label={t('earning.startsAt')}
                                path={`${path}.startsAt`}
                                value={promotion.startsAt}
                                onChange={(startsAt) => set({ startsAt })}
                              />
                              <DateField
                                label={t('earning.endsAt')}
                                endOfDay
                                path={`${path}.endsAt`}
                                value={promotion.endsAt}
                                onChange={(endsAt) => set({ endsAt })}
                              />
                              <Button
                                variant="plain"
                                tone="critical"
                                onClick={() => setEarning({ promotions: earning.promotions.filter((_, at) => at !== index) })}
                              >
                                {t('form.remove')}
                              </Button>
                            </FormLayout.Group>
                          );
                        })}
                        <Button
                          onClick={() => {
                            const today = new Date();
                            const start = Date.UTC(today.getUTCFullYear(), today.getUTCMonth(), today.getUTCDate());
                            setEarning({
                              promotions: [
                                ...earning.promotions,
                                {
                                  id: `promo-${Date.now().toString(36)}`,
                                  name: t('earning.promotionDefault'),
                                  multiplier: 2,
                                  startsAt: new Date(start).toISOString(),
                                  endsAt: new Date(start + 3 * 86_400_000 - 1_000).toISOString(),
                                },
                              ],
                            });
                          }}
                        >
                          {t('earning.addPromotion')}
                        </Button>
                      </>
                    )}
                  </FormLayout>
                </BlockStack>
              </Card>
              <Text as="h2" variant="headingMd">
                {t('rewards.title')}
              </Text>
              {errors.rewards && (
                <Text as="p" tone="critical">
                  {errors.rewards}
                </Text>
              )}
              {draft.rewards.map((reward, index) => (
                <RewardEditor
                  key={index}
                  reward={reward}
                  index={index}
                  unit={unit}
                  currency={program.currency}
                  onChange={(changed) => setDraft({ ...draft, rewards: updateList(draft.rewards, index, changed) })}
                  onPrice={(variantId, minor) => setPrices({ ...prices, [variantId]: minor })}
                  onRemove={() => setDraft({ ...draft, rewards: draft.rewards.filter((_, at) => at !== index) })}
                />
              ))}
              <InlineStack>
                <Button onClick={() => setDraft({ ...draft, rewards: [...draft.rewards, newReward(unit)] })}>{t('rewards.add')}</Button>
              </InlineStack>
              <TierEditor program={draft} errors={errors} onChange={(tiers) => setDraft({ ...draft, ...tiers })} />
              <PosSettings program={draft} onChange={(pos) => setDraft({ ...draft, pos })} />
              <Card>
                <BlockStack gap="300">
                  <Text as="h2" variant="headingMd">
                    {t('settings.title')}
                  </Text>
                  <FormLayout>
                    <FormLayout.Group>
                      <NumberField
                        label={t('settings.pendingDays')}
                        integer
                        path="pendingDays"
                        value={draft.pendingDays}
                        onChange={(pendingDays) => setDraft({ ...draft, pendingDays })}
                      />
                      <Select
                        label={t('settings.negativeBalance')}
                        options={[
                          { label: t('negative.allow'), value: 'allow' },
                          { label: t('negative.stop_at_zero'), value: 'stop_at_zero' },
                        ]}
                        value={draft.negativeBalance}
                        onChange={(negativeBalance) => setDraft({ ...draft, negativeBalance: negativeBalance as Program['negativeBalance'] })}
                      />
                    </FormLayout.Group>
                    <FormLayout.Group>
                      <Select
                        label={t('settings.expiry')}
                        options={(['none', 'inactivity', 'batch'] as const).map((mode) => ({ label: t(`expiry.${mode}`), value: mode }))}
                        value={draft.expiry.mode}
                        onChange={(mode) => setDraft({ ...draft, expiry: { ...draft.expiry, mode: mode as Program['expiry']['mode'] } })}
                      />
                      <NumberField
                        label={t('settings.expiryDays')}
                        integer
                        path="expiry.days"
                        value={draft.expiry.days}
                        onChange={(days) => setDraft({ ...draft, expiry: { ...draft.expiry, days } })}
                      />
                      <NumberField
                        label={t('settings.reminderDays')}
                        integer
                        path="expiry.reminderDaysBefore"
                        value={draft.expiry.reminderDaysBefore}
                        onChange={(reminderDaysBefore) => setDraft({ ...draft, expiry: { ...draft.expiry, reminderDaysBefore } })}
                      />
                    </FormLayout.Group>
                    <Checkbox
                      label={t('settings.returnOnRefund')}
                      checked={draft.redemption.returnPointsOnOrderRefund}
                      onChange={(returnPointsOnOrderRefund) => setDraft({ ...draft, redemption: { ...draft.redemption, returnPointsOnOrderRefund } })}
                    />
                    <Checkbox
                      label={t('settings.returnOnExpiry')}
                      checked={draft.redemption.returnPointsForExpiredCodes}
                      onChange={(returnPointsForExpiredCodes) =>
                        setDraft({ ...draft, redemption: { ...draft.redemption, returnPointsForExpiredCodes } })
                      }
                    />
                    <FormLayout.Group>
                      <ColorField
                        label={t('widget.primaryColor')}
                        path="widget.primaryColor"
                        value={draft.widget.primaryColor}
                        onChange={(primaryColor) => setDraft({ ...draft, widget: { ...draft.widget, primaryColor } })}
                      />
                      <ColorField
                        label={t('widget.textColor')}
                        path="widget.textColor"
                        value={draft.widget.textColor}
                        onChange={(textColor) => setDraft({ ...draft, widget: { ...draft.widget, textColor } })}
                      />
                      <Select
                        label={t('widget.position')}
                        options={[
                          { label: t('widget.bottomRight'), value: 'bottom-right' },
                          { label: t('widget.bottomLeft'), value: 'bottom-left' },
                        ]}
                        value={draft.widget.position}
                        onChange={(position) =>
                          setDraft({ ...draft, widget: { ...draft.widget, position: position as Program['widget']['position'] } })
                        }
                      />
                    </FormLayout.Group>
                    <div id="field-widget-languages">
                      <ChoiceList
                        allowMultiple
                        title={t('widget.languages')}
                        choices={(['en', 'fr', 'de', 'es'] as const).map((language) => ({ label: t(`language.${language}`), value: language }))}
                        selected={draft.widget.languages}
                        onChange={(languages) =>
                          setDraft({ ...draft, widget: { ...draft.widget, languages: languages as Program['widget']['languages'] } })
                        }
                        error={errors['widget.languages']}
                      />
                    </div>
                  </FormLayout>
                </BlockStack>
              </Card>
            </BlockStack>
          </Layout.Section>
          <Layout.Section variant="oneThird">
            <EconomicsPanel program={draft} prices={prices} />
          </Layout.Section>
        </Layout>
      </FieldErrors.Provider>
    </Page>
  );
}

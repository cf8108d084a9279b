import { BlockStack, Button, Card, Checkbox, FormLayout, InlineStack, Select, Text } from '@shopify/polaris';
import { useMemo, useState } from 'react';
import { currencyDecimals } from '../../../../server/platform/money.js';
import type { Program } from '../../../../server/program/program.js';
import { ApiError, api } from '../../api.js';
import type { Notify } from '../../App.js';
import { humanErrors } from '../../errors.js';
import { SaveBar } from '../../save-bar.js';
import { ErrorSummary } from '../ErrorSummary.js';
import { DateField, FieldErrors, MoneyField, NumberField, TextInput } from '../fields.js';
import { et } from './strings.js';

type Actions = Program['actions'];
type Badge = Program['badges'][number];
type Challenge = Program['challenges'][number];
type Cause = Program['causes'][number];
const SAVE_BAR_ID = 'engagement-save-bar';
const MILESTONES: Array<Badge['milestone']> = ['first_order', 'orders', 'review', 'referral'];

const replaceAt = <T,>(list: T[], index: number, item: T) => list.map((other, at) => (at === index ? item : other));
const newId = (prefix: string) => `${prefix}-${Date.now().toString(36)}`;

/** Networks as the merchant types them ("Instagram, tiktok"): the program keeps lower-case names. */
function networksOf(text: string): string[] {
  return text
    .split(',')
    .map((network) => network.trim().toLowerCase())
    .filter((network) => network !== '');
}

function Toggled({
  label,
  path,
  value,
  onChange,
}: {
  label: string;
  path: string;
  value: { enabled: boolean; points: number };
  onChange(value: { enabled: boolean; points: number }): void;
}) {
  return (
    <FormLayout.Group>
      <Checkbox label={label} checked={value.enabled} onChange={(enabled) => onChange({ ...value, enabled })} />
      <NumberField label={et('points')} path={`${path}.points`} integer value={value.points} onChange={(points) => onChange({ ...value, points })} />
    </FormLayout.Group>
  );
}

/**
 * The program's engagement settings (docs/engagement.md): actions, referrals, the NPS survey, badges,
 * challenges, causes and transfers, saved with the whole program (PUT /api/program) behind the save bar.
 */
export function EngagementSettings({ program, onSaved, notify }: { program: Program; onSaved(program: Program): void; notify: Notify }) {
  const [draft, setDraft] = useState(program);
  const [networks, setNetworks] = useState(program.actions.socialFollow.networks.join(', '));
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [saving, setSaving] = useState(false);
  const unit = 10 ** currencyDecimals(program.currency);
  const dirty = useMemo(() => JSON.stringify(draft) !== JSON.stringify(program), [draft, program]);
  const actions = draft.actions;
  const setActions = (change: Partial<Actions>) => setDraft({ ...draft, actions: { ...actions, ...change } });
  const referrals = draft.referrals;
  const setReferrals = (change: Partial<Program['referrals']>) => setDraft({ ...draft, referrals: { ...referrals, ...change } });
  const transfers = draft.transfers;
  const setTransfers = (change: Partial<Program['transfers']>) => setDraft({ ...draft, transfers: { ...transfers, ...change } });
  const setBadge = (index: number, badge: Badge) => setDraft({ ...draft, badges: replaceAt(draft.badges, index, badge) });
  const setChallenge = (index: number, challenge: Challenge) => setDraft({ ...draft, challenges: replaceAt(draft.challenges, index, challenge) });
  const setCause = (index: number, cause: Cause) => setDraft({ ...draft, causes: replaceAt(draft.causes, index, cause) });

  const save = async () => {
    setSaving(true);
    try {
      const saved = await api<Program>('/program', { method: 'PUT', body: draft });
      setErrors({});
      setDraft(saved);
      setNetworks(saved.actions.socialFollow.networks.join(', '));
      onSaved(saved);
      notify(et('saved'));
    } catch (error) {
      if (error instanceof ApiError && error.status === 422) setErrors(humanErrors(error.errors));
      notify(error instanceof Error ? error.message : String(error), true);
    } finally {
      setSaving(false);
    }
  };
  const discard = () => {
    setDraft(program);
    setNetworks(program.actions.socialFollow.networks.join(', '));
    setErrors({});
  };

  return (
    <FieldErrors.Provider value={errors}>
      <SaveBar id={SAVE_BAR_ID} dirty={dirty} saving={saving} onSave={() => void save()} onDiscard={discard} />
      <BlockStack gap="400">
        <ErrorSummary errors={errors} label={(path) => path} />
        <Card>
          <FormLayout>
            <Text as="h2" variant="headingMd">
              {et('actions.title')}
            </Text>
            <Text as="p" tone="subdued">
              {et('actions.help')}
            </Text>
            <Toggled label={et('actions.signup')} path="actions.signup" value={actions.signup} onChange={(signup) => setActions({ signup })} />
            <Toggled
              label={et('actions.birthday')}
              path="actions.birthday"
              value={actions.birthday}
              onChange={(birthday) => setActions({ birthday })}
            />
            <Toggled
              label={et('actions.newsletter')}
              path="actions.newsletter"
              value={actions.newsletter}
              onChange={(newsletter) => setActions({ newsletter })}
            />
            <Toggled
              label={et('actions.socialFollow')}
              path="actions.socialFollow"
              value={actions.socialFollow}
              onChange={(value) => setActions({ socialFollow: { ...actions.socialFollow, ...value } })}
            />
            <TextInput
              label={et('actions.networks')}
              path="actions.socialFollow.networks"
              helpText={et('actions.networksHelp')}
              value={networks}
              onChange={(text) => {
                setNetworks(text);
                setActions({ socialFollow: { ...actions.socialFollow, networks: networksOf(text) } });
              }}
            />
            <Toggled
              label={et('actions.review')}
              path="actions.review"
              value={actions.review}
              onChange={(value) => setActions({ review: { ...actions.review, ...value } })}
            />
            <NumberField
              label={et('actions.perMonth')}
              path="actions.review.perMonth"
              integer
              value={actions.review.perMonth}
              onChange={(perMonth) => setActions({ review: { ...actions.review, perMonth } })}
            />
          </FormLayout>
        </Card>

        <Card>
          <FormLayout>
            <Text as="h2" variant="headingMd">
              {et('referrals.title')}
            </Text>
            <Checkbox label={et('referrals.enabled')} checked={referrals.enabled} onChange={(enabled) => setReferrals({ enabled })} />
            <NumberField
              label={et('referrals.referrerPoints')}
              path="referrals.referrerPoints"
              integer
              value={referrals.referrerPoints}
              onChange={(referrerPoints) => setReferrals({ referrerPoints })}
            />
            <FormLayout.Group>
              <Select
                label={et('referrals.friendKind')}
                options={[
                  { label: et('referrals.percentage'), value: 'percentage_off' },
                  { label: et('referrals.amount'), value: 'amount_off' },
                ]}
                value={referrals.friendDiscount.kind}
                onChange={(kind) =>
                  setReferrals({
                    friendDiscount: kind === 'amount_off' ? { kind, value: 5 * unit } : { kind: 'percentage_off', value: 10 },
                  })
                }
              />
              {referrals.friendDiscount.kind === 'percentage_off' ? (
                <NumberField
                  label={et('referrals.friendValue')}
                  path="referrals.friendDiscount.value"
                  integer
                  suffix="%"
                  value={referrals.friendDiscount.value}
                  onChange={(value) => setReferrals({ friendDiscount: { ...referrals.friendDiscount, value } })}
                />
              ) : (
                <MoneyField
                  label={et('referrals.friendValue')}
                  path="referrals.friendDiscount.value"
                  minor={referrals.friendDiscount.value}
                  unit={unit}
                  currency={program.currency}
                  onChange={(value) => setReferrals({ friendDiscount: { ...referrals.friendDiscount, value } })}
                />
              )}
            </FormLayout.Group>
            <NumberField
              label={et('referrals.monthlyCap')}
              path="referrals.monthlyCap"
              integer
              value={referrals.monthlyCap ?? Number.NaN}
              onChange={(cap) => setReferrals({ monthlyCap: Number.isNaN(cap) ? null : cap })}
            />
            <Text as="p" tone="subdued">
              {et('referrals.help')}
            </Text>
          </FormLayout>
        </Card>

        <Card>
          <FormLayout>
            <Text as="h2" variant="headingMd">
              {et('surveys.title')}
            </Text>
            <Toggled
              label={et('surveys.enabled')}
              path="surveys.nps"
              value={draft.surveys.nps}
              onChange={(value) => setDraft({ ...draft, surveys: { nps: { ...draft.surveys.nps, ...value } } })}
            />
            <NumberField
              label={et('surveys.periodDays')}
              path="surveys.nps.periodDays"
              integer
              value={draft.surveys.nps.periodDays}
              onChange={(periodDays) => setDraft({ ...draft, surveys: { nps: { ...draft.surveys.nps, periodDays } } })}
            />
          </FormLayout>
        </Card>

        <Card>
          <BlockStack gap="300">
            <Text as="h2" variant="headingMd">
              {et('badges.title')}
            </Text>
            {draft.badges.map((badge, index) => (
              <FormLayout.Group key={badge.id} condensed>
                <TextInput
                  label={et('badges.name')}
                  path={`badges.${index}.name`}
                  value={badge.name}
                  onChange={(name) => setBadge(index, { ...badge, name })}
                />
                <Select
                  label={et('badges.milestone')}
                  options={MILESTONES.map((milestone) => ({ label: et(`badges.${milestone}`), value: milestone }))}
                  value={badge.milestone}
                  onChange={(milestone) => setBadge(index, { ...badge, milestone: milestone as Badge['milestone'] })}
                />
                <NumberField
                  label={et('badges.count')}
                  path={`badges.${index}.count`}
                  integer
                  value={badge.count}
                  onChange={(count) => setBadge(index, { ...badge, count })}
                />
                <NumberField
                  label={et('points')}
                  path={`badges.${index}.points`}
                  integer
                  value={badge.points}
                  onChange={(points) => setBadge(index, { ...badge, points })}
                />
                <Button tone="critical" variant="plain" onClick={() => setDraft({ ...draft, badges: draft.badges.filter((_, at) => at !== index) })}>
                  {et('remove')}
                </Button>
              </FormLayout.Group>
            ))}
            <InlineStack>
              <Button
                onClick={() =>
                  setDraft({
                    ...draft,
                    badges: [...draft.badges, { id: newId('badge'), name: et('badges.orders'), milestone: 'orders', count: 10, points: 0 }],
                  })
                }
              >
                {et('badges.add')}
              </Button>
            </InlineStack>
          </BlockStack>
        </Card>

        <Card>
          <BlockStack gap="300">
            <Text as="h2" variant="headingMd">
              {et('challenges.title')}
            </Text>
            {draft.challenges.map((challenge, index) => (
              <FormLayout key={challenge.id}>
                <FormLayout.Group condensed>
                  <TextInput
                    label={et('challenges.name')}
                    path={`challenges.${index}.name`}
                    value={challenge.name}
                    onChange={(name) => setChallenge(index, { ...challenge, name })}
                  />
                  <NumberField
                    label={et('challenges.orders')}
                    path={`challenges.${index}.orders`}
                    integer
                    value={challenge.orders}
                    onChange={(orders) => setChallenge(index, { ...challenge, orders })}
                  />
                  <NumberField
                    label={et('points')}
                    path={`challenges.${index}.points`}
                    integer
                    value={challenge.points}
                    onChange={(points) => setChallenge(index, { ...challenge, points })}
                  />
                </FormLayout.Group>
                <FormLayout.Group condensed>
                  <DateField
                    label={et('challenges.startsAt')}
                    path={`challenges.${index}.startsAt`}
                    value={challenge.startsAt}
                    onChange={(startsAt) => setChallenge(index, { ...challenge, startsAt })}
                  />
                  <DateField
                    label={et('challenges.endsAt')}
                    path={`challenges.${index}.endsAt`}
                    endOfDay
                    value={challenge.endsAt}
                    onChange={(endsAt) => setChallenge(index, { ...challenge, endsAt })}
                  />
                  <Button
                    tone="critical"
                    variant="plain"
                    onClick={() => setDraft({ ...draft, challenges: draft.challenges.filter((_, at) => at !== index) })}
                  >
                    {et('remove')}
                  </Button>
                </FormLayout.Group>
              </FormLayout>
            ))}
            <InlineStack>
              <Button
                onClick={() => {
                  const now = new Date();
                  const start = Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), 1);
                  const end = Date.UTC(now.getUTCFullYear(), now.getUTCMonth() + 1, 1) - 1_000;
                  setDraft({
                    ...draft,
                    challenges: [
                      ...draft.challenges,
                      {
                        id: newId('challenge'),
                        name: et('challenges.newName'),
                        orders: 3,
                        points: 200,
                        startsAt: new Date(start).toISOString(),
                        endsAt: new Date(end).toISOString(),
                      },
                    ],
                  });
                }}
              >
                {et('challenges.add')}
              </Button>
            </InlineStack>
          </BlockStack>
        </Card>

        <Card>
          <BlockStack gap="300">
            <Text as="h2" variant="headingMd">
              {et('causes.title')}
            </Text>
            <Text as="p" tone="subdued">
              {et('causes.help')}
            </Text>
            {draft.causes.map((cause, index) => (
              <FormLayout key={cause.id}>
                <FormLayout.Group condensed>
                  <TextInput
                    label={et('causes.name')}
                    path={`causes.${index}.name`}
                    value={cause.name}
                    onChange={(name) => setCause(index, { ...cause, name })}
                  />
                  <MoneyField
                    label={et('causes.money')}
                    path={`causes.${index}.moneyPer1000Points`}
                    minor={cause.moneyPer1000Points}
                    unit={unit}
                    currency={program.currency}
                    onChange={(moneyPer1000Points) => setCause(index, { ...cause, moneyPer1000Points })}
                  />
                </FormLayout.Group>
                <TextInput
                  label={et('causes.description')}
                  path={`causes.${index}.description`}
                  value={cause.description}
                  multiline={2}
                  onChange={(description) => setCause(index, { ...cause, description })}
                />
                <InlineStack gap="400">
                  <Checkbox label={et('enabled')} checked={cause.enabled} onChange={(enabled) => setCause(index, { ...cause, enabled })} />
                  <Button
                    tone="critical"
                    variant="plain"
                    onClick={() => setDraft({ ...draft, causes: draft.causes.filter((_, at) => at !== index) })}
                  >
                    {et('remove')}
                  </Button>
                </InlineStack>
              </FormLayout>
            ))}
            <InlineStack>
              <Button
                onClick={() =>
                  setDraft({
                    ...draft,
                    causes: [
                      ...draft.causes,
                      { id: newId('cause'), name: et('causes.newName'), description: '', enabled: true, moneyPer1000Points: 5 * unit },
                    ],
                  })
                }
              >
                {et('causes.add')}
              </Button>
            </InlineStack>
          </BlockStack>
        </Card>

        <Card>
          <FormLayout>
            <Text as="h2" variant="headingMd">
              {et('transfers.title')}
            </Text>
            <Checkbox label={et('transfers.enabled')} checked={transfers.enabled} onChange={(enabled) => setTransfers({ enabled })} />
            <FormLayout.Group condensed>
              <NumberField
                label={et('transfers.minPoints')}
                path="transfers.minPoints"
                integer
                value={transfers.minPoints}
                onChange={(minPoints) => setTransfers({ minPoints })}
              />
              <NumberField
                label={et('transfers.maxPerTransfer')}
                path="transfers.maxPerTransfer"
                integer
                value={transfers.maxPerTransfer}
                onChange={(maxPerTransfer) => setTransfers({ maxPerTransfer })}
              />
              <NumberField
                label={et('transfers.maxPerMonth')}
                path="transfers.maxPerMonth"
                integer
                value={transfers.maxPerMonth}
                onChange={(maxPerMonth) => setTransfers({ maxPerMonth })}
              />
            </FormLayout.Group>
          </FormLayout>
        </Card>
      </BlockStack>
    </FieldErrors.Provider>
  );
}

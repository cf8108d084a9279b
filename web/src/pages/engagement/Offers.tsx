import { BlockStack, Card, Checkbox, FormLayout, Text } from '@shopify/polaris';
import { useEffect, useState } from 'react';
import { SaveBar } from '../../save-bar.js';
import type { OfferSettings } from '../../../../server/engagement/index.js';
import { ApiError, api } from '../../api.js';
import type { Notify } from '../../App.js';
import { humanErrors } from '../../errors.js';
import { FieldErrors, NumberField, TextInput } from '../fields.js';
import { Loading } from './EngagementReports.js';
import { et } from './strings.js';

interface Versioned {
  version: number;
  settings: OfferSettings;
}

/** Personalised offers (GET/PUT /api/engagement/offers): win-back and birthday-month bonuses, saved as a version. */
export function Offers({ notify }: { notify: Notify }) {
  const [stored, setStored] = useState<Versioned | null>(null);
  const [draft, setDraft] = useState<OfferSettings | null>(null);
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [saving, setSaving] = useState(false);
  const [loadError, setLoadError] = useState<string | null>(null);

  useEffect(() => {
    api<Versioned>('/engagement/offers').then(
      (loaded) => {
        setStored(loaded);
        setDraft(loaded.settings);
      },
      (error: Error) => setLoadError(error.message),
    );
  }, []);

  if (!stored || !draft)
    return (
      <Card>
        <Loading error={loadError} />
      </Card>
    );
  const save = async () => {
    setSaving(true);
    try {
      const saved = await api<Versioned>('/engagement/offers', { method: 'PUT', body: { version: stored.version, settings: draft } });
      setErrors({});
      setStored(saved);
      notify(et('offers.saved'));
    } catch (error) {
      if (error instanceof ApiError && error.status === 422) setErrors(humanErrors(error.errors));
      notify(error instanceof Error ? error.message : String(error), true);
    } finally {
      setSaving(false);
    }
  };
  const winBack = draft.winBack;
  const birthday = draft.birthday;
  const setWinBack = (change: Partial<OfferSettings['winBack']>) => setDraft({ ...draft, winBack: { ...winBack, ...change } });
  const setBirthday = (change: Partial<OfferSettings['birthday']>) => setDraft({ ...draft, birthday: { ...birthday, ...change } });

  return (
    <Card>
      <FieldErrors.Provider value={errors}>
        <BlockStack gap="300">
          <Text as="h2" variant="headingMd">
            {et('offers.title')}
          </Text>
          <Text as="p" tone="subdued">
            {et('offers.help')}
          </Text>
          <FormLayout>
            <Checkbox label={et('offers.winBack')} checked={winBack.enabled} onChange={(enabled) => setWinBack({ enabled })} />
            <TextInput
              label={et('offers.offerTitle')}
              path="settings.winBack.title"
              value={winBack.title}
              onChange={(title) => setWinBack({ title })}
            />
            <FormLayout.Group condensed>
              <NumberField
                label={et('offers.afterDays')}
                path="settings.winBack.afterDays"
                integer
                value={winBack.afterDays}
                onChange={(afterDays) => setWinBack({ afterDays })}
              />
              <NumberField
                label={et('points')}
                path="settings.winBack.points"
                integer
                value={winBack.points}
                onChange={(points) => setWinBack({ points })}
              />
              <NumberField
                label={et('offers.validDays')}
                path="settings.winBack.validDays"
                integer
                value={winBack.validDays}
                onChange={(validDays) => setWinBack({ validDays })}
              />
            </FormLayout.Group>
            <Checkbox label={et('offers.birthday')} checked={birthday.enabled} onChange={(enabled) => setBirthday({ enabled })} />
            <FormLayout.Group condensed>
              <TextInput
                label={et('offers.offerTitle')}
                path="settings.birthday.title"
                value={birthday.title}
                onChange={(title) => setBirthday({ title })}
              />
              <NumberField
                label={et('points')}
                path="settings.birthday.points"
                integer
                value={birthday.points}
                onChange={(points) => setBirthday({ points })}
              />
            </FormLayout.Group>
          </FormLayout>
          <SaveBar
            id="offers-save-bar"
            dirty={JSON.stringify(draft) !== JSON.stringify(stored.settings)}
            saving={saving}
            onSave={() => void save()}
            onDiscard={() => setDraft(stored.settings)}
          />
        </BlockStack>
      </FieldErrors.Provider>
    </Card>
  );
}

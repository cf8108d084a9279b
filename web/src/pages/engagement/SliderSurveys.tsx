import { BlockStack, Button, Card, Checkbox, FormLayout, InlineStack, Text } from '@shopify/polaris';
import { useEffect, useState } from 'react';
import { SaveBar } from '../../save-bar.js';
import type { SliderResults, SliderSurvey } from '../../../../server/engagement/index.js';
import { ApiError, api } from '../../api.js';
import type { Notify } from '../../App.js';
import { humanErrors } from '../../errors.js';
import { FieldErrors, NumberField, TextInput } from '../fields.js';
import { Loading } from './EngagementReports.js';
import { et } from './strings.js';

interface SurveysState {
  version: number;
  surveys: SliderSurvey[];
  results: SliderResults[];
}

const replaceAt = <T,>(list: T[], index: number, item: T) => list.map((other, at) => (at === index ? item : other));

/** An id from a title: the shopper never sees it, answers are kept under it. */
function slugOf(text: string, taken: string[]): string {
  const base =
    text
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, '-')
      .replace(/^-+|-+$/g, '')
      .slice(0, 30) || 'survey';
  let slug = base === 'nps' ? 'nps-survey' : base;
  for (let n = 2; taken.includes(slug); n++) slug = `${base}-${n}`;
  return slug;
}

function newSurvey(taken: string[]): SliderSurvey {
  return {
    id: slugOf(et('sliders.newTitle'), taken),
    title: et('sliders.newTitle'),
    enabled: true,
    points: 25,
    periodDays: 90,
    questions: [{ id: 'q1', label: et('sliders.newQuestion'), low: et('sliders.newLow'), high: et('sliders.newHigh') }],
  };
}

/**
 * Short slider surveys (GET/PUT /api/engagement/surveys): their questions, points and period, and what
 * shoppers answered. Saved on their own, as a version; an edit on an older version is refused.
 */
export function SliderSurveys({ notify }: { notify: Notify }) {
  const [state, setState] = useState<SurveysState | null>(null);
  const [draft, setDraft] = useState<SliderSurvey[]>([]);
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [saving, setSaving] = useState(false);
  const [loadError, setLoadError] = useState<string | null>(null);

  const reload = () =>
    api<SurveysState>('/engagement/surveys').then(
      (loaded) => {
        setState(loaded);
        setDraft(loaded.surveys);
      },
      (error: Error) => setLoadError(error.message),
    );
  useEffect(() => {
    void reload();
  }, []);

  const save = async () => {
    if (!state) return;
    setSaving(true);
    try {
      const saved = await api<{ version: number; surveys: SliderSurvey[] }>('/engagement/surveys', {
        method: 'PUT',
        body: { version: state.version, surveys: draft },
      });
      setErrors({});
      setState({ ...state, ...saved });
      notify(et('sliders.saved'));
    } catch (error) {
      if (error instanceof ApiError && error.status === 422) setErrors(humanErrors(error.errors));
      notify(error instanceof Error ? error.message : String(error), true);
    } finally {
      setSaving(false);
    }
  };

  if (!state)
    return (
      <Card>
        <Loading error={loadError} />
      </Card>
    );
  const setSurvey = (index: number, survey: SliderSurvey) => setDraft(replaceAt(draft, index, survey));
  const dirty = JSON.stringify(draft) !== JSON.stringify(state.surveys);

  return (
    <Card>
      <FieldErrors.Provider value={errors}>
        <BlockStack gap="400">
          <Text as="h2" variant="headingMd">
            {et('sliders.title')}
          </Text>
          <Text as="p" tone="subdued">
            {et('sliders.help')}
          </Text>
          {draft.map((survey, index) => {
            const results = state.results.find((result) => result.id === survey.id);
            const path = `surveys.${index}`;
            return (
              <BlockStack gap="200" key={survey.id}>
                <FormLayout>
                  <FormLayout.Group condensed>
                    <TextInput
                      label={et('sliders.surveyTitle')}
                      path={`${path}.title`}
                      value={survey.title}
                      onChange={(title) => setSurvey(index, { ...survey, title })}
                    />
                    <NumberField
                      label={et('points')}
                      path={`${path}.points`}
                      integer
                      value={survey.points}
                      onChange={(points) => setSurvey(index, { ...survey, points })}
                    />
                    <NumberField
                      label={et('surveys.periodDays')}
                      path={`${path}.periodDays`}
                      integer
                      value={survey.periodDays}
                      onChange={(periodDays) => setSurvey(index, { ...survey, periodDays })}
                    />
                  </FormLayout.Group>
                  {survey.questions.map((question, at) => {
                    const setQuestion = (change: Partial<SliderSurvey['questions'][number]>) =>
                      setSurvey(index, { ...survey, questions: replaceAt(survey.questions, at, { ...question, ...change }) });
                    return (
                      <FormLayout.Group condensed key={question.id}>
                        <TextInput
                          label={et('sliders.question')}
                          path={`${path}.questions.${at}.label`}
                          value={question.label}
                          onChange={(label) => setQuestion({ label })}
                        />
                        <TextInput
                          label={et('sliders.low')}
                          path={`${path}.questions.${at}.low`}
                          value={question.low}
                          onChange={(low) => setQuestion({ low })}
                        />
                        <TextInput
                          label={et('sliders.high')}
                          path={`${path}.questions.${at}.high`}
                          value={question.high}
                          onChange={(high) => setQuestion({ high })}
                        />
                      </FormLayout.Group>
                    );
                  })}
                </FormLayout>
                <InlineStack gap="400" blockAlign="center">
                  <Checkbox label={et('enabled')} checked={survey.enabled} onChange={(enabled) => setSurvey(index, { ...survey, enabled })} />
                  {survey.questions.length < 5 && (
                    <Button
                      variant="plain"
                      onClick={() =>
                        setSurvey(index, {
                          ...survey,
                          questions: [
                            ...survey.questions,
                            {
                              id: `q${Math.max(0, ...survey.questions.map((question) => Number(question.id.slice(1)) || 0)) + 1}`,
                              label: et('sliders.newQuestion'),
                              low: et('sliders.newLow'),
                              high: et('sliders.newHigh'),
                            },
                          ],
                        })
                      }
                    >
                      {et('sliders.addQuestion')}
                    </Button>
                  )}
                  <Button variant="plain" tone="critical" onClick={() => setDraft(draft.filter((_, at) => at !== index))}>
                    {et('remove')}
                  </Button>
                </InlineStack>
                {results && results.responses > 0 && (
                  <Text as="p" tone="subdued">
                    {et('sliders.results', { count: results.responses })}{' '}
                    {results.questions
                      .map((question) => `${question.label}: ${question.meanTenths === null ? '–' : (question.meanTenths / 10).toFixed(1)}`)
                      .join(' · ')}
                  </Text>
                )}
              </BlockStack>
            );
          })}
          <InlineStack gap="200">
            {draft.length < 5 && (
              <Button onClick={() => setDraft([...draft, newSurvey(draft.map((survey) => survey.id))])}>{et('sliders.add')}</Button>
            )}
          </InlineStack>
          <SaveBar id="slider-surveys-save-bar" dirty={dirty} saving={saving} onSave={() => void save()} onDiscard={() => setDraft(state.surveys)} />
        </BlockStack>
      </FieldErrors.Provider>
    </Card>
  );
}

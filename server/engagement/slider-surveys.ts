import { Schema, type Connection, type Model } from 'mongoose';
import { z } from 'zod';
import { ledgerKeys } from '../ledger/index.js';
import { insertOnce } from '../platform/atomic.js';
import type { AppContext } from '../platform/context.js';
import { modelOn } from '../platform/models.js';
import { creditBonus } from './credit.js';
import { EngagementRefused } from './refusals.js';
import { surveyPeriod } from './rules.js';

/*
 * Short slider surveys beyond NPS (issue 18): a few 0-10 sliders the launcher shows, points once per
 * survey period. Their settings are engagement's own (versioned inserts, like every write here), so
 * the program document keeps its shape; docs/engagement.md.
 */

export const SLIDER_MAX = 10;
const slug = z.string().regex(/^[a-z0-9][a-z0-9-]{0,39}$/, 'lower-case letters, digits and -');

export const sliderSurveySchema = z.object({
  id: slug.refine((id) => id !== 'nps', 'nps is the NPS survey'),
  title: z.string().regex(/\S/, 'is required').trim().max(80),
  enabled: z.boolean(),
  points: z.number().int().min(0).max(100_000),
  periodDays: z.number().int().min(1).max(3650),
  questions: z
    .array(
      z.object({
        id: slug,
        label: z.string().regex(/\S/, 'is required').trim().max(120),
        low: z.string().trim().max(30),
        high: z.string().trim().max(30),
      }),
    )
    .min(1)
    .max(5)
    .refine((questions) => new Set(questions.map((question) => question.id)).size === questions.length, 'question ids must differ'),
});
export const sliderSurveysSchema = z
  .array(sliderSurveySchema)
  .max(5)
  .refine((surveys) => new Set(surveys.map((survey) => survey.id)).size === surveys.length, 'survey ids must differ');
export type SliderSurvey = z.infer<typeof sliderSurveySchema>;

interface SurveySettingsVersion {
  shop: string;
  version: number;
  surveys: SliderSurvey[];
  savedAt: Date;
}
const settingsSchema = new Schema<SurveySettingsVersion>(
  {
    shop: { type: String, required: true },
    version: { type: Number, required: true },
    surveys: { type: Schema.Types.Mixed, required: true },
    savedAt: { type: Date, required: true },
  },
  { collection: 'engagement_slider_survey_settings', versionKey: false },
);
settingsSchema.index({ shop: 1, version: -1 }, { unique: true });
export const sliderSettingsModel = (connection: Connection): Model<SurveySettingsVersion> =>
  modelOn(connection, 'EngagementSliderSurveySettings', settingsSchema);

interface SliderAnswer {
  shop: string;
  customerId: string;
  survey: string;
  period: string;
  answers: Array<{ question: string; value: number }>;
  createdAt: Date;
}
const answerSchema = new Schema<SliderAnswer>(
  {
    shop: { type: String, required: true },
    customerId: { type: String, required: true },
    survey: { type: String, required: true },
    period: { type: String, required: true },
    answers: { type: [{ _id: false, question: String, value: Number }], required: true },
    createdAt: { type: Date, required: true },
  },
  { collection: 'engagement_slider_answers', versionKey: false },
);
answerSchema.index({ shop: 1, customerId: 1, survey: 1, period: 1 }, { unique: true });
answerSchema.index({ shop: 1, survey: 1, createdAt: -1 });
export const sliderAnswerModel = (connection: Connection): Model<SliderAnswer> => modelOn(connection, 'EngagementSliderAnswer', answerSchema);

/** The shop's slider surveys and the version an edit must name; none saved yet is version 0 with no surveys. */
export async function sliderSurveysOf(ctx: AppContext, shop: string): Promise<{ version: number; surveys: SliderSurvey[] }> {
  const latest = await sliderSettingsModel(ctx.connection).findOne({ shop }).sort({ version: -1 }).lean<SurveySettingsVersion>();
  return latest ? { version: latest.version, surveys: latest.surveys } : { version: 0, surveys: [] };
}

/** Saves the surveys as the version after `baseVersion`; an edit made on an older version is refused (409), never merged. */
export async function saveSliderSurveys(
  ctx: AppContext,
  shop: string,
  baseVersion: number,
  surveys: SliderSurvey[],
  now: Date,
): Promise<{ version: number; surveys: SliderSurvey[] } | null> {
  const current = await sliderSurveysOf(ctx, shop);
  if (current.version !== baseVersion) return null;
  const saved = await insertOnce(sliderSettingsModel(ctx.connection), { shop, version: baseVersion + 1, surveys, savedAt: now });
  return saved ? { version: baseVersion + 1, surveys } : null;
}

/** The enabled surveys this customer has not answered in their current period. */
export async function dueSliderSurveys(ctx: AppContext, shop: string, customerId: string, now: Date): Promise<SliderSurvey[]> {
  const { surveys } = await sliderSurveysOf(ctx, shop);
  const enabled = surveys.filter((survey) => survey.enabled);
  const answered = await Promise.all(
    enabled.map((survey) =>
      sliderAnswerModel(ctx.connection).exists({ shop, customerId, survey: survey.id, period: surveyPeriod(now, survey.periodDays) }),
    ),
  );
  return enabled.filter((_survey, index) => answered[index] === null);
}

/**
 * One answer per customer, survey and period (the unique insert keeps the first) and its points once
 * by their ledger key, as for NPS: a retry after a crash between the two still pays, a second answer
 * in the period is refused. Every question must be answered with a whole number from 0 to 10.
 */
export async function answerSliderSurvey(
  ctx: AppContext,
  answer: { shop: string; customerId: string; surveyId: string; values: Record<string, number> },
  now: Date,
): Promise<{ points: number; period: string }> {
  const survey = (await sliderSurveysOf(ctx, answer.shop)).surveys.find((candidate) => candidate.id === answer.surveyId && candidate.enabled);
  if (!survey) throw new EngagementRefused('survey_off', 'This survey is not running');
  const answers = survey.questions.map((question) => ({ question: question.id, value: answer.values[question.id] }));
  if (answers.some(({ value }) => value === undefined || !Number.isInteger(value) || value < 0 || value > SLIDER_MAX))
    throw new EngagementRefused('invalid_answer', `Answer every question with a whole number from 0 to ${SLIDER_MAX}`);
  const period = surveyPeriod(now, survey.periodDays);
  const inserted = await insertOnce(sliderAnswerModel(ctx.connection), {
    shop: answer.shop,
    customerId: answer.customerId,
    survey: survey.id,
    period,
    answers: answers as SliderAnswer['answers'],
    createdAt: now,
  });
  if (survey.points > 0) {
    const result = await creditBonus(
      ctx,
      {
        shop: answer.shop,
        customerId: answer.customerId,
        key: ledgerKeys.surveyAnswered(answer.customerId, `slider-${survey.id}`, period),
        points: survey.points,
        reason: `answered ${survey.title}`,
        source: `survey ${survey.id}`,
      },
      now,
    );
    if (result.appliedNow) return { points: survey.points, period };
  } else if (inserted) return { points: 0, period };
  throw new EngagementRefused('already_rewarded', 'You already answered this survey; it comes back next period');
}

export interface SliderResults {
  id: string;
  responses: number;
  /** Per question: the mean in tenths (73 is 7.3), and how many answered each value 0-10. */
  questions: Array<{ id: string; label: string; meanTenths: number | null; counts: number[] }>;
}

/** What the answers given between `from` and `to` (UTC days, inclusive) add up to, per survey and question. */
export async function sliderResults(ctx: AppContext, shop: string, from: string, to: string): Promise<SliderResults[]> {
  const { surveys } = await sliderSurveysOf(ctx, shop);
  const answers = await sliderAnswerModel(ctx.connection)
    .find(
      { shop, createdAt: { $gte: new Date(`${from}T00:00:00.000Z`), $lt: new Date(Date.parse(`${to}T00:00:00.000Z`) + 86_400_000) } },
      { _id: 0, survey: 1, answers: 1 },
    )
    .lean<Array<Pick<SliderAnswer, 'survey' | 'answers'>>>();
  return surveys.map((survey) => {
    const mine = answers.filter((answer) => answer.survey === survey.id);
    return {
      id: survey.id,
      responses: mine.length,
      questions: survey.questions.map((question) => {
        const values = mine.flatMap((answer) => answer.answers.filter((given) => given.question === question.id).map((given) => given.value));
        const counts = Array.from({ length: SLIDER_MAX + 1 }, (_unused, value) => values.filter((given) => given === value).length);
        const sum = values.reduce((total, value) => total + value, 0);
        return { id: question.id, label: question.label, meanTenths: values.length ? Math.round((sum * 10) / values.length) : null, counts };
      }),
    };
  });
}

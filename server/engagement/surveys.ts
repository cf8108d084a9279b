import { ledgerKeys } from '../ledger/index.js';
import { insertOnce } from '../platform/atomic.js';
import type { AppContext } from '../platform/context.js';
import type { Program } from '../program/index.js';
import { creditBonus } from './credit.js';
import { EngagementRefused } from './refusals.js';
import { monthOf, npsOf, surveyPeriod, type NpsSummary } from './rules.js';
import { engagementSettingsOf } from './settings.js';
import { surveyResponseModel } from './store.js';

const NPS = 'nps';

export interface NpsAnswer {
  shop: string;
  customerId: string;
  score: number;
  comment: string | null;
}

/**
 * One NPS answer per customer per survey period (the unique insert keeps the first), and its
 * points once by their ledger key: a retry after a crash between the two still pays, a second
 * answer in the period is refused.
 */
export async function answerNps(ctx: AppContext, program: Program, answer: NpsAnswer, now: Date): Promise<{ points: number; period: string }> {
  const settings = engagementSettingsOf(program).surveys.nps;
  if (!settings.enabled) throw new EngagementRefused('survey_off', 'This shop runs no survey now');
  const period = surveyPeriod(now, settings.periodDays);
  const inserted = await insertOnce(surveyResponseModel(ctx.connection), { ...answer, survey: NPS, period, createdAt: now });
  if (settings.points > 0) {
    const key = ledgerKeys.surveyAnswered(answer.customerId, NPS, period);
    const result = await creditBonus(
      ctx,
      { shop: answer.shop, customerId: answer.customerId, key, points: settings.points, reason: 'answered the survey', source: 'survey nps' },
      now,
    );
    if (result.appliedNow) return { points: settings.points, period };
  } else if (inserted) return { points: 0, period };
  throw new EngagementRefused('already_rewarded', 'You already answered this survey; it comes back next period');
}

export interface NpsReport extends NpsSummary {
  from: string;
  to: string;
  /** One point per UTC month of the range. */
  trend: Array<{ month: string } & NpsSummary>;
  comments: Array<{ score: number; comment: string; at: string }>;
}

/** The NPS of answers given between `from` and `to` (UTC days, inclusive), its monthly trend and the latest comments. */
export async function npsReport(ctx: AppContext, shop: string, from: string, to: string): Promise<NpsReport> {
  const answers = await surveyResponseModel(ctx.connection)
    .find(
      { shop, survey: NPS, createdAt: { $gte: new Date(`${from}T00:00:00.000Z`), $lt: new Date(Date.parse(`${to}T00:00:00.000Z`) + 86_400_000) } },
      { _id: 0, score: 1, comment: 1, createdAt: 1 },
    )
    .sort({ createdAt: -1 })
    .lean();
  const months = [...new Set(answers.map((answer) => monthOf(answer.createdAt)))].sort();
  return {
    from,
    to,
    ...npsOf(answers.map((answer) => answer.score)),
    trend: months.map((month) => ({
      month,
      ...npsOf(answers.filter((answer) => monthOf(answer.createdAt) === month).map((answer) => answer.score)),
    })),
    comments: answers
      .filter((answer): answer is typeof answer & { comment: string } => typeof answer.comment === 'string' && answer.comment !== '')
      .slice(0, 100)
      .map((answer) => ({ score: answer.score, comment: answer.comment, at: answer.createdAt.toISOString() })),
  };
}

/** Whether the customer may answer now (no answer in the current period). */
export async function npsDue(
  ctx: AppContext,
  program: Program,
  shop: string,
  customerId: string,
  now: Date,
): Promise<{ enabled: boolean; due: boolean; points: number }> {
  const settings = engagementSettingsOf(program).surveys.nps;
  if (!settings.enabled) return { enabled: false, due: false, points: 0 };
  const answered = await surveyResponseModel(ctx.connection).exists({
    shop,
    customerId,
    survey: NPS,
    period: surveyPeriod(now, settings.periodDays),
  });
  return { enabled: true, due: answered === null, points: settings.points };
}

import { mulDivFloor } from '../platform/money.js';
import type { EngagementSettings } from './settings.js';

const DAY_MS = 86_400_000;

/** The UTC calendar month of `now`, `YYYY-MM`: the period of monthly limits. */
export function monthOf(now: Date): string {
  return now.toISOString().slice(0, 7);
}

/** The first UTC day of the survey period `now` falls in: periods of `periodDays` counted from 1970-01-01. */
export function surveyPeriod(now: Date, periodDays: number): string {
  const day = Math.floor(now.getTime() / DAY_MS);
  return new Date((day - (day % periodDays)) * DAY_MS).toISOString().slice(0, 10);
}

export interface NpsSummary {
  score: number;
  responses: number;
  promoters: number;
  passives: number;
  detractors: number;
}

/** Net Promoter Score: the share of promoters (9-10) less the share of detractors (0-6), in percent, rounded. */
export function npsOf(scores: readonly number[]): NpsSummary {
  const promoters = scores.filter((score) => score >= 9).length;
  const detractors = scores.filter((score) => score <= 6).length;
  const responses = scores.length;
  return {
    score: responses === 0 ? 0 : Math.round(((promoters - detractors) * 100) / responses),
    responses,
    promoters,
    passives: responses - promoters - detractors,
    detractors,
  };
}

/** A birthday as the shopper enters it: `MM-DD` or `YYYY-MM-DD` (the year is not kept). */
export function parseBirthday(text: string): string | null {
  const match = /^(?:\d{4}-)?(\d{2})-(\d{2})$/.exec(text);
  if (!match) return null;
  const [month, day] = [Number(match[1]), Number(match[2])];
  // 2000 is a leap year, so 02-29 is a valid birthday.
  const date = new Date(Date.UTC(2000, month - 1, day));
  return date.getUTCMonth() === month - 1 && date.getUTCDate() === day ? `${match[1]}-${match[2]}` : null;
}

/** Whether `now` is in the birthday's month; the year names the once-a-year period. */
export function birthdayMonth(birthday: string, now: Date): { inMonth: boolean; year: string } {
  return { inMonth: now.toISOString().slice(5, 7) === birthday.slice(0, 2), year: String(now.getUTCFullYear()) };
}

export type TransferRefusal = 'transfers_off' | 'self_transfer' | 'below_minimum' | 'above_maximum' | 'monthly_limit';

/** Whether the merchant's limits allow a transfer of `points`, given what the sender has sent this month. */
export function transferRefusal(
  settings: EngagementSettings['transfers'],
  transfer: { fromCustomerId: string; toCustomerId: string; points: number; sentThisMonth: number },
): TransferRefusal | null {
  if (!settings.enabled) return 'transfers_off';
  if (transfer.fromCustomerId === transfer.toCustomerId) return 'self_transfer';
  if (transfer.points < settings.minPoints) return 'below_minimum';
  if (transfer.points > settings.maxPerTransfer) return 'above_maximum';
  if (transfer.sentThisMonth + transfer.points > settings.maxPerMonth) return 'monthly_limit';
  return null;
}

/** What a donation of `points` gives the cause, in minor units, rounded down. */
export function donationMoney(points: number, moneyPer1000Points: number): number {
  return mulDivFloor(points, moneyPer1000Points, 1000);
}

export type Milestone = EngagementSettings['badges'][number]['milestone'];

/** What a customer has done so far, as badges count it. */
export interface MilestoneCounts {
  orders: number;
  reviews: number;
  referrals: number;
}

/** The badges these counts reach (whether already awarded or not: awarding is once by its key). */
export function badgesReached(badges: EngagementSettings['badges'], counts: MilestoneCounts): EngagementSettings['badges'] {
  const count = (milestone: Milestone): number =>
    milestone === 'review' ? counts.reviews : milestone === 'referral' ? counts.referrals : counts.orders;
  return badges.filter((badge) => count(badge.milestone) >= (badge.milestone === 'first_order' ? 1 : badge.count));
}

/** Whether a paid order at `paidAt` falls in the challenge's window. */
export function inChallenge(challenge: EngagementSettings['challenges'][number], paidAt: Date): boolean {
  return paidAt.getTime() >= Date.parse(challenge.startsAt) && paidAt.getTime() < Date.parse(challenge.endsAt);
}

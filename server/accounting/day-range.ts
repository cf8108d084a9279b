import { z } from 'zod';

const day = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, 'a date as YYYY-MM-DD')
  .refine(
    (text) => !Number.isNaN(Date.parse(`${text}T00:00:00Z`)) && new Date(`${text}T00:00:00Z`).toISOString().startsWith(text),
    'not a calendar date',
  );

export const MAX_RANGE_DAYS = 731;
const DEFAULT_RANGE_DAYS = 30;

export interface DayRange {
  from: string;
  to: string;
}

export type DayRangeResult = { ok: true; range: DayRange; format: 'json' | 'csv' } | { ok: false; errors: Record<string, string> };

const query = z.object({ from: day.optional(), to: day.optional(), format: z.enum(['json', 'csv']).default('json') });

const shift = (text: string, days: number): string => new Date(Date.parse(`${text}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);

/** `?from&to` (inclusive UTC days; by default the 30 days to today) and `?format=json|csv`. */
export function parseDayRange(input: unknown, now: Date): DayRangeResult {
  const parsed = query.safeParse(input);
  if (!parsed.success) {
    const errors: Record<string, string> = {};
    for (const issue of parsed.error.issues) errors[issue.path.map(String).join('.')] ??= issue.message;
    return { ok: false, errors };
  }
  const to = parsed.data.to ?? now.toISOString().slice(0, 10);
  const from = parsed.data.from ?? shift(to, 1 - DEFAULT_RANGE_DAYS);
  if (from > to) return { ok: false, errors: { from: 'must not be after to' } };
  if (Date.parse(to) - Date.parse(from) >= MAX_RANGE_DAYS * 86_400_000)
    return { ok: false, errors: { from: `the range may span at most ${MAX_RANGE_DAYS} days` } };
  return { ok: true, range: { from, to }, format: parsed.data.format };
}

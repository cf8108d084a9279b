import { t } from '../i18n.js';

/** "as of 14:05" today, "as of 3 Dec, 14:05" before: when the figures the panel reads were computed. */
export function asOfText(asOf: string | Date): string {
  const date = new Date(asOf);
  const time = date.toLocaleTimeString('en', { hour: '2-digit', minute: '2-digit' });
  const today = new Date().toDateString() === date.toDateString();
  return t('figures.asOf', { time: today ? time : `${date.toLocaleDateString('en', { day: 'numeric', month: 'short' })}, ${time}` });
}

let changedHere = false;

/**
 * Says that the admin itself just changed what the figures count (an adjustment, a reward issued,
 * an import): the next read of the figures asks the server for fresh ones instead of its sums of
 * up to a minute ago.
 */
export function figuresChanged(): void {
  changedHere = true;
}

/** `&fresh=1` (or `?fresh=1`) once after `figuresChanged`, else nothing. */
export function freshQuery(separator: '?' | '&'): string {
  if (!changedHere) return '';
  changedHere = false;
  return `${separator}fresh=1`;
}

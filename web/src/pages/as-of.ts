import { t } from '../i18n.js';

/** "as of 14:05" today, "as of 3 Dec, 14:05" before: when the figures the panel reads were computed. */
export function asOfText(asOf: string | Date): string {
  const date = new Date(asOf);
  const time = date.toLocaleTimeString('en', { hour: '2-digit', minute: '2-digit' });
  const today = new Date().toDateString() === date.toDateString();
  return t('figures.asOf', { time: today ? time : `${date.toLocaleDateString('en', { day: 'numeric', month: 'short' })}, ${time}` });
}

import { t } from './i18n.js';

/** The DOM id of the input for a program path ("rewards.0.pointsCost"), so the error banner can focus it. */
export function fieldId(path: string): string {
  return `field-${path.replace(/[^\w-]/g, '-')}`;
}

/** Moves the merchant to a field named in the error banner: scrolls to it and puts the cursor in it. */
export function focusField(path: string): void {
  const target = document.getElementById(fieldId(path));
  if (!target) return;
  const input = target.matches('input, select, textarea, button')
    ? target
    : (target.querySelector<HTMLElement>('input, select, textarea') ?? target.querySelector<HTMLElement>('button'));
  target.scrollIntoView({ block: 'center' });
  (input ?? target).focus();
}

/**
 * The server's validation messages in the merchant's words: zod's defaults ("Too small: expected
 * string to have >=1 characters") become "Can't be empty", "Enter at least 1" and so on; the
 * program's own messages ("a colour such as #1f6feb") are kept and begin with a capital.
 */
export function humanMessage(message: string): string {
  const small = /^Too small: expected (\w+) to (?:be|have) >(=?)(-?[\d.]+)/.exec(message);
  if (small) {
    const [, kind, inclusive, bound] = small;
    if (kind === 'string') return bound === '1' ? t('error.required') : t('error.tooShort', { count: bound! });
    if (kind === 'array') return t('error.chooseAtLeast', { count: bound! });
    return inclusive ? t('error.atLeast', { min: bound! }) : t('error.moreThan', { min: bound! });
  }
  const big = /^Too big: expected (\w+) to (?:be|have) <(=?)(-?[\d.]+)/.exec(message);
  if (big) {
    const [, kind, , bound] = big;
    if (kind === 'string') return t('error.tooLong', { count: bound! });
    if (kind === 'array') return t('error.tooMany', { count: bound! });
    return t('error.atMost', { max: bound! });
  }
  if (/^Invalid input: expected (number|int)/.test(message)) return t('error.number');
  if (/^Invalid (ISO )?datetime/i.test(message)) return t('error.date');
  if (/^Invalid (input|option|string)/.test(message)) return t('error.invalid');
  if (message === 'a Shopify variant id') return t('error.chooseProduct');
  return message.charAt(0).toUpperCase() + message.slice(1);
}

export function humanErrors(errors: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(errors).map(([path, message]) => [path, humanMessage(message)]));
}

/** "The request failed (422)" is no message for a merchant: say what happened instead. */
export function requestFailure(status: number): string {
  if (status === 422) return t('error.fixFields');
  if (status === 409) return t('error.conflict');
  if (status === 401 || status === 403) return t('error.session');
  if (status >= 500) return t('error.server');
  return t('error.request');
}

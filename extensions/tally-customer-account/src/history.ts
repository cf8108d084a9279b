import type { EntryDescription } from '../../../server/storefront/view.js';

export type Translate = (key: string, options?: Record<string, string | number>) => string;

/** A history line in the customer's language, worded from the entry's description as the storefront words it. */
export function historyText(translate: Translate, description: EntryDescription, pointsName: string): string {
  switch (description.kind) {
    case 'order':
    case 'refund':
    case 'cancel':
    case 'edit':
    case 'hold_used':
      return description.order
        ? translate(`history.${description.kind}_named`, { order: description.order })
        : translate(`history.${description.kind}`);
    case 'redeem':
      return description.reward ? translate('history.redeem', { reward: description.reward }) : translate('history.redeem_plain');
    case 'tier':
      return translate('history.tier', { tier: description.tier });
    case 'adjust':
      return translate('history.adjust') + (description.note ? `: ${description.note}` : '');
    case 'other':
      return translate('history.other');
    default:
      return translate(`history.${description.kind}`, { name: pointsName });
  }
}

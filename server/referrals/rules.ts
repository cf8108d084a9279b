/** The referral decisions, in the program's words; no database, no Shopify, time passed in. */

export const REFERRAL_ATTRIBUTE = 'tally_referral';

/** The referral code an order carries: the cart attribute the referral link set, else a discount code that is a referral code. */
export function referralCodeOf(
  order: { noteAttributes: Array<{ name: string; value?: string | null }>; discountCodes: string[] },
  isReferralCode: (code: string) => boolean,
): { code: string; via: 'attribute' | 'discount' } | null {
  const attribute = order.noteAttributes.find((entry) => entry.name === REFERRAL_ATTRIBUTE)?.value?.trim();
  if (attribute) return { code: attribute.toUpperCase(), via: 'attribute' };
  const discount = order.discountCodes.map((code) => code.trim().toUpperCase()).find(isReferralCode);
  return discount ? { code: discount, via: 'discount' } : null;
}

/** What the fraud checks compare of two customers: their email and their addresses, as Shopify keeps them on the profile. */
export interface Identity {
  email: string | null;
  addresses: unknown[];
}

function addressKey(address: unknown): string | null {
  if (typeof address !== 'object' || address === null) return null;
  const fields = address as Record<string, unknown>;
  const part = (name: string) => (typeof fields[name] === 'string' ? (fields[name] as string).toLowerCase().replace(/[^a-z0-9]/g, '') : '');
  const key = [part('address1'), part('zip'), part('country_code') || part('country')].join('|');
  return part('address1') === '' ? null : key;
}

/** Gmail-style dots and +tags name the same inbox: compare what delivers to the same place. */
function mailbox(email: string): string {
  const [local = '', domain = ''] = email.trim().toLowerCase().split('@');
  return `${local.split('+')[0]!.replace(/\./g, '')}@${domain}`;
}

export type RefusalReason = 'self_referral' | 'same_email' | 'same_address' | 'earlier_order' | 'monthly_cap' | 'order_refunded' | 'referrals_off';

/** Whether friend and referrer look like one person. */
export function samePerson(referrer: Identity, friend: Identity): RefusalReason | null {
  if (referrer.email && friend.email && mailbox(referrer.email) === mailbox(friend.email)) return 'same_email';
  const theirs = new Set(referrer.addresses.map(addressKey).filter((key): key is string => key !== null));
  if (friend.addresses.map(addressKey).some((key) => key !== null && theirs.has(key))) return 'same_address';
  return null;
}

export type ReferralState = 'pending' | 'credited' | 'refused' | 'reversed';

/** Where a referral stands, from its outcome and whether its credit was reversed. */
export function referralState(outcome: { verdict: 'credited' | 'refused' } | null, reversed: boolean): ReferralState {
  if (!outcome) return 'pending';
  if (outcome.verdict === 'refused') return 'refused';
  return reversed ? 'reversed' : 'credited';
}

const CODE_ALPHABET = 'ABCDEFGHJKLMNPQRSTUVWXYZ23456789';

/** A code a friend can type: no 0/O or 1/I, 8 characters after the prefix (32^8, about 10^12). */
export function newReferralCode(random: (max: number) => number): string {
  return `REF-${Array.from({ length: 8 }, () => CODE_ALPHABET[random(CODE_ALPHABET.length)]).join('')}`;
}

/**
 * The extensions' conversation with Tally's backend, written against the part of Shopify's
 * `shopify` global it uses, so tests can stand in for Shopify at exactly that boundary.
 */
export interface LoyaltyApi {
  sessionToken: { get(): Promise<string> };
}

export interface CheckoutApi extends LoyaltyApi {
  /** Cart instructions: draft-order checkouts, for one, refuse discount code changes. */
  instructions: { value: { discounts: { canUpdateDiscountCodes: boolean } } };
  /** The discount codes applied to this checkout (`shopify.discountCodes`). */
  discountCodes: { value: Array<{ code: string }> };
  applyDiscountCodeChange(change: { type: 'addDiscountCode'; code: string }): Promise<{ type: 'success' } | { type: 'error'; message: string }>;
}

export interface LoyaltyView {
  customerId: string | null;
  points: { balance: number; pending: number } | null;
  program: { pointsName: string; rewards: Array<{ id: string; type: string; name: string; pointsCost: number; value: string }> };
  codes: Array<{ code: string | null; rewardName: string }>;
  /** This buyer's price of each reward when a tier perk makes it cheaper (what redemption charges). */
  rewardCosts?: Record<string, number> | null;
  order?: { orderId: string; points: number; pending: boolean } | null;
}

/** Tally's public URL, fixed when the extension is built (`shopify app deploy` bundles it). */
export const APP_URL = 'https://tally.example.com';

async function call<T>(
  api: LoyaltyApi,
  appUrl: string,
  path: string,
  init: { method?: string; body?: unknown } = {},
): Promise<{ ok: boolean; status: number; body: T & { message?: string } }> {
  const token = await api.sessionToken.get();
  const response = await fetch(`${appUrl}/extensions${path}`, {
    method: init.method ?? 'GET',
    headers: { Authorization: `Bearer ${token}`, ...(init.body === undefined ? {} : { 'Content-Type': 'application/json' }) },
    body: init.body === undefined ? undefined : JSON.stringify(init.body),
  });
  return { ok: response.ok, status: response.status, body: (await response.json()) as T & { message?: string } };
}

/** The buyer's points and the rewards they can pick; with an order id, what that order earned. */
export async function fetchLoyalty(api: LoyaltyApi, appUrl: string, orderId?: string): Promise<LoyaltyView> {
  const answer = await call<LoyaltyView>(api, appUrl, `/customer${orderId ? `?orderId=${encodeURIComponent(orderId)}` : ''}`);
  if (!answer.ok) throw new Error(answer.body.message ?? `Tally answered ${answer.status}`);
  return answer.body;
}

/** What a reward costs this buyer: the tier's price when they have one, the catalogue's otherwise. */
export function pointsCostOf(view: LoyaltyView, reward: { id: string; pointsCost: number }): number {
  return view.rewardCosts?.[reward.id] ?? reward.pointsCost;
}

/** Rewards that end in a discount code, which is what a checkout can apply. */
export function checkoutRewards(view: LoyaltyView): LoyaltyView['program']['rewards'] {
  return view.program.rewards.filter((reward) => reward.type !== 'store_credit' && reward.type !== 'points_for_money');
}

export type RedeemOutcome = { ok: true; code: string; balance: number } | { ok: false; message: string };

export const CODES_LOCKED_MESSAGE = 'This checkout doesn’t accept discount codes, so rewards can’t be redeemed here. Your points are untouched.';

/** Why this checkout cannot take a reward's code, or null when it can. */
export function redeemBlockedReason(api: Pick<CheckoutApi, 'instructions'>): string | null {
  return api.instructions.value.discounts.canUpdateDiscountCodes ? null : CODES_LOCKED_MESSAGE;
}

/**
 * Redeems through Tally (once per request key) and applies the code to this checkout. The cart
 * instructions are checked first: a redemption debits points, so it must not happen for a code
 * this checkout would refuse.
 */
export async function redeemAndApply(api: CheckoutApi, appUrl: string, rewardId: string, requestKey: string): Promise<RedeemOutcome> {
  const blocked = redeemBlockedReason(api);
  if (blocked) return { ok: false, message: blocked };
  const answer = await call<{ code: string | null; balance: number }>(api, appUrl, '/redemptions', {
    method: 'POST',
    body: { rewardId, requestKey },
  });
  if (answer.status !== 201 || !answer.body.code) return { ok: false, message: answer.body.message ?? 'The reward could not be redeemed' };
  const applied = await api.applyDiscountCodeChange({ type: 'addDiscountCode', code: answer.body.code });
  if (applied.type === 'error')
    return { ok: false, message: `Your code ${answer.body.code} is saved in your account; it could not be applied here: ${applied.message}` };
  return { ok: true, code: answer.body.code, balance: answer.body.balance };
}

const sameCode = (a: string, b: string) => a.toUpperCase() === b.toUpperCase();

/** The shopper's reward code already applied to this checkout, or null: while one is, no second redemption is offered. */
export function appliedRewardCode(view: LoyaltyView, api: Pick<CheckoutApi, 'discountCodes'>): string | null {
  const applied = api.discountCodes.value.map((discount) => discount.code);
  const ours = view.codes.find((held) => held.code !== null && applied.some((code) => sameCode(code, held.code!)));
  return ours?.code ?? null;
}

/** Codes the shopper redeemed earlier and has not used: they can apply one here instead of spending more points. */
export function unusedRewardCodes(view: LoyaltyView, api: Pick<CheckoutApi, 'discountCodes'>): Array<{ code: string; rewardName: string }> {
  const applied = api.discountCodes.value.map((discount) => discount.code);
  return view.codes
    .filter((held): held is { code: string; rewardName: string } => held.code !== null)
    .filter((held) => !applied.some((code) => sameCode(code, held.code)));
}

/** Applies a code the shopper already holds; no points move. */
export async function applyHeldCode(api: CheckoutApi, code: string): Promise<{ ok: true } | { ok: false; message: string }> {
  const blocked = redeemBlockedReason(api);
  if (blocked) return { ok: false, message: blocked };
  const applied = await api.applyDiscountCodeChange({ type: 'addDiscountCode', code });
  return applied.type === 'success' ? { ok: true } : { ok: false, message: `${code} could not be applied here: ${applied.message}` };
}

/** The numeric id in a Shopify GID such as gid://shopify/OrderIdentity/123. */
export function gidNumber(gid: string | undefined): string | undefined {
  return gid ? /\/(\d+)$/.exec(gid)?.[1] : undefined;
}

/**
 * The register's conversation with Tally's backend (/pos), written against the part of Shopify's
 * POS `shopify` global it uses, so tests and the devstore can stand in for POS at exactly that
 * boundary. Every call carries a fresh POS session token; the pinned staff member travels beside
 * it so Tally can record who stood at the register.
 */
export interface SessionApi {
  session: {
    getSessionToken(): Promise<string | undefined>;
    staffMember?: { value: { id: number } | undefined };
    /** The location's currency, which says how many decimals the cart's amounts have. */
    currentSession?: { currency: string };
  };
}

export interface CartLine {
  uuid: string;
  variantId?: number;
  properties: Record<string, string>;
}

export interface CartState {
  subtotal: string;
  customer?: { id: number };
  lineItems: CartLine[];
  cartDiscounts: Array<{ amount: number; discountDescription?: string; type?: string }>;
}

export interface CartApi {
  cart: {
    current: { value: CartState; subscribe(listener: (cart: CartState) => void): () => void };
    addCartCodeDiscount(code: string): Promise<void>;
    removeCartDiscount(): Promise<void>;
    addLineItem(variantId: number, quantity: number, options?: { properties?: Record<string, string> }): Promise<string>;
    removeLineItem(uuid: string): Promise<void>;
    setCustomer(customer: { id: number }): Promise<void>;
  };
}

export interface Reward {
  id: string;
  type: string;
  name: string;
  pointsCost: number;
  affordable: boolean;
  steps: number | null;
  variantId: string | null;
}

export interface HeldReward {
  code: string;
  rewardName: string;
  pointsSpent: number;
}

/** A ledger line as Tally describes it (`description.kind` and its order name, reward or note). */
export interface HistoryEntry {
  points: number;
  pending: number;
  reason: string;
  createdAt: string;
  description: { kind: string; order?: string | null; reward?: string | null; note?: string };
}

export interface Card {
  customerId: string;
  name: string | null;
  email: string | null;
  pointsName: string;
  points: { balance: number; pending: number };
  tier: { name: string } | null;
  nextTier: { name: string; remaining: number } | null;
  punchCard: { every: number; bonusPoints: number; punched: number; ordersToBonus: number } | null;
  history: HistoryEntry[];
  rewards: Reward[];
  heldRewards: HeldReward[];
}

export interface Answer<T> {
  ok: boolean;
  status: number;
  body: T & { error?: string; message?: string };
}

/** Tally's public URL, fixed when the extension is built (`shopify app deploy` bundles it). */
export const APP_URL = 'https://tally.example.com';
/** The cart-line property naming the reward a free item was added for, so giving the reward back removes that line. */
export const REWARD_PROPERTY = '_tally_reward';

export async function call<T>(api: SessionApi, path: string, method = 'GET', body?: unknown): Promise<Answer<T>> {
  const token = await api.session.getSessionToken();
  if (!token)
    return {
      ok: false,
      status: 401,
      body: { message: 'This POS account lacks the Tally app permission' } as Answer<T>['body'],
    };
  const headers: Record<string, string> = { Authorization: `Bearer ${token}` };
  const staff = api.session.staffMember?.value?.id;
  if (staff !== undefined) headers['X-Tally-Staff-Member-Id'] = String(staff);
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  const response = await fetch(`${APP_URL}/pos${path}`, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
  return { ok: response.ok, status: response.status, body: (await response.json()) as Answer<T>['body'] };
}

/** What Tally said when it refused, or its status. */
export function refusal(answer: Answer<unknown>): string {
  return answer.body.message ?? `Tally answered ${answer.status}`;
}

/** One key per tap: the same tap sent twice redeems once. */
export function requestKey(): string {
  return `pos-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 10)}`;
}

/** "Ada · 355 points" */
export function balanceLine(card: Card): string {
  return `${card.name ?? 'Customer'} · ${card.points.balance} ${card.pointsName}`;
}

/** "2026-10-02 · +9 · order #1004" */
export function entryLine(entry: HistoryEntry): string {
  const { kind, order, reward, note } = entry.description;
  const what =
    kind === 'order'
      ? `order ${order ?? ''}`
      : kind === 'refund' || kind === 'cancel'
        ? `${kind === 'refund' ? 'refund' : 'cancellation'} of ${order ?? 'an order'}`
        : kind === 'redeem'
          ? `redeemed ${reward ?? 'a reward'}`
          : (note ?? entry.reason);
  const points = entry.points + entry.pending;
  return `${entry.createdAt.slice(0, 10)} · ${points > 0 ? '+' : ''}${points} · ${what.trim()}`;
}

export function punchLine(card: Card): string | null {
  const punch = card.punchCard;
  if (!punch) return null;
  const orders = punch.ordersToBonus === 1 ? '1 more order' : `${punch.ordersToBonus} more orders`;
  return `Punch card ${punch.punched} of ${punch.every} · ${orders} to ${punch.bonusPoints} bonus ${card.pointsName}`;
}

/** Tally's reward codes on the cart now (POS lists a code discount under its code; Tally's start TALLY-). */
export function codesOnCart(cart: CartState): string[] {
  return cart.cartDiscounts.map((discount) => discount.discountDescription?.toUpperCase() ?? '').filter((code) => code.startsWith('TALLY-'));
}

/**
 * The cart's subtotal in minor units: POS writes decimal amounts in the location's currency (JPY has
 * none, KWD three). The currency's decimals come from the device's ISO 4217 data (Intl): Shopify CLI
 * bundles an extension from its own folder, so it cannot import the server's table.
 */
function subtotalMinor(cart: CartState, currency = 'USD'): number {
  const decimals = new Intl.NumberFormat('en', { style: 'currency', currency }).resolvedOptions().maximumFractionDigits ?? 2;
  return Math.round(Number(cart.subtotal) * 10 ** decimals);
}

export type Outcome = { ok: true; message: string; balance: number } | { ok: false; message: string };

/**
 * Redeems a reward and applies it to the POS cart: a free item's line first, then the code. A
 * replayed request gets its code back and applies it if the cart lacks it. If the cart refuses the
 * code, the reward is given back at once, so no points stay spent on a discount the sale lacks.
 */
export async function redeemOnCart(api: SessionApi & CartApi, customerId: string, reward: Reward, key: string = requestKey()): Promise<Outcome> {
  const answer = await call<{ balance: number; apply?: { code: string; addVariantId: string | null } | null }>(
    api,
    `/customers/${customerId}/redemptions`,
    'POST',
    {
      rewardId: reward.id,
      requestKey: key,
      cartSubtotal: subtotalMinor(api.cart.current.value, api.session.currentSession?.currency),
      // JSON leaves `steps` out unless the reward is points for money.
      steps: reward.steps || undefined,
    },
  );
  const apply = answer.body.apply;
  if (!answer.ok && !(answer.body.error === 'already_redeemed' && apply)) return { ok: false, message: refusal(answer) };
  if (!apply) return { ok: false, message: 'Tally gave no code to apply' };
  const cart = api.cart.current.value;
  if (answer.body.error === 'already_redeemed' && codesOnCart(cart).includes(apply.code))
    return { ok: false, message: answer.body.message ?? 'Already applied' };
  let line: string | null = null;
  try {
    if (apply.addVariantId) line = await api.cart.addLineItem(Number(apply.addVariantId), 1, { properties: { [REWARD_PROPERTY]: apply.code } });
    await api.cart.addCartCodeDiscount(apply.code);
  } catch (error) {
    if (line) await api.cart.removeLineItem(line).catch(() => undefined);
    await call(api, `/customers/${customerId}/redemptions/${apply.code}`, 'DELETE');
    return { ok: false, message: `The sale refused ${reward.name}: ${(error as Error).message}. The points were returned.` };
  }
  return { ok: true, message: `${reward.name} applied (${apply.code})`, balance: answer.body.balance };
}

/** Takes a reward off the sale (its code, and the free line it added) and gives its points back. */
export async function giveBackFromCart(api: SessionApi & CartApi, customerId: string, code: string): Promise<Outcome> {
  const cart = api.cart.current.value;
  if (codesOnCart(cart).includes(code)) await api.cart.removeCartDiscount();
  for (const line of cart.lineItems.filter((item) => item.properties[REWARD_PROPERTY] === code)) await api.cart.removeLineItem(line.uuid);
  const answer = await call<{ pointsReturned: number; balance: number }>(api, `/customers/${customerId}/redemptions/${code}`, 'DELETE');
  return answer.ok
    ? { ok: true, message: `${answer.body.pointsReturned} points returned`, balance: answer.body.balance }
    : { ok: false, message: refusal(answer) };
}

/**
 * Watches the cart for Tally codes that disappear while the sale goes on (staff removed the
 * discount in POS itself) and gives them back. A cart emptied at once is a completed or cleared
 * sale: a completed sale settles its codes through orders/paid, so nothing is given back then.
 */
export function watchRemovedRewards(api: SessionApi & CartApi): () => void {
  let seen: string[] = [];
  let customer: number | undefined;
  return api.cart.current.subscribe((cart) => {
    const now = codesOnCart(cart);
    if (cart.customer && cart.customer.id === customer && cart.lineItems.length > 0)
      for (const code of seen) if (!now.includes(code)) void call(api, `/customers/${customer}/redemptions/${code}`, 'DELETE');
    seen = now;
    customer = cart.customer?.id;
  });
}

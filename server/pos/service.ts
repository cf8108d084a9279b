import { customerProfileOf, searchCustomers, type CustomerMatch } from '../customers/index.js';
import { creditPaidOrderPayload, findOrderPoints } from '../earning/index.js';
import { applyEntry, balanceOf, ledgerKeys, newestEntry } from '../ledger/index.js';
import type { AppContext } from '../platform/context.js';
import { moneyFormatter } from '../platform/money.js';
import { loadProgram, posSettingsOf, type Program } from '../program/index.js';
import {
  cancelRedemption,
  customerRedemptions,
  redeem,
  RedemptionNotCancelled,
  RedemptionRefused,
  redemptionsUsedOn,
  redemptionView,
  type Redemption,
} from '../redemption/index.js';
import { CUSTOMER_CREATE, type CustomerCreateData } from '../shopify/operations.js';
import { adminClientFor } from '../shops/index.js';
import { shopperView, type ShopperView } from '../storefront/index.js';
import {
  actingStaffId,
  adjustingRole,
  adjustmentRefusal,
  attachableUntil,
  offeredAtRegister,
  punchCardProgress,
  registerRewards,
  type RegisterReward,
  type RegisterStaff,
} from './rules.js';
import { attachOnce, findAttachment, findGuestSale, guestSalesSince, recordAction, type RegisterAction } from './store.js';

export type RegisterRefusalCode =
  | 'not_installed'
  | 'unknown_customer'
  | 'unknown_reward'
  | 'unknown_sale'
  | 'not_at_register'
  | 'invalid_request'
  | 'cart_below_minimum'
  | 'insufficient_points'
  | 'already_redeemed'
  | 'already_adjusted'
  | 'already_attached'
  | 'not_cancellable'
  | 'redemption_used'
  | 'over_adjustment_limit'
  | 'attach_window_closed'
  | 'customer_exists'
  | 'shopify_unavailable';

/** What the register cannot do, in words for the cashier; nothing was debited or changed. */
export class RegisterRefused extends Error {
  override readonly name = 'RegisterRefused';
  constructor(
    readonly code: RegisterRefusalCode,
    message: string,
    /** What the register may still need, such as the code a replayed redemption already gave. */
    readonly details: Record<string, unknown> = {},
  ) {
    super(message);
  }
}

const DAY_MS = 86_400_000;
/** Rewards redeemed at the register in the last day and not yet used or given back: what the sale may still be holding. */
const HELD_FOR_MS = DAY_MS;
const GUEST_SALES_LISTED = 20;

async function programOf(ctx: AppContext, shop: string): Promise<Program> {
  const program = await loadProgram(ctx.connection, shop);
  if (!program) throw new RegisterRefused('not_installed', 'Tally is not installed on this shop');
  return program;
}

/** A customer of this shop: one Shopify told us about, or one with points. Another shop's customer is unknown here. */
async function knownCustomer(ctx: AppContext, shop: string, customerId: string): Promise<CustomerMatch> {
  const [profile, newest] = await Promise.all([customerProfileOf(ctx.connection, shop, customerId), newestEntry(ctx.connection, shop, customerId)]);
  if (!profile && !newest) throw new RegisterRefused('unknown_customer', `There is no customer ${customerId} in this shop`);
  return profile ?? { customerId, name: null, email: null, phone: null, redacted: false };
}

function action(
  staff: RegisterStaff,
  shop: string,
  kind: RegisterAction['kind'],
  customerId: string,
  points: number,
  detail: string,
  now: Date,
  roleId: string | null = null,
): RegisterAction {
  return { shop, kind, customerId, userId: staff.userId, staffMemberId: staff.staffMemberId, roleId, points, detail, at: now };
}

export async function findCustomers(ctx: AppContext, shop: string, text: string): Promise<Array<CustomerMatch & { balance: number }>> {
  const matches = await searchCustomers(ctx.connection, shop, text, { limit: 10 });
  const balances = await Promise.all(matches.map((match) => balanceOf(ctx.connection, shop, match.customerId)));
  return matches.map((match, index) => ({ ...match, balance: balances[index]!.available }));
}

/** A reward the sale still holds: redeemed at the register, not yet used by an order nor given back. */
export interface HeldReward {
  code: string;
  rewardId: string;
  rewardName: string;
  pointsSpent: number;
  value: Redemption['value'];
  createdAt: Date;
}

export interface CustomerCard {
  customerId: string;
  name: string | null;
  email: string | null;
  pointsName: string;
  currency: string;
  points: { balance: number; pending: number; lifetimeEarned: number };
  tier: ShopperView['tier'];
  nextTier: ShopperView['nextTier'];
  punchCard: ReturnType<typeof punchCardProgress>;
  history: ShopperView['history'];
  rewards: RegisterReward[];
  heldRewards: HeldReward[];
}

/** What the register shows of a customer: balance, tier, punch card, pending points, the last entries, the rewards on offer. */
export async function customerCard(ctx: AppContext, shop: string, customerId: string, now: Date): Promise<CustomerCard> {
  const program = await programOf(ctx, shop);
  const profile = await knownCustomer(ctx, shop, customerId);
  const [view, newest, redemptions] = await Promise.all([
    shopperView(ctx, shop, customerId, now),
    newestEntry(ctx.connection, shop, customerId),
    customerRedemptions(ctx.connection, shop, customerId, 20),
  ]);
  const points = view?.points ?? { balance: 0, pending: 0, lifetimeEarned: 0 };
  const since = now.getTime() - HELD_FOR_MS;
  return {
    customerId,
    name: profile.name,
    email: profile.email,
    pointsName: program.pointsName,
    currency: program.currency,
    points: { balance: points.balance, pending: points.pending, lifetimeEarned: points.lifetimeEarned },
    tier: view?.tier ?? null,
    nextTier: view?.nextTier ?? null,
    punchCard: punchCardProgress(program, newest?.paidOrders ?? 0),
    history: view?.history ?? [],
    rewards: registerRewards(program, points.balance, (reward) => view?.rewardCosts?.[reward.id] ?? reward.pointsCost),
    heldRewards: redemptions
      .filter(
        (redemption) => redemption.source === 'pos' && redemption.status === 'issued' && redemption.code && redemption.createdAt.getTime() >= since,
      )
      .map((redemption) => ({
        code: redemption.code!,
        rewardId: redemption.rewardId,
        rewardName: redemption.rewardName,
        pointsSpent: redemption.pointsSpent,
        value: redemption.value,
        createdAt: redemption.createdAt,
      })),
  };
}

export interface RegisterRedemptionRequest {
  shop: string;
  customerId: string;
  rewardId: string;
  steps?: number;
  requestKey: string;
  /** The sale's subtotal in minor units, when the register knows it: a reward whose minimum it misses is refused before any debit. */
  cartSubtotal?: number;
  staff: RegisterStaff;
}

/** How the register applies a reward to the sale: the code on the cart, and for a free product the line it adds first. */
export interface ApplyInstructions {
  code: string;
  addVariantId: string | null;
}

function applyInstructions(redemption: Redemption): ApplyInstructions {
  return { code: redemption.code!, addVariantId: redemption.value.kind === 'free_product' ? redemption.value.variantId : null };
}

/**
 * Redeems a reward for the customer at the register through the redemption capability: the same
 * quote at their tier's price, the same request key (one debit however often it is sent) and the
 * same guarded debit as the storefront. A request key used before is refused with the code it
 * gave, so a register that lost the answer can still apply it; nothing more is debited.
 */
export async function redeemAtRegister(ctx: AppContext, request: RegisterRedemptionRequest) {
  const now = ctx.clock();
  const program = await programOf(ctx, request.shop);
  const profile = await knownCustomer(ctx, request.shop, request.customerId);
  const reward = program.rewards.find((candidate) => candidate.id === request.rewardId);
  if (reward && !offeredAtRegister(reward))
    throw new RegisterRefused('not_at_register', `${reward.name} cannot be used at the register: it is redeemed online`);
  if (reward && request.cartSubtotal !== undefined && request.cartSubtotal < reward.minimumOrderAmount)
    throw new RegisterRefused(
      'cart_below_minimum',
      `${reward.name} needs a sale of at least ${moneyFormatter(program.currency)(reward.minimumOrderAmount)}`,
    );
  let result;
  try {
    result = await redeem(ctx, {
      shop: request.shop,
      customerId: request.customerId,
      rewardId: request.rewardId,
      steps: request.steps,
      requestKey: request.requestKey,
      source: 'pos',
      staffId: actingStaffId(request.staff),
    });
  } catch (error) {
    if (!(error instanceof RedemptionRefused)) throw error;
    if (error.code !== 'insufficient_points')
      throw new RegisterRefused(error.code === 'unknown_reward' ? 'unknown_reward' : 'invalid_request', error.message);
    const balance = (await balanceOf(ctx.connection, request.shop, request.customerId)).available;
    throw new RegisterRefused(
      'insufficient_points',
      `Not enough ${program.pointsName}: ${profile.name ?? 'this customer'} has ${balance}, ${reward?.name ?? 'the reward'} costs more. Nothing was taken.`,
      { balance },
    );
  }
  const view = redemptionView(result.redemption);
  if (result.replayed) {
    throw new RegisterRefused('already_redeemed', `This request already redeemed ${view.rewardName} (${view.code}); nothing more was taken`, {
      ...view,
      balance: result.balance,
      apply: view.code ? applyInstructions(result.redemption) : null,
    });
  }
  if (result.redemption.status === 'refunded')
    throw new RegisterRefused('shopify_unavailable', `Shopify could not create ${view.rewardName}; the ${program.pointsName} were returned`, {
      balance: result.balance,
    });
  await recordAction(
    ctx.connection,
    action(request.staff, request.shop, 'redeem', request.customerId, -view.pointsSpent, `${view.rewardName} (${view.code})`, now),
  );
  return { ...view, balance: result.balance, apply: applyInstructions(result.redemption) };
}

/** Staff removed a reward from the sale before payment: the code stops working and the points come back, once. */
export async function giveBackReward(ctx: AppContext, request: { shop: string; customerId: string; code: string; staff: RegisterStaff }) {
  const now = ctx.clock();
  try {
    const result = await cancelRedemption(ctx, {
      shop: request.shop,
      customerId: request.customerId,
      redemptionId: request.code,
      source: 'pos',
      staffId: actingStaffId(request.staff),
    });
    if (result.returnedNow)
      await recordAction(
        ctx.connection,
        action(
          request.staff,
          request.shop,
          'give_back',
          request.customerId,
          result.redemption.pointsSpent,
          `${result.redemption.rewardName} (${result.redemption.code})`,
          now,
        ),
      );
    return { code: result.redemption.code, status: 'cancelled' as const, pointsReturned: result.redemption.pointsSpent, balance: result.balance };
  } catch (error) {
    if (!(error instanceof RedemptionNotCancelled)) throw error;
    throw new RegisterRefused(error.code === 'unknown_redemption' ? 'unknown_reward' : error.code, error.message);
  }
}

export interface RegisterAdjustment {
  shop: string;
  customerId: string;
  points: number;
  reason: string;
  requestKey: string;
  staff: RegisterStaff;
}

/**
 * A manual adjustment at the register, within the limit of the staff's role (the stricter of the
 * account's and the pinned staff member's). Taking points needs the balance to cover them; the
 * request key makes a repeated request change nothing more.
 */
export async function adjustAtRegister(ctx: AppContext, request: RegisterAdjustment) {
  const now = ctx.clock();
  const program = await programOf(ctx, request.shop);
  await knownCustomer(ctx, request.shop, request.customerId);
  const role = adjustingRole(posSettingsOf(program), request.staff);
  const refusal = adjustmentRefusal(role, request.points, program.pointsName);
  if (refusal) throw new RegisterRefused('over_adjustment_limit', refusal, { role: role.name, limit: role.adjustmentLimit });
  const result = await applyEntry(
    ctx.connection,
    {
      shop: request.shop,
      customerId: request.customerId,
      key: ledgerKeys.staffAdjustment(request.customerId, `pos-${request.requestKey}`),
      type: 'adjust',
      available: request.points,
      pending: 0,
      reason: request.reason,
      source: 'pos',
      staffId: actingStaffId(request.staff),
      guard: request.points < 0 ? 'require' : 'none',
    },
    now,
  );
  const balance = (await balanceOf(ctx.connection, request.shop, request.customerId)).available;
  if (result.rejected)
    throw new RegisterRefused(
      'insufficient_points',
      `The balance is ${balance} ${program.pointsName}: ${-request.points} cannot be taken. Nothing changed.`,
      {
        balance,
      },
    );
  if (!result.appliedNow)
    throw new RegisterRefused('already_adjusted', 'This adjustment was already made; nothing more changed', {
      balance,
      points: result.entry?.available,
    });
  await recordAction(ctx.connection, action(request.staff, request.shop, 'adjust', request.customerId, request.points, request.reason, now, role.id));
  return { points: request.points, reason: request.reason, role: role.name, staffId: actingStaffId(request.staff), balance };
}

/**
 * Enrols a new customer from the register: Shopify creates the customer (and announces it with
 * customers/create, which gives Tally the profile); an email already in use is refused so staff
 * look that customer up instead.
 */
export async function enrolCustomer(
  ctx: AppContext,
  request: { shop: string; firstName: string; lastName: string; email: string; staff: RegisterStaff },
): Promise<CustomerMatch> {
  await programOf(ctx, request.shop);
  const data = await adminClientFor(ctx)<CustomerCreateData>(request.shop, CUSTOMER_CREATE, {
    input: { firstName: request.firstName, lastName: request.lastName, email: request.email },
  });
  const { customer, userErrors } = data.customerCreate;
  if (userErrors.some((error) => /taken/i.test(error.message)))
    throw new RegisterRefused('customer_exists', `A customer with ${request.email} already exists: look them up instead`);
  if (!customer || userErrors.length > 0)
    throw new RegisterRefused('invalid_request', userErrors.map((error) => error.message).join('; ') || 'Shopify did not create the customer');
  const customerId = customer.id.split('/').pop()!;
  await recordAction(ctx.connection, action(request.staff, request.shop, 'enrol', customerId, 0, 'enrolled at the register', ctx.clock()));
  return {
    customerId,
    name: [customer.firstName, customer.lastName].filter(Boolean).join(' ') || null,
    email: customer.defaultEmailAddress?.emailAddress ?? null,
    phone: null,
    redacted: false,
  };
}

export type SaleSummary =
  | {
      status: 'credited';
      orderId: string;
      orderName: string | null;
      customerId: string;
      earned: number;
      pending: boolean;
      notes: string[];
      pointsSpent: number;
      balance: number;
    }
  | { status: 'guest'; orderId: string; orderName: string | null; attachableUntil: string | null };

/** What a completed sale earned (the post-purchase block), or, for a guest sale, until when it may be attached. */
export async function saleSummary(ctx: AppContext, shop: string, orderId: string, now: Date): Promise<SaleSummary> {
  const program = await programOf(ctx, shop);
  const [record, guest] = await Promise.all([findOrderPoints(ctx.connection, shop, orderId), findGuestSale(ctx.connection, shop, orderId)]);
  if (record) {
    const used = await redemptionsUsedOn(ctx.connection, shop, orderId);
    return {
      status: 'credited',
      orderId,
      orderName: record.orderName ?? null,
      customerId: record.customerId,
      earned: record.earned,
      pending: record.pendingUntil !== null && record.pendingUntil > now,
      notes: record.notes,
      pointsSpent: used
        .filter((redemption) => redemption.customerId === record.customerId)
        .reduce((sum, redemption) => sum + redemption.pointsSpent, 0),
      balance: (await balanceOf(ctx.connection, shop, record.customerId)).available,
    };
  }
  if (guest) {
    const until = attachableUntil(posSettingsOf(program), guest.paidAt);
    return { status: 'guest', orderId, orderName: guest.orderName, attachableUntil: until && until > now ? until.toISOString() : null };
  }
  throw new RegisterRefused('unknown_sale', 'Tally has not seen this sale yet; points are credited a moment after payment');
}

/** Guest sales still inside the attach window and not attached yet, newest first. */
export async function attachableSales(ctx: AppContext, shop: string, now: Date) {
  const pos = posSettingsOf(await programOf(ctx, shop));
  if (pos.guestAttachDays === 0) return [];
  const sales = await guestSalesSince(ctx.connection, shop, new Date(now.getTime() - pos.guestAttachDays * DAY_MS), GUEST_SALES_LISTED);
  const attached = await Promise.all(sales.map((sale) => findAttachment(ctx.connection, shop, sale.orderId)));
  return sales
    .filter((_, index) => attached[index] === null)
    .map((sale) => ({
      orderId: sale.orderId,
      orderName: sale.orderName,
      subtotal: sale.subtotal,
      currency: sale.currency,
      paidAt: sale.paidAt.toISOString(),
      attachableUntil: attachableUntil(pos, sale.paidAt)!.toISOString(),
    }));
}

/**
 * Attaches a guest sale to a customer, once per order: the attachment is a unique insert, so of
 * two attempts (two registers, a double tap) one stands and the other is refused. The sale then
 * earns as if the customer had been on it, through earning's orders/paid path and its key.
 * Repeating the standing attachment completes it and changes nothing else.
 */
export async function attachGuestSale(ctx: AppContext, request: { shop: string; orderId: string; customerId: string; staff: RegisterStaff }) {
  const now = ctx.clock();
  const program = await programOf(ctx, request.shop);
  const sale = await findGuestSale(ctx.connection, request.shop, request.orderId);
  if (!sale) throw new RegisterRefused('unknown_sale', `There is no guest sale ${request.orderId} from the register`);
  const customer = await knownCustomer(ctx, request.shop, request.customerId);
  const until = attachableUntil(posSettingsOf(program), sale.paidAt);
  const existing = await findAttachment(ctx.connection, request.shop, request.orderId);
  if (!existing && (until === null || until <= now))
    throw new RegisterRefused(
      'attach_window_closed',
      until === null
        ? 'Attaching guest sales is turned off in Tally'
        : `${sale.orderName ?? 'This sale'} could be attached until ${until.toISOString().slice(0, 10)}`,
    );
  const { attached, standing } = await attachOnce(ctx.connection, {
    shop: request.shop,
    orderId: request.orderId,
    customerId: request.customerId,
    userId: request.staff.userId,
    staffMemberId: request.staff.staffMemberId,
    attachedAt: now,
  });
  if (standing.customerId !== request.customerId)
    throw new RegisterRefused('already_attached', `${sale.orderName ?? 'This sale'} is already attached to another customer`);
  const outcome = await creditPaidOrderPayload(ctx, request.shop, { ...sale.payload, customer: { id: request.customerId } }, now);
  const record = await findOrderPoints(ctx.connection, request.shop, request.orderId);
  if (attached)
    await recordAction(
      ctx.connection,
      action(request.staff, request.shop, 'attach', request.customerId, record?.earned ?? 0, `${sale.orderName ?? request.orderId} attached`, now),
    );
  return {
    orderId: request.orderId,
    orderName: sale.orderName,
    customerId: request.customerId,
    name: customer.name,
    earned: record?.earned ?? 0,
    detail: outcome.status === 'processed' ? (outcome.detail ?? '') : outcome.reason,
    balance: (await balanceOf(ctx.connection, request.shop, request.customerId)).available,
    replayed: !attached,
  };
}

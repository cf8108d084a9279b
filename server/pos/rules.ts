import type { PosSettings, Program, Reward } from '../program/index.js';

const DAY_MS = 86_400_000;

/** Who acts at the register: the account the session token names, and the staff member POS says is pinned in. */
export interface RegisterStaff {
  /** The Shopify user the POS session token was issued to (verified). */
  userId: string;
  /** The staff member pinned into POS, as the device reports it; null when none is. */
  staffMemberId: string | null;
}

/** The staff id a POS action is recorded under: the pinned staff member when POS names one, else the account. */
export function actingStaffId(staff: RegisterStaff): string {
  return staff.staffMemberId ?? staff.userId;
}

export interface StaffRole {
  id: string;
  name: string;
  adjustmentLimit: number | null;
}

export function roleOf(pos: PosSettings, staffId: string): StaffRole {
  const roleId = pos.staff.find((member) => member.staffId === staffId)?.roleId ?? pos.defaultRoleId;
  return pos.roles.find((role) => role.id === roleId) ?? pos.roles[0]!;
}

/**
 * The role whose limit applies to a manual adjustment: the stricter of the signed-in account's and
 * the pinned staff member's. The pinned staff member comes from the device, so it may lower the
 * limit the verified account has but never raise it.
 */
export function adjustingRole(pos: PosSettings, staff: RegisterStaff): StaffRole {
  const account = roleOf(pos, staff.userId);
  if (staff.staffMemberId === null || staff.staffMemberId === staff.userId) return account;
  const pinned = roleOf(pos, staff.staffMemberId);
  if (account.adjustmentLimit === null) return pinned;
  if (pinned.adjustmentLimit === null) return account;
  return pinned.adjustmentLimit < account.adjustmentLimit ? pinned : account;
}

/** Why this adjustment is over the role's limit, or null when the role may make it. */
export function adjustmentRefusal(role: StaffRole, points: number, pointsName: string): string | null {
  if (role.adjustmentLimit === null || Math.abs(points) <= role.adjustmentLimit) return null;
  return `${role.name} staff can adjust at most ${role.adjustmentLimit} ${pointsName} at a time; ask a manager for ${Math.abs(points)}`;
}

/** Until when a guest sale paid at `paidAt` may be attached to a customer; null when the merchant turned attaching off. */
export function attachableUntil(pos: PosSettings, paidAt: Date): Date | null {
  return pos.guestAttachDays > 0 ? new Date(paidAt.getTime() + pos.guestAttachDays * DAY_MS) : null;
}

/** Rewards that become a discount on a POS cart: not free shipping (nothing ships from the counter) nor store credit. */
export function offeredAtRegister(reward: Reward): boolean {
  return reward.type !== 'free_shipping' && reward.type !== 'store_credit';
}

/** A reward as the register offers it: the customer's price, and for "points for money" the most steps they can pay. */
export interface RegisterReward {
  id: string;
  type: Reward['type'];
  name: string;
  pointsCost: number;
  affordable: boolean;
  /** Steps of a "points for money" reward the register asks for (the most the balance covers, at least the minimum). */
  steps: number | null;
  /** The variant a free-product reward adds to the sale. */
  variantId: string | null;
  minimumOrderAmount: number;
}

/**
 * The enabled rewards the register can apply, priced for this customer (`costOf`: their tier's
 * price of one reward or one step), cheapest first.
 */
export function registerRewards(program: Program, balance: number, costOf: (reward: Reward) => number): RegisterReward[] {
  if (!program.enabled) return [];
  return program.rewards
    .filter((reward) => reward.enabled && offeredAtRegister(reward))
    .map((reward) => {
      const unit = costOf(reward);
      if (reward.type === 'points_for_money') {
        const steps = Math.min(reward.maxSteps, Math.max(reward.minSteps, Math.floor(balance / Math.max(1, unit))));
        return { ...base(reward), pointsCost: unit * steps, affordable: unit * steps <= balance, steps };
      }
      return { ...base(reward), pointsCost: unit, affordable: unit <= balance, steps: null };
    })
    .sort((a, b) => a.pointsCost - b.pointsCost);
}

function base(reward: Reward): Omit<RegisterReward, 'pointsCost' | 'affordable' | 'steps'> {
  return {
    id: reward.id,
    type: reward.type,
    name: reward.name,
    variantId: reward.type === 'free_product' ? reward.variantId : null,
    minimumOrderAmount: reward.minimumOrderAmount,
  };
}

/** The punch card as the customer's details show it: how far along this card is, and orders to the next bonus. */
export function punchCardProgress(
  program: Program,
  paidOrders: number,
): { every: number; bonusPoints: number; punched: number; ordersToBonus: number } | null {
  const card = program.earning.punchCard;
  if (!card.enabled) return null;
  const punched = paidOrders % card.everyNthOrder;
  return { every: card.everyNthOrder, bonusPoints: card.bonusPoints, punched, ordersToBonus: card.everyNthOrder - punched };
}

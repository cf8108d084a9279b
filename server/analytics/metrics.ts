import { daysBetween, type DayMovements } from '../accounting/index.js';

/** What analytics keeps of a paid order: its eligible amount in shop money and whether the buyer was a member. */
export interface PaidOrderFact {
  customerId: string | null;
  member: boolean;
  amount: number;
  cashBack: number;
  day: string;
}

/** A refund of an order's eligible money, on the day it was made; `member` is its order's. */
export interface RefundFact {
  member: boolean;
  amount: number;
  day: string;
}

/** Money the program gave on a day: discounts that orders took with reward codes and checkout holds, store credit issued. */
export interface GivenFact {
  amount: number;
  day: string;
}

/**
 * One UTC day of paid orders. Revenue is net of the refunds made that day (so a range's revenue is
 * its orders less its refunds); buyer lists hold one id per order, so repeats can be counted over a range.
 */
export interface OrderDay {
  day: string;
  memberOrders: number;
  memberRevenue: number;
  nonMemberOrders: number;
  nonMemberRevenue: number;
  /** Eligible money refunded that day (already taken out of the revenue above). */
  memberRefunded: number;
  nonMemberRefunded: number;
  guestOrders: number;
  cashBack: number;
  /** Discounts and store credit the program's rewards gave that day. */
  rewardsGiven: number;
  memberBuyers: string[];
  nonMemberBuyers: string[];
}

export function summarizeOrders(orders: PaidOrderFact[], refunds: RefundFact[] = [], given: GivenFact[] = []): OrderDay[] {
  const days = new Map<string, OrderDay>();
  const dayOf = (date: string): OrderDay => {
    let day = days.get(date);
    if (!day) {
      day = {
        day: date,
        memberOrders: 0,
        memberRevenue: 0,
        nonMemberOrders: 0,
        nonMemberRevenue: 0,
        memberRefunded: 0,
        nonMemberRefunded: 0,
        guestOrders: 0,
        cashBack: 0,
        rewardsGiven: 0,
        memberBuyers: [],
        nonMemberBuyers: [],
      };
      days.set(date, day);
    }
    return day;
  };
  for (const refund of refunds) {
    const day = dayOf(refund.day);
    if (refund.member) {
      day.memberRefunded += refund.amount;
      day.memberRevenue -= refund.amount;
    } else {
      day.nonMemberRefunded += refund.amount;
      day.nonMemberRevenue -= refund.amount;
    }
  }
  for (const gift of given) dayOf(gift.day).rewardsGiven += gift.amount;
  for (const order of orders) {
    const day = dayOf(order.day);
    day.cashBack += order.cashBack;
    if (order.member && order.customerId !== null) {
      day.memberOrders++;
      day.memberRevenue += order.amount;
      day.memberBuyers.push(order.customerId);
    } else {
      day.nonMemberOrders++;
      day.nonMemberRevenue += order.amount;
      if (order.customerId === null) day.guestOrders++;
      else day.nonMemberBuyers.push(order.customerId);
    }
  }
  return [...days.values()].sort((a, b) => a.day.localeCompare(b.day));
}

export type Interval = 'day' | 'week';

export interface SeriesPoint {
  start: string;
  end: string;
  pointsIssued: number;
  pointsRedeemed: number;
  pointsExpired: number;
  activeMembers: number;
  memberOrders: number;
  memberRevenue: number;
  nonMemberOrders: number;
  nonMemberRevenue: number;
  orders: number;
  revenue: number;
  programCost: number;
}

export interface Analytics {
  from: string;
  to: string;
  currency: string;
  members: number;
  newMembers: number;
  activeMembers: number;
  participationRate: number;
  pointsIssued: number;
  pointsRedeemed: number;
  pointsExpired: number;
  redemptionRate: number;
  memberRevenue: number;
  nonMemberRevenue: number;
  memberOrders: number;
  nonMemberOrders: number;
  memberAverageOrder: number;
  nonMemberAverageOrder: number;
  memberOrderFrequency: number;
  nonMemberOrderFrequency: number;
  repeatPurchaseRate: number;
  /** Paid orders of the range, members' and others' (`ordersOf`). */
  orders: number;
  /** Eligible revenue of the range net of its refunds (`revenueOf`), minor units. */
  revenue: number;
  /** Eligible money refunded in the range, already taken out of `revenue`. */
  refunded: number;
  /** revenue / orders. */
  averageOrder: number;
  /** Discounts and store credit the rewards gave in the range, at their money value. */
  rewardsCost: number;
  cashBack: number;
  /** rewardsCost + cashBack (`programCostOf`). */
  programCost: number;
  incrementalRevenue: number | null;
  roi: number | null;
  pointValue: number;
  interval: Interval;
  series: SeriesPoint[];
}

export interface AnalyticsInput {
  from: string;
  to: string;
  currency: string;
  /** Minor units per 1000 points. */
  pointValue: number;
  /** Every stored ledger day up to `to` (members are counted from the first). */
  ledgerDays: DayMovements[];
  orderDays: OrderDay[];
  interval?: Interval;
}

const rate = (part: number, whole: number): number => (whole > 0 ? Math.round((part / whole) * 10_000) / 10_000 : 0);
const average = (total: number, count: number): number => (count > 0 ? Math.round(total / count) : 0);

/** Monday of the ISO week `day` falls in. */
function weekStart(day: string): string {
  const date = new Date(`${day}T00:00:00Z`);
  return new Date(date.getTime() - ((date.getUTCDay() + 6) % 7) * 86_400_000).toISOString().slice(0, 10);
}

/** Orders: every paid order the app saw in the range, members' and others'. */
export function ordersOf(days: Pick<OrderDay, 'memberOrders' | 'nonMemberOrders'>): number {
  return days.memberOrders + days.nonMemberOrders;
}

/** Revenue: the eligible amounts of the range's paid orders, less the eligible money refunded in the range. */
export function revenueOf(days: Pick<OrderDay, 'memberRevenue' | 'nonMemberRevenue'>): number {
  return days.memberRevenue + days.nonMemberRevenue;
}

/** Program cost: the money rewards gave (discounts orders took, store credit issued) plus cash back; never points times a value. */
export function programCostOf(days: Pick<OrderDay, 'rewardsGiven' | 'cashBack'>): number {
  return days.rewardsGiven + days.cashBack;
}

/** A range's ledger figures beside its orders, summed the way one day of orders is. */
interface Totals extends Omit<OrderDay, 'day'> {
  pointsIssued: number;
  pointsRedeemed: number;
  pointsExpired: number;
  active: Set<string>;
}

function totalsOf(days: string[], ledger: Map<string, DayMovements>, orders: Map<string, OrderDay>): Totals {
  const totals: Totals = {
    pointsIssued: 0,
    pointsRedeemed: 0,
    pointsExpired: 0,
    active: new Set(),
    memberOrders: 0,
    memberRevenue: 0,
    nonMemberOrders: 0,
    nonMemberRevenue: 0,
    memberRefunded: 0,
    nonMemberRefunded: 0,
    guestOrders: 0,
    cashBack: 0,
    rewardsGiven: 0,
    memberBuyers: [],
    nonMemberBuyers: [],
  };
  for (const day of days) {
    const points = ledger.get(day);
    if (points) {
      totals.pointsIssued += points.earned;
      totals.pointsRedeemed += points.redeemed;
      totals.pointsExpired += points.expired;
      for (const customer of points.activeCustomers) totals.active.add(customer);
    }
    const sales = orders.get(day);
    if (sales) {
      totals.memberOrders += sales.memberOrders;
      totals.memberRevenue += sales.memberRevenue;
      totals.nonMemberOrders += sales.nonMemberOrders;
      totals.nonMemberRevenue += sales.nonMemberRevenue;
      // Days stored before refunds and rewards were kept lack them: they count as none.
      totals.memberRefunded += sales.memberRefunded ?? 0;
      totals.nonMemberRefunded += sales.nonMemberRefunded ?? 0;
      totals.guestOrders += sales.guestOrders;
      totals.cashBack += sales.cashBack;
      totals.rewardsGiven += sales.rewardsGiven ?? 0;
      totals.memberBuyers.push(...sales.memberBuyers);
      totals.nonMemberBuyers.push(...sales.nonMemberBuyers);
      for (const customer of sales.memberBuyers) totals.active.add(customer);
    }
  }
  return totals;
}

/**
 * The program's figures for `from`..`to` (docs/analytics.md has every definition). Program cost is
 * the money rewards gave plus cash back; incremental revenue compares revenue per
 * member buyer with revenue per non-member buyer (a guest order counts as one buyer);
 * ROI = (incremental revenue − program cost) / program cost.
 */
export function analyticsReport(input: AnalyticsInput): Analytics {
  const days = daysBetween(input.from, input.to);
  const interval = input.interval ?? (days.length > 62 ? 'week' : 'day');
  const ledger = new Map(input.ledgerDays.map((day) => [day.day, day]));
  const byDay = new Map(input.orderDays.map((day) => [day.day, day]));
  const totals = totalsOf(days, ledger, byDay);

  const members = input.ledgerDays.filter((day) => day.day <= input.to).reduce((sum, day) => sum + day.newMembers, 0);
  const newMembers = days.reduce((sum, day) => sum + (ledger.get(day)?.newMembers ?? 0), 0);
  const ordersPerMember = new Map<string, number>();
  for (const customer of totals.memberBuyers) ordersPerMember.set(customer, (ordersPerMember.get(customer) ?? 0) + 1);
  const memberBuyerCount = ordersPerMember.size;
  const nonMemberBuyerCount = new Set(totals.nonMemberBuyers).size + totals.guestOrders;
  const rewardsCost = totals.rewardsGiven;
  const programCost = programCostOf(totals);
  const orders = ordersOf(totals);
  const revenue = revenueOf(totals);
  const incrementalRevenue =
    memberBuyerCount > 0 && nonMemberBuyerCount > 0
      ? Math.round(totals.memberRevenue - (memberBuyerCount * totals.nonMemberRevenue) / nonMemberBuyerCount)
      : null;

  const buckets = new Map<string, string[]>();
  for (const day of days) {
    const key = interval === 'week' ? weekStart(day) : day;
    buckets.set(key, [...(buckets.get(key) ?? []), day]);
  }
  const series = [...buckets.values()].map((bucket): SeriesPoint => {
    const part = totalsOf(bucket, ledger, byDay);
    return {
      start: bucket[0]!,
      end: bucket.at(-1)!,
      pointsIssued: part.pointsIssued,
      pointsRedeemed: part.pointsRedeemed,
      pointsExpired: part.pointsExpired,
      activeMembers: part.active.size,
      memberOrders: part.memberOrders,
      memberRevenue: part.memberRevenue,
      nonMemberOrders: part.nonMemberOrders,
      nonMemberRevenue: part.nonMemberRevenue,
      orders: ordersOf(part),
      revenue: revenueOf(part),
      programCost: programCostOf(part),
    };
  });

  return {
    from: input.from,
    to: input.to,
    currency: input.currency,
    members,
    newMembers,
    activeMembers: totals.active.size,
    participationRate: rate(totals.active.size, members),
    pointsIssued: totals.pointsIssued,
    pointsRedeemed: totals.pointsRedeemed,
    pointsExpired: totals.pointsExpired,
    redemptionRate: rate(totals.pointsRedeemed, totals.pointsIssued),
    memberRevenue: totals.memberRevenue,
    nonMemberRevenue: totals.nonMemberRevenue,
    memberOrders: totals.memberOrders,
    nonMemberOrders: totals.nonMemberOrders,
    orders,
    revenue,
    refunded: totals.memberRefunded + totals.nonMemberRefunded,
    averageOrder: average(revenue, orders),
    memberAverageOrder: average(totals.memberRevenue, totals.memberOrders),
    nonMemberAverageOrder: average(totals.nonMemberRevenue, totals.nonMemberOrders),
    memberOrderFrequency: rate(totals.memberOrders, memberBuyerCount),
    nonMemberOrderFrequency: rate(totals.nonMemberOrders, nonMemberBuyerCount),
    repeatPurchaseRate: rate([...ordersPerMember.values()].filter((count) => count >= 2).length, memberBuyerCount),
    rewardsCost,
    cashBack: totals.cashBack,
    programCost,
    incrementalRevenue,
    roi: incrementalRevenue !== null && programCost > 0 ? Math.round(((incrementalRevenue - programCost) / programCost) * 10_000) / 10_000 : null,
    pointValue: input.pointValue,
    interval,
    series,
  };
}

const SERIES_COLUMNS = [
  'start',
  'end',
  'pointsIssued',
  'pointsRedeemed',
  'pointsExpired',
  'activeMembers',
  'memberOrders',
  'memberRevenue',
  'nonMemberOrders',
  'nonMemberRevenue',
  'programCost',
] as const;

export function analyticsCsv(analytics: Analytics): string {
  const rows = analytics.series.map((point) => [...SERIES_COLUMNS.map((column) => point[column]), analytics.currency].join(','));
  return [[...SERIES_COLUMNS, 'currency'].join(','), ...rows].join('\r\n') + '\r\n';
}

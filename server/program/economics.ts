import { currencyDecimals, moneyFormatter } from '../platform/money.js';
import type { Program, Reward } from './program.js';

/** The shop's recent trade, which turns a program into money. Amounts in minor units. */
export interface RecentOrders {
  days: number;
  orders: number;
  /** Eligible revenue (what earns points) over those days. */
  revenue: number;
  /** Points customers hold now and could redeem. */
  outstandingPoints: number;
}

export interface Economics {
  /** Money value of one point at the best-value reward, in minor units (fractional). */
  pointValue: number;
  /** Share of spend returned to customers once their points are redeemed (0.02 = 2 %). */
  giveBackRate: number;
  /** Cost of the program per 100 units of revenue, in minor units. */
  costPer100: number;
  averageOrder: number;
  /** Orders of average size before the cheapest reward; null when the program earns nothing. */
  ordersToFirstReward: number | null;
  /** What the shop's last `days` of orders would cost under this program, in minor units. */
  projectedCost: number;
  /** What the points customers already hold are worth, in minor units. */
  liability: number;
  verdict: 'too_generous' | 'too_stingy' | 'balanced';
  reasons: string[];
}

/** Peers' programs return 1-5 % of spend; outside this band merchants lose margin or customers lose interest. */
const GENEROUS_ABOVE = 0.1;
const STINGY_BELOW = 0.005;
const MAX_ORDERS_TO_FIRST_REWARD = 10;
/** A free-shipping reward is worth roughly one shipping charge; without the shop's figures we assume 8 % of an order. */
const SHIPPING_SHARE_OF_ORDER = 0.08;

/** The money a reward is worth to a customer with an average order, in minor units. */
function rewardValue(reward: Reward, averageOrder: number): number {
  switch (reward.type) {
    case 'amount_off':
      return reward.amountOff;
    case 'store_credit':
      return reward.creditAmount;
    case 'points_for_money':
      return reward.stepAmount;
    case 'percentage_off':
      return (averageOrder * reward.percentageOff) / 100;
    case 'free_shipping':
      return averageOrder * SHIPPING_SHARE_OF_ORDER;
    case 'free_product':
      // The product's price is in Shopify, not in the program; value it as a tenth of an order.
      return averageOrder / 10;
  }
}

/**
 * What a program costs, before it costs anything: the give-back rate (points earned per unit of
 * spend × money per point at the best-value reward, plus cash back), cost per 100 of revenue,
 * orders to the first reward, the cost of the recent orders under it and the liability of the
 * points already held. The verdict explains itself in `reasons`.
 */
export function programEconomics(program: Program, recent: RecentOrders, fallbackAverageOrder: number): Economics {
  const unit = 10 ** currencyDecimals(program.currency);
  const money = moneyFormatter(program.currency);
  const averageOrder = recent.orders > 0 ? recent.revenue / recent.orders : fallbackAverageOrder;
  const rewards = program.rewards.filter((reward) => reward.enabled);
  const pointValue = rewards.reduce((best, reward) => Math.max(best, rewardValue(reward, averageOrder) / reward.pointsCost), 0);
  const earning = program.earning;
  const earnsPoints = !(earning.cashBack.enabled && earning.cashBack.insteadOfPoints);
  const pointsPerMinor = earnsPoints ? earning.pointsPerCurrencyUnit / unit : 0;
  const cashBackRate = earning.cashBack.enabled ? earning.cashBack.percent / 100 : 0;
  const giveBackRate = program.enabled ? pointsPerMinor * pointValue + cashBackRate : 0;
  const cheapest = rewards.reduce((min, reward) => Math.min(min, reward.pointsCost), Infinity);
  const pointsPerOrder = averageOrder * pointsPerMinor;
  const ordersToFirstReward = pointsPerOrder > 0 && Number.isFinite(cheapest) ? Math.ceil(cheapest / pointsPerOrder) : null;

  const reasons: string[] = [];
  let verdict: Economics['verdict'] = 'balanced';
  const percent = (rate: number) => `${(rate * 100).toFixed(1)} %`;
  if (giveBackRate > GENEROUS_ABOVE) {
    verdict = 'too_generous';
    reasons.push(`Customers get back ${percent(giveBackRate)} of what they spend; most loyalty programs return 1–5 %, and above 10 % the program eats into your margin.`);
  } else if (program.enabled && (giveBackRate < STINGY_BELOW || (ordersToFirstReward !== null && ordersToFirstReward > MAX_ORDERS_TO_FIRST_REWARD))) {
    verdict = 'too_stingy';
    if (giveBackRate < STINGY_BELOW) reasons.push(`Customers get back only ${percent(giveBackRate)} of what they spend; below 0.5 % few will notice the program.`);
    if (ordersToFirstReward !== null && ordersToFirstReward > MAX_ORDERS_TO_FIRST_REWARD) {
      reasons.push(`A customer needs ${ordersToFirstReward} average orders (${money(Math.round(averageOrder))} each) for the cheapest reward; more than ${MAX_ORDERS_TO_FIRST_REWARD} and most give up before their first one.`);
    }
  } else {
    reasons.push(`Customers get back ${percent(giveBackRate)} of what they spend, within the usual 1–5 % band${ordersToFirstReward ? `, and reach a first reward after ${ordersToFirstReward} average orders` : ''}.`);
  }
  return {
    pointValue,
    giveBackRate,
    costPer100: giveBackRate * 100 * unit,
    averageOrder,
    ordersToFirstReward,
    projectedCost: recent.revenue * giveBackRate,
    liability: recent.outstandingPoints * pointValue,
    verdict,
    reasons,
  };
}

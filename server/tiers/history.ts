import { mulDivFloor } from '../platform/money.js';
import type { QualifyingEvent } from './rules.js';

/** An order as earning recorded it when it was credited. */
export interface CreditedOrderRecord {
  orderId: string;
  customerId: string;
  /** Eligible money, in minor units. */
  amount: number;
  paidAt: Date;
}

/** A ledger entry of an order: its earn entry or one of its reversals. */
export interface OrderLedgerEntry {
  key: string;
  type: string;
  orderId?: string;
  available: number;
  pending: number;
  shortfall: number;
  seq: number;
  createdAt: Date;
}

export type HistoryEvent = QualifyingEvent & { kind: 'order' | 'reversal' };

/**
 * A customer's qualifying history rebuilt from what earning and the ledger kept, under the keys
 * the live path uses (`order:<id>`, `reversal:<ledger key>`), so an event recorded both ways
 * counts once. An order counts its credited points and eligible money; a reversal takes back the
 * points it reversed (what a clamp could not take included) and the same share of the money; a
 * cancellation, or the refund that takes back the last point, also takes back the order.
 * Membership purchases cannot be rebuilt: the order's lines are not kept.
 */
export function historyFromRecords(
  orders: CreditedOrderRecord[],
  entries: OrderLedgerEntry[],
  isCancellation: (key: string, orderId: string) => boolean,
): HistoryEvent[] {
  const events: HistoryEvent[] = [];
  for (const order of orders) {
    const own = entries.filter((entry) => entry.orderId === order.orderId).sort((a, b) => a.seq - b.seq);
    const earned = own.filter((entry) => entry.type === 'earn').reduce((sum, entry) => sum + entry.available + entry.pending, 0);
    events.push({
      key: `order:${order.orderId}`,
      kind: 'order',
      at: order.paidAt,
      points: earned,
      spend: order.amount,
      orders: 1,
      orderId: order.orderId,
      memberDays: 0,
      endsMembership: false,
    });
    let reversedPoints = 0;
    let reversedSpend = 0;
    let ended = false;
    for (const entry of own.filter((candidate) => candidate.type === 'reverse')) {
      const points = -(entry.available + entry.pending) + entry.shortfall;
      reversedPoints += points;
      const endsOrder: boolean = !ended && (isCancellation(entry.key, order.orderId) || (earned > 0 && reversedPoints >= earned));
      const share = earned > 0 ? mulDivFloor(order.amount, reversedPoints, earned) : 0;
      const spend = endsOrder ? order.amount - reversedSpend : Math.max(0, Math.min(order.amount, share) - reversedSpend);
      reversedSpend += spend;
      ended ||= endsOrder;
      events.push({
        key: `reversal:${entry.key}`,
        kind: 'reversal',
        at: entry.createdAt,
        points: -points,
        spend: -spend,
        orders: endsOrder ? -1 : 0,
        orderId: order.orderId,
        memberDays: 0,
        endsMembership: endsOrder,
      });
    }
  }
  return events;
}

import { describe, expect, it } from 'vitest';
import { summarizeDays, type Movement } from '../../server/accounting/index.js';
import { analyticsReport, churnRiskOf, customerInsight, summarizeOrders, ticketOf, type PaidOrderFact } from '../../server/analytics/index.js';

const movement = (customerId: string, seq: number, type: string, available: number, day: string): Movement => ({
  customerId,
  seq,
  type,
  available,
  pending: 0,
  day,
});
const order = (customerId: string | null, member: boolean, amount: number, day: string, cashBack = 0): PaidOrderFact => ({
  customerId,
  member,
  amount,
  day,
  cashBack,
});

describe('analytics figures', () => {
  // Members a (joined before the range), b and c (joined in it), d (joined after it).
  const ledger = summarizeDays([
    movement('a', 1, 'earn', 100, '2026-09-01'),
    movement('a', 2, 'redeem', -50, '2026-10-02'),
    movement('b', 1, 'earn', 200, '2026-10-01'),
    movement('c', 1, 'adjust', 10, '2026-10-03'),
    movement('c', 2, 'expire', -10, '2026-10-04'),
    movement('d', 1, 'earn', 30, '2026-11-01'),
  ]);
  const orders = summarizeOrders(
    [
      order('b', true, 10_000, '2026-10-01', 200),
      order('b', true, 5_000, '2026-10-03'),
      order('a', true, 3_000, '2026-10-02'),
      order(null, false, 4_000, '2026-10-02'),
      order(null, false, 2_000, '2026-10-03'),
      order('x', false, 6_000, '2026-10-04'),
    ],
    [],
    // a's 50 points bought a 50-cent code, used on 2026-10-02.
    [{ amount: 50, day: '2026-10-02' }],
  );
  const report = analyticsReport({ from: '2026-10-01', to: '2026-10-31', currency: 'USD', pointValue: 1_000, ledgerDays: ledger, orderDays: orders });

  it('counts members up to the end of the range and those active in it (earning, spending or buying)', () => {
    expect(report.members).toBe(3);
    expect(report.newMembers).toBe(2);
    // a redeemed, b earned and bought; c only had an adjustment and an expiry, which are not activity.
    expect(report.activeMembers).toBe(2);
    expect(report.participationRate).toBe(Math.round((2 / 3) * 10_000) / 10_000);
  });

  it('measures redemption as points redeemed over points issued in the range', () => {
    expect(report.pointsIssued).toBe(200);
    expect(report.pointsRedeemed).toBe(50);
    expect(report.pointsExpired).toBe(10);
    expect(report.redemptionRate).toBe(0.25);
  });

  it('splits revenue, order value and frequency between members and non-members (a guest order is one buyer)', () => {
    expect(report.memberRevenue).toBe(18_000);
    expect(report.nonMemberRevenue).toBe(12_000);
    expect(report.memberOrders).toBe(3);
    expect(report.nonMemberOrders).toBe(3);
    expect(report.memberAverageOrder).toBe(6_000);
    expect(report.nonMemberAverageOrder).toBe(4_000);
    expect(report.memberOrderFrequency).toBe(1.5);
    expect(report.nonMemberOrderFrequency).toBe(1);
    expect(report.repeatPurchaseRate).toBe(0.5);
  });

  it('prices the program as the money rewards gave plus cash back, and ROI as (incremental revenue − cost) / cost', () => {
    expect(report.rewardsCost).toBe(50);
    expect(report.cashBack).toBe(200);
    expect(report.programCost).toBe(250);
    // Member buyers a, b bring 18,000; at the non-member rate of 12,000 per 3 buyers they would bring 8,000.
    expect(report.incrementalRevenue).toBe(18_000 - 2 * (12_000 / 3));
    expect(report.roi).toBe((10_000 - 250) / 250);
  });

  it('has no ROI without a cost or without non-members to compare with', () => {
    const noCost = analyticsReport({
      from: '2026-10-01',
      to: '2026-10-01',
      currency: 'USD',
      pointValue: 1_000,
      ledgerDays: [],
      orderDays: summarizeOrders([order('b', true, 100, '2026-10-01'), order(null, false, 50, '2026-10-01')]),
    });
    expect(noCost.incrementalRevenue).toBe(50);
    expect(noCost.roi).toBeNull();
    const membersOnly = analyticsReport({
      from: '2026-10-01',
      to: '2026-10-01',
      currency: 'USD',
      pointValue: 1_000,
      ledgerDays: summarizeDays([movement('b', 1, 'redeem', -100, '2026-10-01')]),
      orderDays: summarizeOrders([order('b', true, 100, '2026-10-01')], [], [{ amount: 100, day: '2026-10-01' }]),
    });
    expect(membersOnly.programCost).toBe(100);
    expect(membersOnly.incrementalRevenue).toBeNull();
    expect(membersOnly.roi).toBeNull();
  });

  it('takes refunds out of revenue on the day they are made, keeping the orders counted', () => {
    const refunded = analyticsReport({
      from: '2026-10-01',
      to: '2026-10-02',
      currency: 'USD',
      pointValue: 1_000,
      ledgerDays: [],
      orderDays: summarizeOrders(
        [order('b', true, 5_000, '2026-10-01'), order(null, false, 2_000, '2026-10-01')],
        [
          { member: true, amount: 2_200, day: '2026-10-02' },
          { member: false, amount: 500, day: '2026-10-02' },
        ],
      ),
    });
    expect(refunded).toMatchObject({
      orders: 2,
      revenue: 7_000 - 2_700,
      refunded: 2_700,
      memberRevenue: 2_800,
      nonMemberRevenue: 1_500,
      averageOrder: 2_150,
    });
    expect(refunded.series.map((point) => point.revenue)).toEqual([7_000, -2_700]);
  });

  it('groups the series by day for short ranges and by ISO week for long ones, adding up to the totals', () => {
    expect(report.interval).toBe('day');
    expect(report.series).toHaveLength(31);
    const weekly = analyticsReport({
      from: '2026-08-01',
      to: '2026-10-31',
      currency: 'USD',
      pointValue: 1_000,
      ledgerDays: ledger,
      orderDays: orders,
    });
    expect(weekly.interval).toBe('week');
    expect(weekly.series[1]!.start).toBe('2026-08-03');
    expect(new Date(`${weekly.series[1]!.start}T00:00:00Z`).getUTCDay()).toBe(1);
    expect(weekly.series.reduce((sum, point) => sum + point.memberRevenue, 0)).toBe(weekly.memberRevenue);
    expect(weekly.series.reduce((sum, point) => sum + point.pointsIssued, 0)).toBe(weekly.pointsIssued);
  });
});

describe('customer insight', () => {
  const day = (text: string) => new Date(`${text}T12:00:00Z`);

  it('reads frequency, last order, lifetime value and churn risk from the orders', () => {
    const orders = [
      { amount: 2_000, paidAt: day('2026-01-01') },
      { amount: 3_000, paidAt: day('2026-01-31') },
      { amount: 1_000, paidAt: day('2026-03-02') },
    ];
    const insight = customerInsight('7', orders, [], 1_000, day('2026-03-20'));
    expect(insight).toMatchObject({
      orders: 3,
      lifetimeValue: 6_000,
      averageOrder: 2_000,
      usualIntervalDays: 30,
      daysSinceLastOrder: 18,
      churnRisk: 'low',
    });
    expect(insight.lastOrderAt).toEqual(day('2026-03-02'));
    expect(customerInsight('7', orders, [], 1_000, day('2026-05-01')).churnRisk).toBe('medium');
    expect(customerInsight('7', orders, [], 1_000, day('2026-07-01')).churnRisk).toBe('high');
    expect(customerInsight('7', orders.slice(0, 1), [], 1_000, day('2026-07-01')).churnRisk).toBe('unknown');
    expect(churnRiskOf(null, null)).toBe('unknown');
  });

  it('sums goodwill from positive adjustments and links each to the ticket its reason names', () => {
    const insight = customerInsight(
      '7',
      [],
      [
        { points: 300, reason: 'Damaged item, ticket 88123', staffId: '5', createdAt: day('2026-02-01') },
        { points: -40, reason: 'correction', createdAt: day('2026-02-02') },
        { points: 100, reason: 'Apology', createdAt: day('2026-02-03') },
      ],
      1_000,
      day('2026-03-01'),
    );
    expect(insight.goodwill.points).toBe(400);
    expect(insight.goodwill.value).toBe(400);
    expect(insight.goodwill.adjustments.map((adjustment) => adjustment.ticket)).toEqual(['ticket 88123', null]);
    expect(ticketOf('see https://help.example.com/tickets/552')).toBe('tickets/552');
    expect(ticketOf('ZD-1042 refund')).toBe('ZD-1042');
    expect(ticketOf('order #1001 late')).toBe('#1001');
    expect(ticketOf('no reference here')).toBeNull();
  });
});

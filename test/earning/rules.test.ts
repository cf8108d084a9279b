import { describe, expect, it } from 'vitest';
import {
  DEFAULT_EARNING_RULES,
  earnForOrder,
  reverseForCancellation,
  reverseForRefund,
  type EarningRule,
  type OrderFacts,
} from '../../server/earning/index.js';
import { defaultProgram, validateProgram, type Program } from '../../server/program/index.js';
import { takeWithinBalance } from '../../server/ledger/index.js';
import { expireBatches, expireInactive } from '../../server/earning/index.js';

const now = new Date('2026-11-22T12:00:00Z');
const history = { customerTags: [], paidOrdersBefore: 0, earnedToday: 0 };

function order(lines: Array<Partial<OrderFacts['lines'][number]> & { amount: number }>, currency = 'USD'): OrderFacts {
  const full = lines.map((line, index) => ({ lineId: String(index), productId: null, giftCard: false, productTags: [], collectionIds: [], ...line }));
  return { orderId: '1', customerId: '7', currency, subtotal: full.reduce((sum, line) => sum + line.amount, 0), includedTax: 0, lines: full };
}

function program(change: (program: Program) => void = () => {}, currency = 'USD'): Program {
  const base = defaultProgram(currency);
  change(base);
  return base;
}

describe('earning rules', () => {
  it('earns 1 point per currency unit on the eligible amount, rounded down', () => {
    expect(earnForOrder(program(), order([{ amount: 4299 }]), history, 2, now).points).toBe(42);
  });

  it('leaves gift-card lines out of the eligible amount', () => {
    const earning = earnForOrder(program(), order([{ amount: 3000 }, { amount: 5000, giftCard: true }]), history, 2, now);
    expect(earning.eligible).toBe(3000);
    expect(earning.points).toBe(30);
  });

  it('counts whole units in zero- and three-decimal currencies', () => {
    expect(earnForOrder(program(undefined, 'JPY'), order([{ amount: 4250 }], 'JPY'), history, 0, now).points).toBe(4250);
    expect(earnForOrder(program(undefined, 'KWD'), order([{ amount: 12_999 }], 'KWD'), history, 3, now).points).toBe(12);
  });

  it('supports fractional rates exactly (2.5 points per unit)', () => {
    expect(
      earnForOrder(
        program((p) => (p.earning.pointsPerCurrencyUnit = 2.5)),
        order([{ amount: 1010 }]),
        history,
        2,
        now,
      ).points,
    ).toBe(25);
  });

  it('earns nothing below the minimum order, for guests, for excluded tags, or with the program off', () => {
    expect(
      earnForOrder(
        program((p) => (p.earning.minimumOrderAmount = 5000)),
        order([{ amount: 4999 }]),
        history,
        2,
        now,
      ).points,
    ).toBe(0);
    expect(earnForOrder(program(), { ...order([{ amount: 5000 }]), customerId: null }, history, 2, now).points).toBe(0);
    const excluded = earnForOrder(
      program((p) => (p.earning.excludedCustomerTags = ['staff'])),
      order([{ amount: 5000 }]),
      { ...history, customerTags: ['staff'] },
      2,
      now,
    );
    expect(excluded).toMatchObject({ points: 0, notes: ['customer tagged "staff" is excluded'] });
    expect(
      earnForOrder(
        program((p) => (p.enabled = false)),
        order([{ amount: 5000 }]),
        history,
        2,
        now,
      ).points,
    ).toBe(0);
  });

  it('multiplies the points of lines that match a product, tag or collection rule', () => {
    const rules = program((p) => {
      p.earning.multipliers = [
        { id: 'p', match: { kind: 'product', value: '11' }, multiplier: 2 },
        { id: 't', match: { kind: 'tag', value: 'coffee' }, multiplier: 3 },
        { id: 'c', match: { kind: 'collection', value: '99' }, multiplier: 1.5 },
      ];
    });
    const earning = earnForOrder(
      rules,
      order([
        { amount: 1000, productId: '11' },
        { amount: 1000, productTags: ['coffee'] },
        { amount: 1000, collectionIds: ['99'] },
        { amount: 1000 },
      ]),
      history,
      2,
      now,
    );
    expect(earning).toMatchObject({ basePoints: 40, bonusPoints: 10 + 20 + 5, points: 75 });
  });

  it('doubles points during a promotion and not outside it', () => {
    const weekend = program(
      (p) =>
        (p.earning.promotions = [
          { id: 'w', name: 'Double weekend', multiplier: 2, startsAt: '2026-11-21T00:00:00Z', endsAt: '2026-11-23T00:00:00Z' },
        ]),
    );
    expect(earnForOrder(weekend, order([{ amount: 2000 }]), history, 2, now).points).toBe(40);
    expect(earnForOrder(weekend, order([{ amount: 2000 }]), history, 2, new Date('2026-11-24T00:00:00Z')).points).toBe(20);
  });

  it('adds the punch-card bonus on every Nth paid order', () => {
    const card = program((p) => (p.earning.punchCard = { enabled: true, everyNthOrder: 10, bonusPoints: 50 }));
    expect(earnForOrder(card, order([{ amount: 500 }]), { ...history, paidOrdersBefore: 9 }, 2, now).points).toBe(55);
    expect(earnForOrder(card, order([{ amount: 500 }]), { ...history, paidOrdersBefore: 10 }, 2, now).points).toBe(5);
  });

  it('pays cash back as store credit instead of or beside points', () => {
    const beside = earnForOrder(
      program((p) => (p.earning.cashBack = { enabled: true, percent: 2, insteadOfPoints: false })),
      order([{ amount: 12_345 }]),
      history,
      2,
      now,
    );
    expect(beside).toMatchObject({ points: 123, cashBack: { amount: 246, currency: 'USD' } });
    const instead = earnForOrder(
      program((p) => (p.earning.cashBack = { enabled: true, percent: 2.5, insteadOfPoints: true })),
      order([{ amount: 10_000 }]),
      history,
      2,
      now,
    );
    expect(instead).toMatchObject({ points: 0, cashBack: { amount: 250 } });
  });

  it('caps points per order and per customer per day', () => {
    const capped = program((p) => (p.earning.caps = { perOrder: 100, perCustomerPerDay: 150 }));
    expect(earnForOrder(capped, order([{ amount: 50_000 }]), history, 2, now).points).toBe(100);
    expect(earnForOrder(capped, order([{ amount: 50_000 }]), { ...history, earnedToday: 120 }, 2, now).points).toBe(30);
    expect(earnForOrder(capped, order([{ amount: 50_000 }]), { ...history, earnedToday: 150 }, 2, now).points).toBe(0);
  });
});

describe('earning rules as strategies', () => {
  it('applies the rules in order, and a rule list can be changed without touching the others', () => {
    const weekendBonus: EarningRule = {
      name: 'flat bonus',
      apply: (earning) => ({ ...earning, bonusPoints: earning.bonusPoints + 7, points: earning.points + 7 }),
    };
    const rules = [...DEFAULT_EARNING_RULES.slice(0, -1), weekendBonus, DEFAULT_EARNING_RULES.at(-1)!];
    const capped = program((p) => (p.earning.caps = { perOrder: 50, perCustomerPerDay: null }));
    expect(earnForOrder(capped, order([{ amount: 4000 }]), history, 2, now, rules).points).toBe(47);
    expect(earnForOrder(capped, order([{ amount: 4500 }]), history, 2, now, rules).points).toBe(50);
    expect(DEFAULT_EARNING_RULES.map((rule) => rule.name)).toEqual([
      'cash back',
      'points per currency unit',
      'multipliers and promotions',
      'punch card',
      'tier multiplier',
      'caps',
    ]);
  });
});

describe('tier multiplier', () => {
  it('multiplies what the order earns by the tier held when it is paid, rounding down, before the caps', () => {
    expect(earnForOrder(program(), order([{ amount: 3333 }]), { ...history, tierMultiplier: 1.5 }, 2, now).points).toBe(49);
    const capped = program((p) => (p.earning.caps = { perOrder: 40, perCustomerPerDay: null }));
    expect(earnForOrder(capped, order([{ amount: 3333 }]), { ...history, tierMultiplier: 1.5 }, 2, now).points).toBe(40);
    expect(earnForOrder(program(), order([{ amount: 3333 }]), history, 2, now).points).toBe(33);
  });
});

describe('reversals', () => {
  it('reverses half the points when half the eligible amount is refunded', () => {
    expect(reverseForRefund(100, 10_000, 5_000, 0)).toBe(50);
  });

  it('rounds a proportional reversal down and never takes more than is left', () => {
    expect(reverseForRefund(29, 2997, 999, 0)).toBe(9);
    expect(reverseForRefund(29, 2997, 2997, 25)).toBe(4);
    expect(reverseForCancellation(29, 18)).toBe(11);
    expect(reverseForCancellation(29, 29)).toBe(0);
  });

  it('allows a negative balance or stops at zero and records the shortfall, by merchant setting', () => {
    expect(takeWithinBalance('allow', 10, 40)).toEqual({ taken: 40, shortfall: 0 });
    expect(takeWithinBalance('stop_at_zero', 10, 40)).toEqual({ taken: 10, shortfall: 30 });
  });
});

describe('expiry', () => {
  const inactivity = program((p) => (p.expiry = { mode: 'inactivity', days: 365, reminderDaysBefore: 30 }));
  it('expires the balance after N days without activity and reminds N days before', () => {
    const last = new Date('2025-11-01T00:00:00Z');
    expect(expireInactive(inactivity, { available: 80, lastActivityAt: last }, new Date('2026-09-01T00:00:00Z'))).toEqual({ action: 'none' });
    expect(expireInactive(inactivity, { available: 80, lastActivityAt: last }, new Date('2026-10-10T00:00:00Z'))).toEqual({
      action: 'remind',
      expiresOn: '2026-11-01',
    });
    expect(expireInactive(inactivity, { available: 80, lastActivityAt: last }, new Date('2026-11-02T00:00:00Z'))).toEqual({
      action: 'expire',
      points: 80,
      on: '2026-11-02',
    });
  });

  it('expires each earned batch on its own date, spending the oldest first', () => {
    const batch = program((p) => (p.expiry = { mode: 'batch', days: 90, reminderDaysBefore: 7 }));
    const batches = [
      { key: 'a', points: 100, earnedAt: new Date('2026-07-01T00:00:00Z') },
      { key: 'b', points: 50, earnedAt: new Date('2026-10-01T00:00:00Z') },
    ];
    expect(expireBatches(batch, batches, 30, 120, now)).toBe(70);
    expect(expireBatches(batch, batches, 120, 30, now)).toBe(0);
  });
});

describe('program validation', () => {
  it('accepts the default program of a new shop, with at least one reward', () => {
    const validation = validateProgram(defaultProgram('EUR'));
    expect(validation.ok).toBe(true);
    expect(defaultProgram('EUR').rewards.length).toBeGreaterThan(0);
  });

  it('names each invalid field by its path', () => {
    const broken = {
      ...defaultProgram('USD'),
      earning: { ...defaultProgram('USD').earning, pointsPerCurrencyUnit: 1.234 },
      widget: { ...defaultProgram('USD').widget, primaryColor: 'blue' },
    };
    const validation = validateProgram(broken);
    expect(validation.ok).toBe(false);
    if (!validation.ok) expect(Object.keys(validation.errors).sort()).toEqual(['earning.pointsPerCurrencyUnit', 'widget.primaryColor']);
  });
});

import { describe, expect, it } from 'vitest';
import { defaultProgram, validateProgram, type Program } from '../../server/program/index.js';
import { pointsCostFor } from '../../server/redemption/index.js';
import {
  combineMultipliers,
  earningMultiplierAt,
  membershipAt,
  multiplyPoints,
  perksHeld,
  standingAt,
  tierAt,
  tierSettingsOf,
  type QualifyingEvent,
  type Tier,
  type TierRules,
  type TierSettings,
} from '../../server/tiers/index.js';

const perks = { rewardDiscountPercent: 0, freeShipping: false, birthdayBonus: 0 };
const tiers: Tier[] = [
  { id: 'bronze', name: 'Bronze', threshold: 0, earnMultiplier: 1, entryReward: 0, perks },
  { id: 'silver', name: 'Silver', threshold: 10_000, earnMultiplier: 1.25, entryReward: 0, perks },
  { id: 'gold', name: 'Gold', threshold: 50_000, earnMultiplier: 1.5, entryReward: 0, perks: { ...perks, rewardDiscountPercent: 20 } },
];
const membershipOff: TierSettings['membership'] = { enabled: false, variantId: '', days: 30, earnMultiplier: 1, combine: 'highest', perks };

function settings(rules: Partial<TierRules> = {}, membership: Partial<TierSettings['membership']> = {}): TierSettings {
  return {
    tiers,
    rules: { metric: 'spend', period: 'lifetime', downgrade: 'immediate', graceDays: 0, ...rules },
    membership: { ...membershipOff, ...membership },
  };
}

const at = (iso: string) => new Date(iso);
const order = (orderId: string, when: string, spend: number, extra: Partial<QualifyingEvent> = {}): QualifyingEvent => ({
  key: `order:${orderId}`,
  at: at(when),
  points: Math.floor(spend / 100),
  spend,
  orders: 1,
  orderId,
  memberDays: 0,
  endsMembership: false,
  ...extra,
});
const refund = (orderId: string, when: string, spend: number, extra: Partial<QualifyingEvent> = {}): QualifyingEvent => ({
  key: `reversal:reverse:refund:${orderId}:${when}`,
  at: at(when),
  points: -Math.floor(spend / 100),
  spend: -spend,
  orders: 0,
  orderId,
  memberDays: 0,
  endsMembership: false,
  ...extra,
});
const tierIdAt = (rules: TierSettings, events: QualifyingEvent[], when: string) => tierAt(rules, events, at(when))?.id;

describe('crossing a threshold', () => {
  const history = [order('1', '2025-03-01T10:00:00Z', 9_000), order('2', '2025-03-05T10:00:00Z', 2_000)];

  it('earns the crossing order at the old tier and the next order at the new one', () => {
    expect(earningMultiplierAt(settings(), history, at('2025-03-05T10:00:00Z'), '2')).toBe(1);
    expect(earningMultiplierAt(settings(), [...history, order('3', '2025-03-06T10:00:00Z', 1_000)], at('2025-03-06T10:00:00Z'), '3')).toBe(1.25);
  });

  it('moves the customer up the moment the crossing order is paid', () => {
    expect(tierIdAt(settings(), history, '2025-03-05T09:59:59Z')).toBe('bronze');
    expect(tierIdAt(settings(), history, '2025-03-05T10:00:00Z')).toBe('silver');
  });

  it('skips tiers when one order crosses two thresholds', () => {
    expect(tierIdAt(settings(), [order('1', '2025-01-01T00:00:00Z', 60_000)], '2025-01-02T00:00:00Z')).toBe('gold');
  });

  it('counts points earned from orders or paid orders when the metric says so', () => {
    const byOrders: TierSettings = { ...settings({ metric: 'orders' }), tiers: [tiers[0]!, { ...tiers[1]!, threshold: 3 }] };
    const three = [order('1', '2025-01-01T00:00:00Z', 100), order('2', '2025-01-02T00:00:00Z', 100), order('3', '2025-01-03T00:00:00Z', 100)];
    expect(tierIdAt(byOrders, three.slice(0, 2), '2025-01-04T00:00:00Z')).toBe('bronze');
    expect(tierIdAt(byOrders, three, '2025-01-04T00:00:00Z')).toBe('silver');
    const byPoints: TierSettings = { ...settings({ metric: 'points' }), tiers: [tiers[0]!, { ...tiers[1]!, threshold: 100 }] };
    expect(tierIdAt(byPoints, [order('1', '2025-01-01T00:00:00Z', 9_999)], '2025-01-02T00:00:00Z')).toBe('bronze');
    expect(tierIdAt(byPoints, [order('1', '2025-01-01T00:00:00Z', 10_000)], '2025-01-02T00:00:00Z')).toBe('silver');
  });

  it('tells the shopper how much is left to the next tier', () => {
    const standing = standingAt(settings(), [order('1', '2025-03-01T10:00:00Z', 9_000)], at('2025-03-02T00:00:00Z'));
    expect(standing.tier?.id).toBe('bronze');
    expect(standing.next).toEqual({ tier: tiers[1], remaining: 1_000 });
  });
});

describe('refunds under each downgrade policy', () => {
  const history = [order('1', '2025-03-01T10:00:00Z', 12_000), refund('1', '2025-04-01T10:00:00Z', 3_000)];

  it('immediate: the refund that takes the customer below the threshold drops the tier at once', () => {
    expect(tierIdAt(settings(), history, '2025-04-01T09:59:59Z')).toBe('silver');
    expect(tierIdAt(settings(), history, '2025-04-01T10:00:00Z')).toBe('bronze');
  });

  it('immediate with a grace period: the tier is kept for the grace days, then dropped', () => {
    const graced = settings({ graceDays: 30 });
    expect(tierIdAt(graced, history, '2025-05-01T09:59:59Z')).toBe('silver');
    expect(tierIdAt(graced, history, '2025-05-01T10:00:00Z')).toBe('bronze');
  });

  it('end of period (calendar year): the tier reached is kept to 31 December, then the year as refunded decides', () => {
    const yearly = settings({ period: 'calendar_year', downgrade: 'end_of_period' });
    expect(tierIdAt(yearly, history, '2025-12-31T23:59:59Z')).toBe('silver');
    expect(tierIdAt(yearly, history, '2026-01-01T00:00:00Z')).toBe('bronze');
  });

  it('end of period (lifetime): a tier once reached is never lost to a refund', () => {
    expect(tierIdAt(settings({ downgrade: 'end_of_period' }), history, '2030-01-01T00:00:00Z')).toBe('silver');
  });

  it('a refund that leaves the customer above the threshold changes nothing', () => {
    const small = [order('1', '2025-03-01T10:00:00Z', 12_000), refund('1', '2025-04-01T10:00:00Z', 1_000)];
    expect(tierIdAt(settings(), small, '2025-04-02T00:00:00Z')).toBe('silver');
  });
});

describe('period roll-over (time passed in)', () => {
  const history = [order('1', '2025-01-10T00:00:00Z', 12_000)];

  it('calendar year, immediate: everyone starts the new year from the base tier', () => {
    const yearly = settings({ period: 'calendar_year' });
    expect(tierIdAt(yearly, history, '2025-12-31T23:59:59Z')).toBe('silver');
    expect(tierIdAt(yearly, history, '2026-01-01T00:00:00Z')).toBe('bronze');
  });

  it('calendar year, end of period: a year that qualified carries the tier through the next year', () => {
    const yearly = settings({ period: 'calendar_year', downgrade: 'end_of_period' });
    expect(tierIdAt(yearly, history, '2026-12-31T23:59:59Z')).toBe('silver');
    expect(tierIdAt(yearly, history, '2027-01-01T00:00:00Z')).toBe('bronze');
  });

  it('rolling 12 months, immediate: the tier goes when the order leaves the window', () => {
    const rolling = settings({ period: 'rolling_12_months' });
    expect(tierIdAt(rolling, history, '2026-01-09T23:59:59Z')).toBe('silver');
    expect(tierIdAt(rolling, history, '2026-01-10T00:00:00Z')).toBe('bronze');
  });

  it('rolling 12 months, end of period: the tier is kept 12 months after it was last earned', () => {
    const rolling = settings({ period: 'rolling_12_months', downgrade: 'end_of_period' });
    expect(tierIdAt(rolling, history, '2027-01-09T00:00:00Z')).toBe('silver');
    expect(tierIdAt(rolling, history, '2027-01-10T00:00:00Z')).toBe('bronze');
  });

  it('the standing says until when it holds, so a job knows when to look again', () => {
    const standing = standingAt(settings({ period: 'rolling_12_months' }), history, at('2025-06-01T00:00:00Z'));
    expect(standing.validUntil?.toISOString()).toBe('2026-01-01T00:00:00.000Z');
    expect(standingAt(settings(), history, at('2025-06-01T00:00:00Z')).tier?.id).toBe('silver');
  });
});

describe('what keeps a tier ("spend $X by DATE to keep Silver")', () => {
  it('rolling 12 months: the amount the window will miss, by the day before the oldest order leaves it', () => {
    const history = [order('1', '2025-01-10T00:00:00Z', 12_000), order('2', '2025-05-01T00:00:00Z', 4_000)];
    const standing = standingAt(settings({ period: 'rolling_12_months' }), history, at('2025-06-01T00:00:00Z'));
    expect(standing.tier?.id).toBe('silver');
    expect(standing.retention).toEqual({ tier: tiers[1], remaining: 6_000, by: at('2026-01-09T23:59:59.999Z') });
  });

  it('calendar year, end of period: what this year still needs, by 31 December', () => {
    const history = [order('1', '2025-03-01T00:00:00Z', 12_000), order('2', '2026-02-01T00:00:00Z', 3_000)];
    const standing = standingAt(settings({ period: 'calendar_year', downgrade: 'end_of_period' }), history, at('2026-06-01T00:00:00Z'));
    expect(standing.tier?.id).toBe('silver');
    expect(standing.retention).toEqual({ tier: tiers[1], remaining: 7_000, by: at('2026-12-31T23:59:59.999Z') });
  });

  it('nothing to keep when the tier cannot be lost (lifetime) or when it is already kept', () => {
    expect(standingAt(settings(), [order('1', '2025-03-01T00:00:00Z', 12_000)], at('2025-06-01T00:00:00Z')).retention).toBeNull();
  });
});

describe('multiplier math', () => {
  it('rounds the multiplied points down, exactly', () => {
    expect(multiplyPoints(101, 1.25)).toBe(126);
    expect(multiplyPoints(7, 1.5)).toBe(10);
    expect(multiplyPoints(10, 1.15)).toBe(11);
    expect(multiplyPoints(3, 1.1)).toBe(3);
    expect(multiplyPoints(0, 2)).toBe(0);
  });

  it('combines tier and membership as the merchant sets: the higher one, or both multiplied', () => {
    expect(combineMultipliers(1.25, 2, 'highest')).toBe(2);
    expect(combineMultipliers(1.25, 1.1, 'product')).toBe(1.375);
    expect(multiplyPoints(100, combineMultipliers(1.25, 1.1, 'product'))).toBe(137);
  });

  it('a program without tiers or membership multiplies by 1', () => {
    const program = defaultProgram('USD');
    const { tiers: _tiers, tierRules: _rules, membership: _membership, ...stored } = program;
    const old = stored as Program;
    expect(tierSettingsOf(old).tiers).toEqual([]);
    expect(earningMultiplierAt(tierSettingsOf(old), [order('1', '2025-01-01T00:00:00Z', 90_000)], at('2025-02-01T00:00:00Z'))).toBe(1);
  });

  it('a higher tier makes rewards cheaper by its discount, never below 1 point', () => {
    expect(pointsCostFor(500, 'amount_off', perksHeld(tiers[2]!, null))).toBe(400);
    expect(pointsCostFor(500, 'amount_off', perksHeld(tiers[1]!, null))).toBe(500);
    expect(pointsCostFor(1, 'amount_off', perksHeld(tiers[2]!, null))).toBe(1);
    expect(pointsCostFor(499, 'percentage_off', perksHeld(tiers[2]!, null))).toBe(400);
  });

  it('free shipping as a perk makes free-shipping rewards cost nothing, and only those', () => {
    const shipping = perksHeld({ ...tiers[1]!, perks: { ...perks, freeShipping: true } }, null);
    expect(pointsCostFor(300, 'free_shipping', shipping)).toBe(0);
    expect(pointsCostFor(300, 'amount_off', shipping)).toBe(300);
    expect(pointsCostFor(300, 'free_shipping', perksHeld(tiers[2]!, null))).toBe(240);
  });

  it('a tier and an active membership together give the better of each perk', () => {
    const membership: TierSettings['membership'] = {
      ...membershipOff,
      enabled: true,
      variantId: '42',
      perks: { rewardDiscountPercent: 10, freeShipping: true, birthdayBonus: 300 },
    };
    const gold = { ...tiers[2]!, perks: { rewardDiscountPercent: 20, freeShipping: false, birthdayBonus: 100 } };
    expect(perksHeld(gold, membership)).toEqual({ rewardDiscountPercent: 20, freeShipping: true, birthdayBonus: 300 });
    expect(perksHeld(gold, { ...membership, enabled: false })).toEqual(gold.perks);
    expect(perksHeld(null, null)).toEqual(perks);
  });
});

describe('paid membership', () => {
  const member = settings({}, { enabled: true, variantId: '42', days: 30, earnMultiplier: 2 });
  const bought = (orderId: string, when: string) => order(orderId, when, 1_000, { memberDays: 30 });

  it('a paid order with the membership variant starts it for its days', () => {
    const events = [bought('1', '2025-01-01T00:00:00Z')];
    expect(membershipAt(events, at('2025-01-15T00:00:00Z'))).toEqual({ active: true, until: at('2025-01-31T00:00:00Z') });
    expect(membershipAt(events, at('2025-01-31T00:00:00Z')).active).toBe(false);
  });

  it('a renewal extends from the end of the running membership; after a lapse it starts afresh', () => {
    const renewed = [bought('1', '2025-01-01T00:00:00Z'), bought('2', '2025-01-20T00:00:00Z')];
    expect(membershipAt(renewed, at('2025-02-15T00:00:00Z'))).toEqual({ active: true, until: at('2025-03-02T00:00:00Z') });
    const lapsed = [bought('1', '2025-01-01T00:00:00Z'), bought('2', '2025-03-01T00:00:00Z')];
    expect(membershipAt(lapsed, at('2025-03-02T00:00:00Z')).until).toEqual(at('2025-03-31T00:00:00Z'));
  });

  it('a refund of the membership ends it; a refunded renewal leaves the earlier period', () => {
    const refunded = [bought('1', '2025-01-01T00:00:00Z'), refund('1', '2025-01-05T00:00:00Z', 1_000, { endsMembership: true })];
    expect(membershipAt(refunded, at('2025-01-04T00:00:00Z')).active).toBe(true);
    expect(membershipAt(refunded, at('2025-01-06T00:00:00Z'))).toEqual({ active: false, until: null });
    const renewalRefunded = [
      bought('1', '2025-01-01T00:00:00Z'),
      bought('2', '2025-01-20T00:00:00Z'),
      refund('2', '2025-01-21T00:00:00Z', 1_000, { endsMembership: true }),
    ];
    expect(membershipAt(renewalRefunded, at('2025-01-25T00:00:00Z'))).toEqual({ active: true, until: at('2025-01-31T00:00:00Z') });
  });

  it('members earn the membership multiplier from the order after the purchase', () => {
    const events = [bought('1', '2025-01-01T00:00:00Z'), order('2', '2025-01-02T00:00:00Z', 1_000)];
    expect(earningMultiplierAt(member, events, at('2025-01-01T00:00:00Z'), '1')).toBe(1);
    expect(earningMultiplierAt(member, events, at('2025-01-02T00:00:00Z'), '2')).toBe(2);
    expect(earningMultiplierAt({ ...member, membership: { ...member.membership, enabled: false } }, events, at('2025-01-02T00:00:00Z'), '2')).toBe(1);
  });
});

describe('program validation of tiers and membership', () => {
  const base = defaultProgram('USD');

  it('accepts tiers whose lowest threshold is 0 and keeps existing programs valid without tiers', () => {
    expect(validateProgram(base).ok).toBe(true);
    const { tiers: _tiers, tierRules: _rules, membership: _membership, ...stored } = base;
    const parsed = validateProgram(stored);
    expect(parsed.ok && parsed.program.tiers).toEqual([]);
    expect(validateProgram({ ...base, tiers }).ok).toBe(true);
  });

  it('names the field of each mistake', () => {
    const result = validateProgram({
      ...base,
      tiers: [tiers[1]!, { ...tiers[2]!, id: 'silver', threshold: 10_000, earnMultiplier: 0.5 }],
      membership: { ...base.membership, enabled: true, variantId: '' },
    });
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(Object.keys(result.errors).sort()).toEqual(
      ['membership.variantId', 'tiers', 'tiers.1.earnMultiplier', 'tiers.1.id', 'tiers.1.threshold'].sort(),
    );
  });
});

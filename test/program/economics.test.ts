import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { bandOf, BAND, programEconomics, type Economics, type RecentOrders } from '../../server/program/economics.js';
import { defaultProgram, type Program, type Reward } from '../../server/program/program.js';

const NO_ORDERS: RecentOrders = { days: 30, orders: 0, revenue: 0, outstandingPoints: 0 };
const FIFTY_DOLLARS = 5_000;
const shared = {
  enabled: true,
  minimumOrderAmount: 0,
  codeExpiresInDays: 90,
  combinesWith: { orderDiscounts: false, productDiscounts: true, shippingDiscounts: true },
};

function program(change: (draft: Program) => Program = (draft) => draft): Program {
  return change(defaultProgram('USD'));
}
function withRewards(...rewards: Reward[]): (draft: Program) => Program {
  return (draft) => ({ ...draft, rewards });
}
const fiveOff = (pointsCost: number): Extract<Reward, { type: 'amount_off' }> => ({
  ...shared,
  id: 'five-off',
  type: 'amount_off',
  name: '$5 off',
  pointsCost,
  amountOff: 500,
});
const economics = (draft: Program, recent = NO_ORDERS, prices = {}): Economics => programEconomics(draft, recent, FIFTY_DOLLARS, prices);

describe('program economics', () => {
  it('returns 5 % when 1 point per $1 meets $5 off at 100 points, and calls it balanced within the 1–5 % band', () => {
    const result = economics(program(withRewards(fiveOff(100))));
    expect(result.giveBackRate).toBeCloseTo(0.05, 10);
    expect(result).toMatchObject({ band: 'within', verdict: 'balanced', ordersToFirstReward: 2, pointsPerOrder: 50 });
    expect(result.findings[0]).toEqual({ code: 'band', values: { band: 'within', rate: result.giveBackRate } });
  });

  it('calls 9.4 % generous (above the band), never balanced', () => {
    // 1 point per $1, $4.70 off at 50 points: 9.4 % back.
    const result = economics(program(withRewards({ ...fiveOff(50), amountOff: 470 })));
    expect(result.giveBackRate).toBeCloseTo(0.094, 10);
    expect(result).toMatchObject({ band: 'above', verdict: 'generous' });
  });

  it('the verdict always agrees with the band the rate falls in', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 5_000 }),
        fc.integer({ min: 0, max: 40 }),
        fc.integer({ min: 1, max: 5_000 }),
        (pointsCost, rate, amountOff) => {
          const result = economics(
            program((draft) => ({
              ...withRewards({ ...fiveOff(pointsCost), amountOff })(draft),
              earning: { ...draft.earning, pointsPerCurrencyUnit: rate },
            })),
          );
          const expected = {
            none: ['too_stingy'],
            below: ['too_stingy'],
            within: ['balanced', 'slow_first_reward'],
            above: ['generous'],
            far_above: ['too_generous'],
          }[result.band];
          expect(expected).toContain(result.verdict);
          // Banded as shown to the merchant, to a tenth of a percent.
          expect(result.band).toBe(bandOf(Math.round(result.giveBackRate * 1000) / 1000));
        },
      ),
    );
  });

  it('a reward of 0 points is incomplete, never Infinity', () => {
    const result = economics(program(withRewards(fiveOff(0))));
    expect(result.verdict).toBe('incomplete');
    expect(
      Number.isFinite(result.giveBackRate) &&
        Number.isFinite(result.pointValue) &&
        Number.isFinite(result.costPer100) &&
        Number.isFinite(result.liability),
    ).toBe(true);
    expect(result.findings).toContainEqual({ code: 'reward_without_cost', values: { reward: '$5 off' } });
  });

  it('a field being typed (NaN) leaves every figure finite', () => {
    const result = economics(
      program((draft) => ({
        ...withRewards({ ...fiveOff(Number.NaN), amountOff: Number.NaN })(draft),
        earning: { ...draft.earning, pointsPerCurrencyUnit: Number.NaN },
      })),
      { days: 30, orders: 2, revenue: 8_000, outstandingPoints: 900 },
    );
    for (const figure of [result.giveBackRate, result.costPer100, result.projectedCost, result.liability, result.pointsPerOrder])
      expect(Number.isFinite(figure)).toBe(true);
    expect(result.verdict).toBe('incomplete');
  });

  it('counts the punch card bonus in the give-back rate: 50 points every 10th order adds 1 point per order', () => {
    const without = economics(program(withRewards(fiveOff(100))));
    const withPunch = economics(
      program((draft) => ({
        ...withRewards(fiveOff(100))(draft),
        earning: { ...draft.earning, punchCard: { enabled: true, everyNthOrder: 10, bonusPoints: 50 } },
      })),
    );
    expect(withPunch.pointsPerOrder).toBe(55);
    expect(withPunch.giveBackRate).toBeCloseTo(without.giveBackRate * 1.1, 10);
    expect(withPunch.findings).toContainEqual({ code: 'punch_card', values: { bonusPoints: 50, everyNthOrder: 10 } });
  });

  it('one order to the first reward is counted as 1', () => {
    const result = economics(program(withRewards(fiveOff(50))));
    expect(result.ordersToFirstReward).toBe(1);
    expect(result.findings).toContainEqual({ code: 'first_reward', values: { orders: 1 } });
  });

  it('cash back instead of points gives back exactly the cash back rate and has no first reward', () => {
    const result = economics(
      program((draft) => ({
        ...draft,
        earning: { ...draft.earning, pointsPerCurrencyUnit: 0, cashBack: { enabled: true, percent: 2, insteadOfPoints: true } },
      })),
    );
    expect(result).toMatchObject({ earnsPoints: false, pointsPerOrder: 0, ordersToFirstReward: null, band: 'within', verdict: 'balanced' });
    expect(result.giveBackRate).toBeCloseTo(0.02, 10);
  });

  it('values every reward type: percentage off and free shipping on the average order, a free product at its picked price', () => {
    const recent = { days: 30, orders: 4, revenue: 40_000, outstandingPoints: 0 };
    const percentage = economics(
      program(withRewards({ ...shared, id: 'p', type: 'percentage_off', name: '10 % off', pointsCost: 500, percentageOff: 10 })),
      recent,
    );
    expect(percentage.pointValue).toBeCloseTo(1_000 / 500, 10);
    const shipping = economics(program(withRewards({ ...shared, id: 's', type: 'free_shipping', name: 'Free shipping', pointsCost: 400 })), recent);
    expect(shipping.pointValue).toBeCloseTo(800 / 400, 10);
    const product = economics(
      program(withRewards({ ...shared, id: 'f', type: 'free_product', name: 'A mug', pointsCost: 200, variantId: '8021' })),
      recent,
      { '8021': 2_200 },
    );
    expect(product.pointValue).toBeCloseTo(2_200 / 200, 10);
    expect(product.findings.some((finding) => finding.code === 'product_price_assumed')).toBe(false);
    const unknown = economics(
      program(withRewards({ ...shared, id: 'f', type: 'free_product', name: 'A mug', pointsCost: 200, variantId: '' })),
      recent,
    );
    expect(unknown.findings).toContainEqual({ code: 'product_price_assumed', values: { reward: 'A mug' } });
    const credit = economics(
      program(withRewards({ ...shared, id: 'c', type: 'store_credit', name: 'Credit', pointsCost: 500, creditAmount: 500 })),
      recent,
    );
    expect(credit.pointValue).toBe(1);
    const slider = economics(
      program(
        withRewards({ ...shared, id: 'm', type: 'points_for_money', name: 'Slider', pointsCost: 100, stepAmount: 100, minSteps: 1, maxSteps: 50 }),
      ),
      recent,
    );
    expect(slider.pointValue).toBe(1);
  });

  it('an amount off larger than the average order is worth the order, not more', () => {
    const result = economics(program(withRewards({ ...fiveOff(1_000), amountOff: 100_000 })));
    expect(result.pointValue).toBe(FIFTY_DOLLARS / 1_000);
  });

  it('a slow first reward inside the band says so in its verdict', () => {
    // 1 point per $1 with $50 off at 1,000 points: 5 % back, but 20 orders of $50 to get there.
    const result = economics(program(withRewards({ ...fiveOff(1_000), amountOff: 5_000 })));
    expect(result).toMatchObject({ band: 'within', verdict: 'slow_first_reward', ordersToFirstReward: 20 });
  });

  it('the minimum order and the per-order cap limit the points an average order earns', () => {
    const capped = economics(
      program((draft) => ({ ...withRewards(fiveOff(100))(draft), earning: { ...draft.earning, caps: { perOrder: 20, perCustomerPerDay: null } } })),
    );
    expect(capped.pointsPerOrder).toBe(20);
    const minimum = economics(
      program((draft) => ({ ...withRewards(fiveOff(100))(draft), earning: { ...draft.earning, minimumOrderAmount: 10_000 } })),
    );
    expect(minimum.pointsPerOrder).toBe(0);
    expect(minimum.findings).toContainEqual({ code: 'below_minimum_order', values: { minimum: 10_000 } });
  });

  it('a program that is off costs nothing and says it is off', () => {
    const result = economics(program((draft) => ({ ...draft, enabled: false })));
    expect(result).toMatchObject({ giveBackRate: 0, verdict: 'off' });
  });

  it('uses the recent average order when there are orders, and values points already held', () => {
    const result = economics(program(withRewards(fiveOff(500))), { days: 30, orders: 10, revenue: 100_000, outstandingPoints: 2_000 });
    expect(result.averageOrder).toBe(10_000);
    expect(result.liability).toBe(2_000);
    expect(result.projectedCost).toBeCloseTo(100_000 * 0.01, 6);
  });

  it('a rate shown as 5.0 % is within the band, never above it', () => {
    // 1 point per $1 with $5.02 off at 100 points: 5.02 %, shown as "5.0 %".
    const result = economics(program(withRewards({ ...fiveOff(100), amountOff: 502 })));
    expect((result.giveBackRate * 100).toFixed(1)).toBe('5.0');
    expect(result).toMatchObject({ band: 'within', verdict: 'balanced' });
  });

  it('band edges: 1 % and 5 % are within, just above 5 % is above, above 10 % is far above', () => {
    expect([bandOf(BAND.low), bandOf(BAND.high), bandOf(0.0501), bandOf(BAND.ceiling), bandOf(0.1001), bandOf(0.009), bandOf(0)]).toEqual([
      'within',
      'within',
      'above',
      'above',
      'far_above',
      'below',
      'none',
    ]);
  });
});

describe('one point value, first reward by integer arithmetic, engagement costs (issue 27)', () => {
  const drink = (pointsCost: number, amountOff: number): Reward => ({
    ...shared,
    id: 'drink',
    type: 'amount_off',
    name: 'A free drink',
    pointsCost,
    amountOff,
  });
  const slider: Reward = {
    ...shared,
    id: 'slider',
    type: 'points_for_money',
    name: 'Points for money',
    pointsCost: 100,
    stepAmount: 100,
    minSteps: 1,
    maxSteps: 10,
  } as Reward;

  it('counts orders to the first reward order by order, as earning credits them: 3 points a $3.10 order, 10 bonus every 10th order, 100 to the reward is 27 orders, not 25', () => {
    const coffee = program((draft) => ({
      ...withRewards(drink(100, 400))(draft),
      earning: { ...draft.earning, punchCard: { enabled: true, everyNthOrder: 10, bonusPoints: 10 } },
    }));
    // 25 orders earn 75 points and two punch-card bonuses (95); the 26th 98; the 27th 101.
    const result = programEconomics(coffee, { days: 30, orders: 10, revenue: 3_100, outstandingPoints: 0 }, FIFTY_DOLLARS);
    expect(result.ordersToFirstReward).toBe(27);
  });

  it('rounds each order down as earning does, tier multiplier included: 7 points × 1.5 is 10 an order, so 500 points take 50 orders, not 48', () => {
    // 0.5 points per $1 on a $14.70 order: 7 points; a new customer's tier multiplies them by 1.5, rounded down.
    const stingy = program((draft) => ({
      ...withRewards(fiveOff(500))(draft),
      earning: { ...draft.earning, pointsPerCurrencyUnit: 0.5 },
      tiers: [
        {
          id: 'base',
          name: 'Base',
          threshold: 0,
          earnMultiplier: 1.5,
          entryReward: 0,
          perks: { rewardDiscountPercent: 0, freeShipping: false, birthdayBonus: 0 },
        },
      ],
    }));
    const result = programEconomics(stingy, { days: 30, orders: 10, revenue: 14_700, outstandingPoints: 0 }, FIFTY_DOLLARS);
    expect(result.ordersToFirstReward).toBe(50);
  });

  it('values points held with pointValueOf, the point value accounting uses, and warns when rewards value a point differently', () => {
    const both = program(withRewards(drink(100, 400), slider));
    const result = economics(both, { days: 30, orders: 0, revenue: 0, outstandingPoints: 428 });
    // $4 at 100 points: 4,000 minor units per 1,000 points, so the 428 points held are worth $17.12.
    expect(result.pointValueOf.perThousand).toBe(4_000);
    expect(result.liability).toBe(1_712);
    const finding = result.findings.find((candidate) => candidate.code === 'point_values_differ');
    expect(finding).toEqual({
      code: 'point_values_differ',
      values: { low: { reward: 'Points for money', perPoint: 1 }, high: { reward: 'A free drink', perPoint: 4 }, liabilityPer100: 400 },
    });
    expect(economics(program(withRewards(drink(100, 400)))).findings.some((candidate) => candidate.code === 'point_values_differ')).toBe(false);
  });

  it('prices each way to earn beyond orders at the point value: a referral is the referrer’s points and the friend’s discount', () => {
    const result = economics(program(withRewards(drink(100, 400))));
    const referral = result.engagement.find((cost) => cost.kind === 'referral');
    // 500 points at 4¢ is $20; 10 % off a $50 first order is $5.
    expect(referral).toEqual({ kind: 'referral', points: 500, value: 2_000, extra: 500 });
    expect(result.engagement.find((cost) => cost.kind === 'birthday')).toEqual({ kind: 'birthday', points: 100, value: 400, extra: 0 });
    expect(economics(program((draft) => ({ ...draft, enabled: false }))).engagement).toEqual([]);
  });
});

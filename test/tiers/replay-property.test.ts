import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AppContext } from '../../server/platform/context.js';
import { defaultProgram, type Program } from '../../server/program/index.js';
import {
  changesOf,
  evaluateCustomer,
  readState,
  recordQualifyingOrder,
  recordQualifyingReversal,
  tierAt,
  tierSettingsOf,
  type QualifyingEvent,
  type Tier,
  type TierSettings,
} from '../../server/tiers/index.js';
import { testContext } from '../support/context.js';

const HOUR = 3_600_000;
const START = Date.UTC(2025, 0, 1);
const perks = { rewardDiscountPercent: 0, freeShipping: false, birthdayBonus: 0 };
const tiers: Tier[] = [
  { id: 'bronze', name: 'Bronze', threshold: 0, earnMultiplier: 1, entryReward: 0, perks },
  { id: 'silver', name: 'Silver', threshold: 100, earnMultiplier: 1.25, entryReward: 0, perks },
  { id: 'gold', name: 'Gold', threshold: 250, earnMultiplier: 1.5, entryReward: 0, perks },
];
/** Order counts need thresholds a few orders can reach. */
const tiersFor = (metric: 'spend' | 'orders'): Tier[] =>
  metric === 'spend' ? tiers : tiers.map((tier, index) => ({ ...tier, threshold: index * 2 }));

const rulesArbitrary = fc.record({
  metric: fc.constantFrom('spend' as const, 'orders' as const),
  period: fc.constantFrom('lifetime' as const, 'calendar_year' as const, 'rolling_12_months' as const),
  downgrade: fc.constantFrom('immediate' as const, 'end_of_period' as const),
  graceDays: fc.integer({ min: 0, max: 2 }),
});

/** Orders and partial refunds on whole hours over two years: spend 0..200, a refund takes back part of one order. */
const historyArbitrary = fc.array(
  fc.record({
    hour: fc.integer({ min: 0, max: 2 * 8760 }),
    spend: fc.integer({ min: 40, max: 200 }),
    refundAfter: fc.option(fc.integer({ min: 1, max: 6000 })),
    refundShare: fc.integer({ min: 1, max: 100 }),
  }),
  { maxLength: 8 },
);

/** When to look: any hour, or close after an event or its first anniversary (where tiers move and grace matters). */
const momentArbitrary = fc.record({
  anywhere: fc.integer({ min: 0, max: 3 * 8760 }),
  near: fc.option(fc.record({ event: fc.nat(), years: fc.integer({ min: 0, max: 1 }), hours: fc.integer({ min: -2, max: 50 }) })),
});

function momentOf(moment: { anywhere: number; near: { event: number; years: number; hours: number } | null }, events: QualifyingEvent[]): number {
  const anchor = moment.near && events.length > 0 ? events[moment.near.event % events.length]! : null;
  if (!anchor || !moment.near) return START + moment.anywhere * HOUR;
  const date = anchor.at;
  return Date.UTC(date.getUTCFullYear() + moment.near.years, date.getUTCMonth(), date.getUTCDate(), date.getUTCHours()) + moment.near.hours * HOUR;
}

function eventsOfPlan(plan: Array<{ hour: number; spend: number; refundAfter: number | null; refundShare: number }>): QualifyingEvent[] {
  return plan.flatMap((step, index) => {
    const orderId = String(index + 1);
    const at = new Date(START + step.hour * HOUR);
    const placed: QualifyingEvent = {
      key: `order:${orderId}`,
      at,
      points: step.spend,
      spend: step.spend,
      orders: 1,
      orderId,
      memberDays: 0,
      endsMembership: false,
    };
    if (step.refundAfter === null) return [placed];
    const refunded = Math.floor((step.spend * step.refundShare) / 100);
    const full = refunded === step.spend;
    return [
      placed,
      {
        key: `reversal:${orderId}`,
        at: new Date(at.getTime() + step.refundAfter * HOUR),
        points: -refunded,
        spend: -refunded,
        orders: full ? -1 : 0,
        orderId,
        memberDays: 0,
        endsMembership: full,
      },
    ];
  });
}

/**
 * The rules read literally, sampled on every hour (every event and boundary lies on a whole hour):
 * the window's sum, the policy's "kept until the end of the period" and the grace period.
 */
function referenceTier(settings: TierSettings, events: QualifyingEvent[], t: number): number {
  const { metric, period, downgrade, graceDays } = settings.rules;
  const value = (from: number, to: number) =>
    events
      .filter((event) => event.at.getTime() > from && event.at.getTime() <= to)
      .reduce((sum, event) => sum + (metric === 'spend' ? event.spend : event.orders), 0);
  const rank = (sum: number) => settings.tiers.reduce((best, tier, index) => (tier.threshold <= sum ? index : best), 0);
  const yearAgo = (ms: number) => {
    const date = new Date(ms);
    return Date.UTC(date.getUTCFullYear() - 1, date.getUTCMonth(), date.getUTCDate(), date.getUTCHours());
  };
  const yearStart = (ms: number, offset = 0) => Date.UTC(new Date(ms).getUTCFullYear() + offset, 0, 1);
  const earned = (s: number) =>
    rank(period === 'lifetime' ? value(-Infinity, s) : period === 'calendar_year' ? value(yearStart(s) - 1, s) : value(yearAgo(s), s));
  const maxEarned = (from: number, to: number) => {
    let best = 0;
    for (let s = from; s <= to; s += HOUR) best = Math.max(best, earned(s));
    return best;
  };
  const policy = (s: number) => {
    if (downgrade === 'immediate') return earned(s);
    if (period === 'lifetime') return maxEarned(Math.min(START, s), s);
    if (period === 'calendar_year') return Math.max(rank(value(yearStart(s, -1) - 1, yearStart(s) - 1)), maxEarned(yearStart(s), s));
    return maxEarned(yearAgo(s), s);
  };
  let held = 0;
  for (let s = t - graceDays * 24 * HOUR; s <= t; s += HOUR) held = Math.max(held, policy(s));
  return held;
}

describe('tier state equals a replay of the history', () => {
  it('the evaluator agrees with the rules read literally, hour by hour, for every metric, period, policy and grace', () => {
    fc.assert(
      fc.property(rulesArbitrary, historyArbitrary, momentArbitrary, (rules, plan, moment) => {
        const settings: TierSettings = {
          tiers: tiersFor(rules.metric),
          rules,
          membership: { enabled: false, variantId: '', days: 30, earnMultiplier: 1, combine: 'highest', perks },
        };
        const events = eventsOfPlan(plan);
        const t = momentOf(moment, events);
        const before = events.filter((event) => event.at.getTime() <= t);
        expect(tierAt(settings, events, new Date(t))?.id).toBe(settings.tiers[referenceTier(settings, before, t)]!.id);
      }),
      { numRuns: 200 },
    );
  }, 120_000);

  describe('through the store (real database)', () => {
    let ctx: AppContext;
    beforeAll(async () => {
      ctx = await testContext('tiers-replay');
    });
    afterAll(async () => {
      await ctx.connection.close();
    });

    let run = 0;
    it('after any order of orders and refunds, delivered twice and concurrently, the recorded tier is the replayed one and the changes chain', async () => {
      await fc.assert(
        fc.asyncProperty(rulesArbitrary, historyArbitrary, fc.integer({ min: 0, max: 3 * 8760 }), async (rules, plan, finalHour) => {
          run++;
          const shop = `replay-${run}.myshopify.com`;
          const customerId = String(1000 + run);
          const program: Program = { ...defaultProgram('USD'), tiers: tiersFor(rules.metric), tierRules: rules };
          const events = eventsOfPlan(plan);
          const deliver = (event: QualifyingEvent) =>
            event.key.startsWith('order:')
              ? recordQualifyingOrder(ctx, {
                  shop,
                  customerId,
                  orderId: event.orderId!,
                  points: event.points,
                  spend: event.spend,
                  lineVariantIds: [],
                  paidAt: event.at,
                  program,
                })
              : recordQualifyingReversal(ctx, {
                  shop,
                  customerId,
                  orderId: event.orderId!,
                  reversalKey: event.key,
                  points: -event.points,
                  spend: -event.spend,
                  orders: -event.orders,
                  lineVariantIds: [],
                  reversedAt: event.at,
                  program,
                });
          // Each delivery twice, two at a time, in arrival order rather than time order.
          for (let index = 0; index < events.length; index += 2)
            await Promise.all([...events.slice(index, index + 2), ...events.slice(index, index + 2)].map(deliver));
          const now = new Date(START + finalHour * HOUR);
          await evaluateCustomer(ctx, program, shop, customerId, now, 'test');
          const expected = tierAt(tierSettingsOf(program), events, now)?.id ?? null;
          const changes = (await changesOf(ctx.connection, shop, customerId)).reverse();
          expect(changes.at(-1)?.toTierId ?? null).toBe(expected);
          expect((await readState(ctx.connection, shop, customerId))?.tierId ?? null).toBe(expected);
          changes.forEach((change, index) => {
            expect(change.seq).toBe(index + 1);
            expect(change.fromTierId).toBe(index === 0 ? null : changes[index - 1]!.toTierId);
            expect(change.toTierId).not.toBe(change.fromTierId);
          });
        }),
        { numRuns: 12 },
      );
    }, 300_000);
  });
});

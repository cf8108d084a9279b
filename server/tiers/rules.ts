import { mulDivFloor } from '../platform/money.js';
import { defaultTierSettings, type Program } from '../program/index.js';

export type Tier = Program['tiers'][number];
export type TierRules = Program['tierRules'];
export type Membership = Program['membership'];
export type TierMetric = TierRules['metric'];

export interface TierSettings {
  /** Lowest threshold first. */
  tiers: Tier[];
  rules: TierRules;
  membership: Membership;
}

/**
 * One thing that counts towards a tier: a paid order, a reversal of one (negative amounts) or a
 * merchant adjustment marked as counting. Amounts are signed integers.
 */
export interface QualifyingEvent {
  key: string;
  at: Date;
  points: number;
  /** Eligible money, in the shop's minor units. */
  spend: number;
  orders: number;
  orderId?: string;
  /** Days of membership this order bought (0 when it bought none). */
  memberDays: number;
  /** This reversal ends the membership that order `orderId` bought. */
  endsMembership: boolean;
}

/** A standing as stored and shown: tiers by id and name. */
export function standingSummary(standing: TierStanding): {
  tierId: string | null;
  value: number;
  next: { id: string; name: string; remaining: number } | null;
  retention: { id: string; name: string; remaining: number; by: Date } | null;
  membershipUntil: Date | null;
} {
  return {
    tierId: standing.tier?.id ?? null,
    value: standing.value,
    next: standing.next ? { id: standing.next.tier.id, name: standing.next.tier.name, remaining: standing.next.remaining } : null,
    retention: standing.retention
      ? { id: standing.retention.tier.id, name: standing.retention.tier.name, remaining: standing.retention.remaining, by: standing.retention.by }
      : null,
    membershipUntil: standing.membership.until,
  };
}

export interface TierStanding {
  /** The tier held; null only when the program has no tiers. */
  tier: Tier | null;
  /** The metric counted in the current period. */
  value: number;
  next: { tier: Tier; remaining: number } | null;
  /** What keeps the held tier past the date it would otherwise be lost. */
  retention: { tier: Tier; remaining: number; by: Date } | null;
  membership: { active: boolean; until: Date | null };
  /** The multiplier an order paid at `now` earns. */
  multiplier: number;
  /** Until when this standing holds if nothing new happens; null when for ever. */
  validUntil: Date | null;
}

const DAY_MS = 86_400_000;
/** How far ahead a standing looks for the moment a tier is lost. */
const HORIZON_YEARS = 3;

/** A program stored before tiers existed has none of these fields: it has no tiers and no membership. */
export function tierSettingsOf(program: Program): TierSettings {
  const stored: Partial<Pick<Program, 'tiers' | 'tierRules' | 'membership'>> = program;
  const defaults = defaultTierSettings();
  return {
    tiers: [...(stored.tiers ?? [])].sort((a, b) => a.threshold - b.threshold),
    rules: { ...defaults.tierRules, ...stored.tierRules },
    membership: { ...defaults.membership, ...stored.membership },
  };
}

export function hasTiersOrMembership(settings: TierSettings): boolean {
  return settings.tiers.length > 0 || settings.membership.enabled;
}

function addYears(ms: number, years: number): number {
  const date = new Date(ms);
  return Date.UTC(
    date.getUTCFullYear() + years,
    date.getUTCMonth(),
    date.getUTCDate(),
    date.getUTCHours(),
    date.getUTCMinutes(),
    date.getUTCSeconds(),
    date.getUTCMilliseconds(),
  );
}

function yearStart(ms: number, offset = 0): number {
  return Date.UTC(new Date(ms).getUTCFullYear() + offset, 0, 1);
}

function metricOf(event: QualifyingEvent, metric: TierMetric): number {
  return metric === 'points' ? event.points : metric === 'spend' ? event.spend : event.orders;
}

/**
 * Evaluates one customer's events under one set of tier settings. Every time-dependent figure
 * changes only at a few instants (an event, an event leaving a 12-month window, a new year, the
 * end of a grace period), so maxima over an interval are taken over those instants alone.
 */
class Evaluator {
  private readonly earnedAt = new Map<number, number>();
  private readonly instants: number[];
  private readonly graceMs: number;

  constructor(
    private readonly settings: TierSettings,
    private readonly events: QualifyingEvent[],
    horizonMs: number,
  ) {
    this.graceMs = settings.rules.graceDays * DAY_MS;
    const times = new Set<number>();
    let first = horizonMs;
    for (const event of events) {
      const at = event.at.getTime();
      first = Math.min(first, at);
      for (const instant of [at, addYears(at, 1), addYears(at, 2)]) times.add(instant);
    }
    for (let year = new Date(first).getUTCFullYear(); Date.UTC(year, 0, 1) <= horizonMs; year++) times.add(Date.UTC(year, 0, 1));
    for (const instant of [...times]) if (this.graceMs > 0) times.add(instant + this.graceMs);
    this.instants = [...times].sort((a, b) => a - b);
  }

  /** The instants in [from, to], and `from` itself. */
  private within(from: number, to: number): number[] {
    return [from, ...this.instants.filter((instant) => instant > from && instant <= to)];
  }

  /** Instants after `after`, in order: where a standing may change. */
  changesAfter(after: number): number[] {
    return this.instants.filter((instant) => instant > after);
  }

  sumBetween(fromExclusive: number, to: number): number {
    const metric = this.settings.rules.metric;
    return this.events.reduce((sum, event) => {
      const at = event.at.getTime();
      return at > fromExclusive && at <= to ? sum + metricOf(event, metric) : sum;
    }, 0);
  }

  /** The metric counted at `t` in the period's window. */
  value(t: number): number {
    switch (this.settings.rules.period) {
      case 'lifetime':
        return this.sumBetween(-Infinity, t);
      case 'calendar_year':
        return this.sumBetween(yearStart(t) - 1, t);
      case 'rolling_12_months':
        return this.sumBetween(addYears(t, -1), t);
    }
  }

  tierIndexFor(value: number): number {
    let index = 0;
    this.settings.tiers.forEach((tier, at) => {
      if (tier.threshold <= value) index = at;
    });
    return index;
  }

  /** The tier the window qualifies for at `t`. */
  earned(t: number): number {
    let index = this.earnedAt.get(t);
    if (index === undefined) {
      index = this.tierIndexFor(this.value(t));
      this.earnedAt.set(t, index);
    }
    return index;
  }

  private maxEarned(from: number, to: number): number {
    return this.within(from, to).reduce((best, instant) => Math.max(best, this.earned(instant)), 0);
  }

  /**
   * The tier held at `t` before grace. Immediate: what the window earns now. End of period: a
   * tier reached is kept to the period's end (lifetime: for ever; calendar year: to 31 December,
   * and what a whole year earned carries through the next; rolling: 12 months after it was reached).
   */
  private policyTier(t: number): number {
    if (this.settings.rules.downgrade === 'immediate') return this.earned(t);
    switch (this.settings.rules.period) {
      case 'lifetime':
        return this.maxEarned(-Infinity, t);
      case 'calendar_year':
        return Math.max(this.tierIndexFor(this.sumBetween(yearStart(t, -1) - 1, yearStart(t) - 1)), this.maxEarned(yearStart(t), t));
      case 'rolling_12_months':
        return this.maxEarned(addYears(t, -1), t);
    }
  }

  /** The tier held at `t`: a downgrade takes effect only after the grace period. */
  held(t: number): number {
    if (this.graceMs === 0) return this.policyTier(t);
    return this.within(t - this.graceMs, t).reduce((best, instant) => Math.max(best, this.policyTier(instant)), 0);
  }
}

/** Membership at `t`: purchases extend it (from its end when still running), a refunded purchase no longer counts. */
export function membershipAt(events: QualifyingEvent[], t: Date): { active: boolean; until: Date | null } {
  const now = t.getTime();
  const ended = new Set(events.filter((event) => event.endsMembership && event.at.getTime() <= now && event.orderId).map((event) => event.orderId));
  const purchases = events
    .filter((event) => event.memberDays > 0 && event.at.getTime() <= now && !ended.has(event.orderId))
    .sort((a, b) => a.at.getTime() - b.at.getTime());
  let until: number | null = null;
  for (const purchase of purchases) until = Math.max(until ?? 0, purchase.at.getTime()) + purchase.memberDays * DAY_MS;
  return { active: until !== null && until > now, until: until === null ? null : new Date(until) };
}

/** Tier and membership multipliers combined as the merchant chose, exact to four decimals. */
export function combineMultipliers(tierMultiplier: number, memberMultiplier: number, combine: Membership['combine']): number {
  return combine === 'product' ? Math.round(tierMultiplier * memberMultiplier * 10_000) / 10_000 : Math.max(tierMultiplier, memberMultiplier);
}

/** An order's points under a multiplier, rounded down (exact integer arithmetic). */
export function multiplyPoints(points: number, multiplier: number): number {
  return mulDivFloor(points, Math.round(multiplier * 10_000), 10_000);
}

function before(events: QualifyingEvent[], t: Date): QualifyingEvent[] {
  return events.filter((event) => event.at.getTime() <= t.getTime());
}

/** The tier held at `t` (null when the program has no tiers). */
export function tierAt(settings: TierSettings, events: QualifyingEvent[], t: Date): Tier | null {
  if (settings.tiers.length === 0) return null;
  return settings.tiers[new Evaluator(settings, before(events, t), t.getTime()).held(t.getTime())] ?? null;
}

/**
 * The multiplier of an order paid at `paidAt`: the tier and membership held then, from every
 * event before it but the order's own (the order that crosses a threshold earns at the old tier).
 */
export function earningMultiplierAt(settings: TierSettings, events: QualifyingEvent[], paidAt: Date, orderId?: string): number {
  const history = orderId === undefined ? events : events.filter((event) => event.orderId !== orderId);
  const tierMultiplier = tierAt(settings, history, paidAt)?.earnMultiplier ?? 1;
  const memberMultiplier = settings.membership.enabled && membershipAt(history, paidAt).active ? settings.membership.earnMultiplier : 1;
  return combineMultipliers(tierMultiplier, memberMultiplier, settings.membership.combine);
}

/** The least extra amount, added at `at`, that still holds tier `index` at `lostAt`; null when none up to the threshold does. */
function amountToKeep(settings: TierSettings, events: QualifyingEvent[], index: number, at: number, lostAt: number): number | null {
  const metric = settings.rules.metric;
  const keeps = (amount: number) => {
    const extra: QualifyingEvent = {
      key: 'retention',
      at: new Date(at),
      points: 0,
      spend: 0,
      orders: 0,
      memberDays: 0,
      endsMembership: false,
      [metric]: amount,
    };
    return new Evaluator(settings, [...events, extra], lostAt).held(lostAt) >= index;
  };
  let high = settings.tiers[index]?.threshold ?? 0;
  if (!keeps(high)) return null;
  let low = 0;
  while (low < high) {
    const middle = Math.floor((low + high) / 2);
    if (keeps(middle)) high = middle;
    else low = middle + 1;
  }
  return low;
}

/** Where a customer stands at `now`: tier, progress to the next, what keeps the tier, membership. */
export function standingAt(settings: TierSettings, allEvents: QualifyingEvent[], now: Date): TierStanding {
  const events = before(allEvents, now);
  const t = now.getTime();
  const horizon = addYears(t, HORIZON_YEARS);
  const membership = membershipAt(events, now);
  const memberChange = membership.active && membership.until ? membership.until.getTime() : null;
  const multiplier = earningMultiplierAt(settings, events, now);
  if (settings.tiers.length === 0) {
    return {
      tier: null,
      value: 0,
      next: null,
      retention: null,
      membership,
      multiplier,
      validUntil: memberChange === null ? null : new Date(memberChange),
    };
  }
  const evaluator = new Evaluator(settings, events, horizon);
  const index = evaluator.held(t);
  const tier = settings.tiers[index]!;
  const value = evaluator.value(t);
  const above = settings.tiers[index + 1];
  const next = above ? { tier: above, remaining: Math.max(1, above.threshold - value) } : null;

  const changes = evaluator.changesAfter(t).filter((instant) => instant <= horizon);
  const lostAt = changes.find((instant) => evaluator.held(instant) < index);
  let retention: TierStanding['retention'] = null;
  if (lostAt !== undefined) {
    // The latest moment an amount still keeps the tier: just before the loss, else the end of this year, else now.
    for (const deadline of [lostAt - 1, yearStart(t, 1) - 1, t].filter((instant) => instant >= t && instant < lostAt)) {
      const remaining = amountToKeep(settings, events, index, deadline, lostAt);
      if (remaining === null) continue;
      retention = { tier, remaining, by: new Date(deadline) };
      break;
    }
  }
  const firstChange = [changes[0], memberChange].filter((instant): instant is number => instant !== undefined && instant !== null);
  return { tier, value, next, retention, membership, multiplier, validUntil: firstChange.length > 0 ? new Date(Math.min(...firstChange)) : null };
}

/** A tier's position, lowest first (-1 for none): to tell an upgrade from a downgrade. */
export function tierRank(settings: TierSettings, tierId: string | null): number {
  return settings.tiers.findIndex((tier) => tier.id === tierId);
}

export type Perks = Tier['perks'];

export const noPerks: Perks = { rewardDiscountPercent: 0, freeShipping: false, birthdayBonus: 0 };

/** What a customer enjoys from the tier held and an active membership: the better of each perk. */
export function perksHeld(tier: Tier | null, membership: Membership | null): Perks {
  const from = [tier?.perks, membership?.enabled ? membership.perks : undefined].filter((perks): perks is Perks => perks !== undefined);
  return {
    rewardDiscountPercent: Math.max(0, ...from.map((perks) => perks.rewardDiscountPercent)),
    freeShipping: from.some((perks) => perks.freeShipping),
    birthdayBonus: Math.max(0, ...from.map((perks) => perks.birthdayBonus)),
  };
}

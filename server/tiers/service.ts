import type { AppContext } from '../platform/context.js';
import { applyEntry, ledgerKeys } from '../ledger/index.js';
import { loadProgram, type Program } from '../program/index.js';
import {
  earningMultiplierAt,
  hasTiersOrMembership,
  standingAt,
  standingSummary,
  tierRank,
  tierSettingsOf,
  type TierSettings,
  type TierStanding,
} from './rules.js';
import {
  changesAtSteps,
  eventsOf,
  eventsOfCustomers,
  insertChange,
  newestChange,
  readState,
  recordEventOnce,
  statesOf,
  writeKnownState,
  writeState,
  type QualifyingKind,
  type StateFields,
  type StoredQualifyingEvent,
} from './store.js';

const MAX_ATTEMPTS = 50;

/** The ledger key of a tier's entry reward (ledger/keys.ts). */
export const tierEntryKey = ledgerKeys.tierEntered;

async function programOf(ctx: AppContext, shop: string, given: Program | undefined): Promise<Program | null> {
  return given ?? (await loadProgram(ctx.connection, shop));
}

/** The stored form of a customer's standing at step `seq` of their tier changes. */
function stateOfStanding(program: Program, shop: string, customerId: string, seq: number, standing: TierStanding, now: Date): StateFields {
  return {
    shop,
    customerId,
    seq,
    ...standingSummary(standing),
    tierName: standing.tier?.name ?? null,
    validUntil: standing.validUntil,
    programVersion: program.version,
    evaluatedAt: now,
  };
}

/**
 * Re-evaluates the customers of a batch of orders, each as of its newest order, with three reads for
 * all of them (their standings, their events, the changes at and after each standing's step) and
 * one write each. A customer whose tier changes, or whose standing lags its newest change, goes
 * through evaluateCustomer's loop, which records the change.
 */
export async function evaluateCustomers(
  ctx: AppContext,
  program: Program,
  shop: string,
  customers: Array<{ customerId: string; at: Date; reason: string }>,
): Promise<void> {
  if (customers.length === 0) return;
  const settings = tierSettingsOf(program);
  const ids = customers.map((customer) => customer.customerId);
  const [states, events] = await Promise.all([statesOf(ctx.connection, shop, ids), eventsOfCustomers(ctx.connection, shop, ids)]);
  const changes = await changesAtSteps(
    ctx.connection,
    shop,
    customers.flatMap(({ customerId }) => {
      const seq = states.get(customerId)?.seq ?? 0;
      return seq > 0
        ? [
            { customerId, seq },
            { customerId, seq: seq + 1 },
          ]
        : [{ customerId, seq: 1 }];
    }),
  );
  for (const { customerId, at, reason } of customers) {
    const state = states.get(customerId) ?? null;
    const seq = state?.seq ?? 0;
    const newest = changes.get(`${customerId}|${seq}`) ?? null;
    const standing = standingAt(settings, events.get(customerId) ?? [], at);
    const overtaken = changes.has(`${customerId}|${seq + 1}`) || (seq > 0 && !newest);
    const entryRewardDue = standing.tier !== null && standing.tier.entryReward > 0 && standing.tier.threshold > 0 && newest?.direction === 'up';
    if (overtaken || entryRewardDue || (standing.tier?.id ?? null) !== (newest?.toTierId ?? null)) {
      await evaluateCustomer(ctx, program, shop, customerId, at, reason);
      continue;
    }
    await writeKnownState(ctx.connection, stateOfStanding(program, shop, customerId, seq, standing, at), state?.syncedTierId);
  }
}

/**
 * Re-evaluates a customer and records a tier change when the tier held differs from the last one
 * recorded. Each change takes the next step of the customer's sequence with a unique insert; a
 * writer that lost the step, or that just wrote one, reads again, so the newest change always
 * ends on what the customer's events give (the loop stops when they agree).
 */
export async function evaluateCustomer(
  ctx: AppContext,
  program: Program,
  shop: string,
  customerId: string,
  now: Date,
  reason: string,
): Promise<TierStanding> {
  const settings = tierSettingsOf(program);
  for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
    const state = await readState(ctx.connection, shop, customerId);
    const newest = await newestChange(ctx.connection, shop, customerId, state?.seq ?? 0);
    const standing = standingAt(settings, await eventsOf(ctx.connection, shop, customerId), now);
    const target = standing.tier;
    const current = newest?.toTierId ?? null;
    if ((target?.id ?? null) === current) {
      await writeState(ctx.connection, stateOfStanding(program, shop, customerId, newest?.seq ?? 0, standing, now));
      if (target && target.entryReward > 0 && target.threshold > 0 && newest?.direction === 'up')
        await grantEntryReward(ctx, shop, customerId, target.id, target.name, target.entryReward, now);
      return standing;
    }
    const from = tierRank(settings, current);
    const to = tierRank(settings, target?.id ?? null);
    await insertChange(ctx.connection, {
      shop,
      customerId,
      seq: (newest?.seq ?? 0) + 1,
      fromTierId: current,
      fromName: newest?.toName ?? null,
      toTierId: target?.id ?? null,
      toName: target?.name ?? null,
      direction: to > from ? 'up' : to < from ? 'down' : 'same',
      reason,
      at: now,
    });
  }
  throw new Error(`the tier of customer ${customerId} of ${shop} could not be recorded after ${MAX_ATTEMPTS} attempts (contention)`);
}

async function grantEntryReward(
  ctx: AppContext,
  shop: string,
  customerId: string,
  tierId: string,
  name: string,
  points: number,
  now: Date,
): Promise<void> {
  await applyEntry(
    ctx.connection,
    {
      shop,
      customerId,
      key: tierEntryKey(customerId, tierId),
      type: 'bonus',
      available: points,
      pending: 0,
      reason: `reached ${name}`,
      source: 'tiers',
      guard: 'none',
    },
    now,
  );
}

/**
 * Records the event and re-evaluates the customer; a program without tiers or membership records
 * nothing, so its orders cost no extra database round trip (docs/tiers.md: enabling tiers later).
 */
async function recordAndEvaluate(
  ctx: AppContext,
  program: Program | null,
  event: Omit<StoredQualifyingEvent, '_id' | 'recordedAt'> | null,
  now: Date,
): Promise<TierStanding | null> {
  if (!program || !event || !hasTiersOrMembership(tierSettingsOf(program))) return null;
  await recordEventOnce(ctx.connection, { ...event, recordedAt: now });
  return evaluateCustomer(ctx, program, event.shop, event.customerId, now, `${event.kind} ${event.orderId ?? event.key}`);
}

export interface QualifyingOrder {
  shop: string;
  customerId: string;
  orderId: string;
  /** Points the order earned (as credited). */
  points: number;
  /** The order's eligible amount, in the shop's minor units. */
  spend: number;
  /** Variant ids of the order's lines (the membership variant buys a membership). */
  lineVariantIds: string[];
  paidAt: Date;
  /** The shop's program when the caller has it; read otherwise. */
  program?: Program;
}

/** The qualifying event of a paid order (key `order:<id>`): its points, its money, and the membership it buys. */
export function paidOrderEvent(program: Program, order: Omit<QualifyingOrder, 'program'>): Omit<StoredQualifyingEvent, '_id' | 'recordedAt'> {
  const membership = tierSettingsOf(program).membership;
  const buysMembership = membership.enabled && membership.variantId !== '' && order.lineVariantIds.includes(membership.variantId);
  return {
    shop: order.shop,
    customerId: order.customerId,
    key: `order:${order.orderId}`,
    kind: 'order',
    at: order.paidAt,
    points: order.points,
    spend: order.spend,
    orders: 1,
    orderId: order.orderId,
    memberDays: buysMembership ? membership.days : 0,
    endsMembership: false,
  };
}

/** A paid order counts once (key `order:<id>`); the customer is re-evaluated after it. Idempotent. */
export async function recordQualifyingOrder(ctx: AppContext, order: QualifyingOrder): Promise<TierStanding | null> {
  const program = await programOf(ctx, order.shop, order.program);
  return recordAndEvaluate(ctx, program, program ? paidOrderEvent(program, order) : null, order.paidAt);
}

export interface QualifyingReversal {
  shop: string;
  customerId: string;
  orderId: string;
  /** The reversal's own business key (the ledger's, e.g. `reverse:refund:<id>` or `cancel:order:<id>`). */
  reversalKey: string;
  /** What the reversal takes back, as positive amounts. */
  points: number;
  spend: number;
  /** 1 when the whole order is taken back (cancellation, full refund), else 0. */
  orders: number;
  /** Variant ids of the refunded lines: the membership variant among them ends the membership. */
  lineVariantIds: string[];
  reversedAt: Date;
  program?: Program;
}

/** A refund or cancellation counts once (under its own key) and is re-evaluated like an order. */
export async function recordQualifyingReversal(ctx: AppContext, reversal: QualifyingReversal): Promise<TierStanding | null> {
  const program = await programOf(ctx, reversal.shop, reversal.program);
  const membership = program ? tierSettingsOf(program).membership : null;
  const endsMembership =
    reversal.orders > 0 || Boolean(membership && membership.variantId !== '' && reversal.lineVariantIds.includes(membership.variantId));
  return recordAndEvaluate(
    ctx,
    program,
    {
      shop: reversal.shop,
      customerId: reversal.customerId,
      key: `reversal:${reversal.reversalKey}`,
      kind: 'reversal',
      at: reversal.reversedAt,
      points: -Math.abs(reversal.points),
      spend: -Math.abs(reversal.spend),
      orders: -Math.abs(reversal.orders),
      orderId: reversal.orderId,
      memberDays: 0,
      endsMembership,
    },
    reversal.reversedAt,
  );
}

export interface QualifyingAdjustment {
  shop: string;
  customerId: string;
  /** The adjustment's ledger key. */
  adjustmentKey: string;
  points: number;
  spend?: number;
  orders?: number;
  at: Date;
  program?: Program;
}

/** A merchant adjustment marked as counting towards tiers (signed amounts). */
export async function recordQualifyingAdjustment(ctx: AppContext, adjustment: QualifyingAdjustment): Promise<TierStanding | null> {
  const program = await programOf(ctx, adjustment.shop, adjustment.program);
  const kind: QualifyingKind = 'adjustment';
  return recordAndEvaluate(
    ctx,
    program,
    {
      shop: adjustment.shop,
      customerId: adjustment.customerId,
      key: `adjustment:${adjustment.adjustmentKey}`,
      kind,
      at: adjustment.at,
      points: adjustment.points,
      spend: adjustment.spend ?? 0,
      orders: adjustment.orders ?? 0,
      memberDays: 0,
      endsMembership: false,
    },
    adjustment.at,
  );
}

/**
 * The earning multiplier of an order paid at `now` (the tier and membership held before it).
 * A program with neither tiers nor membership answers 1 without touching the database.
 */
export async function earningMultiplierFor(
  ctx: AppContext,
  input: { shop: string; customerId: string; program: Program; now: Date; orderId?: string },
): Promise<number> {
  const settings: TierSettings = tierSettingsOf(input.program);
  if (!hasTiersOrMembership(settings)) return 1;
  return earningMultiplierAt(settings, await eventsOf(ctx.connection, input.shop, input.customerId), input.now, input.orderId);
}

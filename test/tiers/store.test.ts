import { TIER_METAFIELDS_SET, TIER_TAGS_ADD, TIER_TAGS_REMOVE } from '../../server/shopify/operations.js';
import { parse, validate } from 'graphql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { adminSchema } from '../../devstore/shopify-schema.js';
import type { AppContext } from '../../server/platform/context.js';
import { defaultProgram, type Program } from '../../server/program/index.js';
import { ADMIN_API_VERSION } from '../../server/shopify/shop-domain.js';
import {
  changesOf,
  earningMultiplierFor,
  readState,
  recordQualifyingAdjustment,
  recordQualifyingOrder,
  recordQualifyingReversal,
  revisitTiers,
  tierMultiplierHeld,
  tierSyncCalls,
  type Tier,
} from '../../server/tiers/index.js';
import { newestEntry } from '../../server/ledger/index.js';
import { testContext } from '../support/context.js';

const perks = { rewardDiscountPercent: 0, freeShipping: false, birthdayBonus: 0 };
const tiers: Tier[] = [
  { id: 'bronze', name: 'Bronze', threshold: 0, earnMultiplier: 1, entryReward: 0, perks },
  { id: 'silver', name: 'Silver', threshold: 10_000, earnMultiplier: 1.25, entryReward: 0, perks },
];
const at = (iso: string) => new Date(iso);

describe('tier store and hooks (real database)', () => {
  let ctx: AppContext;
  beforeAll(async () => {
    ctx = await testContext('tiers-store');
  });
  afterAll(async () => {
    await ctx.connection.close();
  });

  it('without tiers or membership the multiplier is 1 and the database is not touched', async () => {
    const closed = await testContext('tiers-closed');
    await closed.connection.close();
    expect(await earningMultiplierFor(closed, { shop: 'none.myshopify.com', customerId: '1', program: defaultProgram('USD'), now: new Date() })).toBe(
      1,
    );
  });

  it('the crossing order earns at the old tier, the next at the new one, and each change is recorded once', async () => {
    const shop = 'crossing.myshopify.com';
    const program: Program = { ...defaultProgram('USD'), tiers };
    const paid = async (orderId: string, spend: number, when: string) => {
      const multiplier = await earningMultiplierFor(ctx, { shop, customerId: '7', program, now: at(when), orderId });
      await recordQualifyingOrder(ctx, { shop, customerId: '7', orderId, points: spend / 100, spend, lineVariantIds: [], paidAt: at(when), program });
      return multiplier;
    };
    expect(await paid('1', 9_000, '2025-03-01T00:00:00Z')).toBe(1);
    expect(await paid('2', 2_000, '2025-03-02T00:00:00Z')).toBe(1);
    expect(await paid('3', 1_000, '2025-03-03T00:00:00Z')).toBe(1.25);
    // The same order delivered again changes nothing.
    await recordQualifyingOrder(ctx, {
      shop,
      customerId: '7',
      orderId: '2',
      points: 20,
      spend: 2_000,
      lineVariantIds: [],
      paidAt: at('2025-03-02T00:00:00Z'),
      program,
    });
    const changes = (await changesOf(ctx.connection, shop, '7')).reverse();
    expect(changes.map((change) => [change.key, change.fromTierId, change.toTierId, change.direction])).toEqual([
      ['tier:7:1', null, 'bronze', 'up'],
      ['tier:7:2', 'bronze', 'silver', 'up'],
    ]);
    expect((await readState(ctx.connection, shop, '7'))?.tierId).toBe('silver');
  });

  it('the standing is recorded in the ledger once, orders read it from the newest entry with no database call, and a threshold change sets it aside', async () => {
    const shop = 'carried.myshopify.com';
    const program: Program = { ...defaultProgram('USD'), tiers };
    const order = {
      shop,
      customerId: '8',
      orderId: '1',
      points: 120,
      spend: 12_000,
      lineVariantIds: [],
      paidAt: at('2025-04-01T00:00:00Z'),
      program,
    };
    await recordQualifyingOrder(ctx, order);
    const recorded = await newestEntry(ctx.connection, shop, '8');
    expect(recorded).toMatchObject({
      type: 'tier',
      available: 0,
      balance: 0,
      tierStanding: { tierId: 'silver', membershipUntil: null, validUntil: at('2026-01-01T00:00:00Z') },
    });
    // Evaluated again with nothing new: the same standing is not written twice.
    await recordQualifyingOrder(ctx, order);
    expect((await newestEntry(ctx.connection, shop, '8'))?.seq).toBe(recorded?.seq);
    // A closed connection: the carried standing answers without the database.
    const closed = await testContext('tiers-carried-closed');
    await closed.connection.close();
    const input = { shop, customerId: '8', orderId: '2', now: at('2025-04-02T00:00:00Z'), carried: recorded?.tierStanding ?? null };
    expect(await tierMultiplierHeld(closed, { ...input, program })).toBe(1.25);
    // Silver now starts at $200: the carried standing no longer holds, the events are read again.
    const raised: Program = { ...program, version: program.version + 1, tiers: [tiers[0]!, { ...tiers[1]!, threshold: 20_000 }] };
    expect(await tierMultiplierHeld(ctx, { ...input, program: raised })).toBe(1);
    // A multiplier edit alone keeps the standing good and applies at once.
    const richer: Program = { ...program, tiers: [tiers[0]!, { ...tiers[1]!, earnMultiplier: 1.5 }] };
    expect(await tierMultiplierHeld(closed, { ...input, program: richer })).toBe(1.5);
  });

  it('end of period: a refund keeps the tier to the year end, and the job moves the customer down once at roll-over', async () => {
    const shop = 'rollover.myshopify.com';
    const program: Program = {
      ...defaultProgram('USD'),
      tiers,
      tierRules: { metric: 'spend', period: 'calendar_year', downgrade: 'end_of_period', graceDays: 0 },
    };
    await recordQualifyingOrder(ctx, {
      shop,
      customerId: '8',
      orderId: '10',
      points: 120,
      spend: 12_000,
      lineVariantIds: [],
      paidAt: at('2025-03-01T00:00:00Z'),
      program,
    });
    await recordQualifyingReversal(ctx, {
      shop,
      customerId: '8',
      orderId: '10',
      reversalKey: 'reverse:refund:11',
      points: 30,
      spend: 3_000,
      orders: 0,
      lineVariantIds: [],
      reversedAt: at('2025-04-01T00:00:00Z'),
      program,
    });
    expect((await readState(ctx.connection, shop, '8'))?.tierId).toBe('silver');

    const { ensureDefaultProgram, saveProgram } = await import('../../server/program/index.js');
    await ensureDefaultProgram(ctx.connection, shop, 'USD', at('2025-01-01T00:00:00Z'));
    const saved = await saveProgram(ctx.connection, shop, program, 1, 'staff', at('2025-01-01T00:00:00Z'));
    expect(saved.saved).toBe(true);
    const noSync = async () => false;
    await revisitTiers(ctx, shop, at('2025-12-31T23:00:00Z'), noSync);
    expect((await readState(ctx.connection, shop, '8'))?.tierId).toBe('silver');
    await revisitTiers(ctx, shop, at('2026-01-01T01:00:00Z'), noSync);
    await revisitTiers(ctx, shop, at('2026-01-01T02:00:00Z'), noSync);
    const changes = (await changesOf(ctx.connection, shop, '8')).reverse();
    expect(changes.map((change) => [change.toTierId, change.reason])).toEqual([
      ['silver', 'order 10'],
      ['bronze', 'period rolled over'],
    ]);
  });

  it('a merchant adjustment marked as counting moves the tier like an order', async () => {
    const shop = 'adjusted.myshopify.com';
    const program: Program = {
      ...defaultProgram('USD'),
      tiers,
      tierRules: { metric: 'points', period: 'lifetime', downgrade: 'immediate', graceDays: 0 },
    };
    const program100: Program = { ...program, tiers: [tiers[0]!, { ...tiers[1]!, threshold: 100 }] };
    await recordQualifyingAdjustment(ctx, {
      shop,
      customerId: '9',
      adjustmentKey: 'adjust:9:goodwill',
      points: 150,
      at: at('2025-05-01T00:00:00Z'),
      program: program100,
    });
    expect((await readState(ctx.connection, shop, '9'))?.tierId).toBe('silver');
  });
});

describe('writing the tier to Shopify', () => {
  const admin = adminSchema(ADMIN_API_VERSION);

  it("the operations are valid against Shopify's published schema", () => {
    for (const operation of [TIER_METAFIELDS_SET, TIER_TAGS_ADD, TIER_TAGS_REMOVE])
      expect(validate(admin.schema, parse(operation)).map((error) => error.message)).toEqual([]);
  });

  it('sets the app metafield, adds the tier tag and removes the other tier tags and the last one written', () => {
    const calls = tierSyncCalls('42', 'silver', ['bronze', 'silver', 'gold'], 'tally-tier-platinum');
    expect(calls.metafields).toEqual({
      metafields: [{ ownerId: 'gid://shopify/Customer/42', namespace: '$app:tally', key: 'tier', type: 'single_line_text_field', value: 'silver' }],
    });
    expect(calls.add).toEqual({ id: 'gid://shopify/Customer/42', tags: ['tally-tier-silver'] });
    expect(calls.remove?.tags.sort()).toEqual(['tally-tier-bronze', 'tally-tier-gold', 'tally-tier-platinum']);
    expect(tierSyncCalls('42', null, [], 'tally-tier-gold')).toMatchObject({ add: null, remove: { tags: ['tally-tier-gold'] } });
  });
});

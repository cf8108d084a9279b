import { MongoClient } from 'mongodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AppContext } from '../../server/platform/context.js';
import { applyEntry, balanceOf, ledgerEntryModel, type EntryDraft } from '../../server/ledger/store.js';
import { sharedDatabase } from '../support/database.js';
import { testContext } from '../support/context.js';

describe('ledger', () => {
  let ctx: AppContext;
  const shop = 'ledger.myshopify.com';
  const now = new Date('2026-11-22T12:00:00Z');
  beforeAll(async () => {
    ctx = await testContext('ledger');
    await ledgerEntryModel(ctx.connection).createIndexes();
  });
  afterAll(async () => {
    await ctx.connection.close();
  });

  const entry = (customerId: string, key: string, available: number, guard: EntryDraft['guard'] = 'none'): EntryDraft => ({
    shop,
    customerId,
    key,
    type: available >= 0 ? 'earn' : 'redeem',
    available,
    pending: 0,
    reason: 'test',
    source: 'test',
    guard,
  });

  it('applies one key once when twenty copies of it arrive at the same moment', async () => {
    const results = await Promise.all(Array.from({ length: 20 }, () => applyEntry(ctx.connection, entry('c1', 'earn:order:1', 30), now)));
    expect(results.filter((result) => result.appliedNow)).toHaveLength(1);
    expect(await balanceOf(ctx.connection, shop, 'c1')).toEqual({ available: 30, pending: 0, lifetimeEarned: 30 });
    expect(await ledgerEntryModel(ctx.connection).countDocuments({ shop, customerId: 'c1' })).toBe(1);
  });

  it('keeps every concurrent credit of different keys (no lost update)', async () => {
    await Promise.all(Array.from({ length: 40 }, (_, index) => applyEntry(ctx.connection, entry('c2', `earn:order:c2-${index}`, 5), now)));
    expect((await balanceOf(ctx.connection, shop, 'c2')).available).toBe(200);
    const seqs = (await ledgerEntryModel(ctx.connection).find({ shop, customerId: 'c2' }).sort({ seq: 1 }).lean()).map((found) => found.seq);
    expect(seqs).toEqual(Array.from({ length: 40 }, (_, index) => index + 1));
  });

  it('lets exactly one of fifty simultaneous debits through when the balance covers one, never going negative', async () => {
    await applyEntry(ctx.connection, entry('c3', 'earn:order:x', 500), now);
    const results = await Promise.all(
      Array.from({ length: 50 }, (_, index) => applyEntry(ctx.connection, entry('c3', `redeem:${index}`, -500, 'require'), now)),
    );
    expect(results.filter((result) => result.appliedNow)).toHaveLength(1);
    expect(results.filter((result) => result.rejected)).toHaveLength(49);
    const entries = await ledgerEntryModel(ctx.connection).find({ shop, customerId: 'c3' }).lean();
    expect(entries.every((found) => found.balance >= 0)).toBe(true);
    expect((await balanceOf(ctx.connection, shop, 'c3')).available).toBe(0);
  });

  it('clamps a reversal at zero and records the shortfall', async () => {
    await applyEntry(ctx.connection, entry('c4', 'earn:order:y', 40), now);
    const result = await applyEntry(ctx.connection, { ...entry('c4', 'reverse:refund:y', -100, 'clamp'), type: 'reverse' }, now);
    expect(result.entry).toMatchObject({ available: -40, shortfall: 60, balance: 0 });
  });

  it('is consistent for a second client reading the raw collection: balance equals the sum of entries', async () => {
    const client = await MongoClient.connect(sharedDatabase().uri);
    const raw = await client.db(ctx.connection.name).collection('ledger_entries').find({ shop, customerId: 'c2' }).toArray();
    await client.close();
    expect(raw.reduce((sum, found) => sum + Number(found.available), 0)).toBe(200);
  });
});

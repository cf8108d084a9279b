import mongoose, { Schema, Types, type Connection, type Model } from 'mongoose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  abandonEffect,
  acquireLease,
  claimEffect,
  completeEffect,
  deleteOnce,
  effectSchema,
  findEffect,
  insertOnce,
  leaseSchema,
  listStaleEffects,
  releaseLease,
  renewLease,
  takeOverEffect,
  type Effect,
  type Lease,
} from '../../server/platform/atomic.js';
import { freshDbName, sharedDatabase } from '../support/database.js';

/*
 * One battery for every primitive the app's "once" rests on, run on each engine available: the test
 * run's own database always, and MONGODB_URI as well when it names another server.
 */

interface Engine {
  name: string;
  uri: string;
}

function availableEngines(): Engine[] {
  const shared = sharedDatabase();
  const engines: Engine[] = [{ name: `${shared.engine} (the test run's database)`, uri: shared.uri }];
  const external = process.env.MONGODB_URI;
  if (external && external !== shared.uri) engines.push({ name: 'MONGODB_URI', uri: external });
  return engines;
}

interface Item {
  _id: Types.ObjectId;
  shop: string;
  key: string;
  caller: number;
}

function itemSchema(): Schema<Item> {
  const schema = new Schema<Item>({ shop: String, key: String, caller: Number }, { versionKey: false });
  schema.index({ shop: 1, key: 1 }, { unique: true });
  return schema;
}

interface Models {
  items: Model<Item>;
  leases: Model<Lease>;
  effects: Model<Effect>;
}

const CALLERS = 50;
const ROUNDS = 4;
/** Separate connections, each with its own pool, so the callers reach the server side by side. */
const CONNECTIONS = 5;
const shop = 'battery.myshopify.com';
const t0 = new Date('2026-11-22T12:00:00Z');
const at = (ms: number): Date => new Date(t0.getTime() + ms);
const MINUTE = 60_000;

describe.each(availableEngines())('the atomic primitives on $name', (engine) => {
  const connections: Connection[] = [];
  const pools: Models[] = [];

  beforeAll(async () => {
    const dbName = freshDbName('engine_battery');
    for (let index = 0; index < CONNECTIONS; index += 1) {
      const connection = mongoose.createConnection(engine.uri, { dbName, autoIndex: false, autoCreate: false, maxPoolSize: CALLERS / CONNECTIONS });
      await connection.asPromise();
      connections.push(connection);
      pools.push({
        items: connection.model('BatteryItem', itemSchema(), 'battery_items'),
        leases: connection.model('BatteryLease', leaseSchema(), 'battery_leases'),
        effects: connection.model('BatteryEffect', effectSchema(), 'battery_effects'),
      });
    }
    const first = one();
    await Promise.all([first.items.createIndexes(), first.leases.createIndexes(), first.effects.createIndexes()]);
  });

  afterAll(async () => {
    await connections[0]?.dropDatabase();
    await Promise.all(connections.map((connection) => connection.close()));
  });

  function one(): Models {
    const models = pools[0];
    if (!models) throw new Error('the battery has no connection');
    return models;
  }

  /** Runs `attempt` for CALLERS callers at once, spread over the connections. */
  function race<T>(attempt: (models: Models, caller: number) => Promise<T>): Promise<T[]> {
    return Promise.all(Array.from({ length: CALLERS }, (_, caller) => attempt(pools[caller % pools.length] ?? one(), caller)));
  }

  function winnersOf<T>(outcomes: readonly (T | null | false)[]): T[] {
    return outcomes.filter((outcome): outcome is T => outcome !== null && outcome !== false);
  }

  it('lets exactly one of 50 concurrent inserts of one unique key succeed', async () => {
    for (let round = 0; round < ROUNDS; round += 1) {
      const key = `insert-${round}`;
      const outcomes = await race((models, caller) => insertOnce(models.items, { _id: new Types.ObjectId(), shop, key, caller }));
      const winners = outcomes.flatMap((inserted, caller) => (inserted ? [caller] : []));
      expect(winners).toHaveLength(1);
      const stored = await one().items.find({ shop, key }).lean<Item[]>();
      expect(stored.map((item) => item.caller)).toEqual(winners);
    }
  });

  it('lets exactly one of 50 concurrent deletes of one document report deletedCount 1', async () => {
    for (let round = 0; round < ROUNDS; round += 1) {
      const item: Item = { _id: new Types.ObjectId(), shop, key: `delete-${round}`, caller: -1 };
      expect(await insertOnce(one().items, item)).toBe(true);
      const outcomes = await race((models) => deleteOnce(models.items, { _id: item._id, shop }));
      expect(outcomes.filter(Boolean)).toHaveLength(1);
      expect(await one().items.countDocuments({ shop, key: item.key })).toBe(0);
    }
  });

  it('gives a free lease to exactly one of 50 concurrent callers', async () => {
    for (let round = 0; round < ROUNDS; round += 1) {
      const key = `free-${round}`;
      const outcomes = await race((models, caller) => acquireLease(models.leases, { shop, key, owner: `worker-${caller}`, now: t0, ttlMs: MINUTE }));
      const winners = winnersOf(outcomes);
      expect(winners).toHaveLength(1);
      const stored = await one().leases.find({ shop, key }).lean<Lease[]>();
      expect(stored.map((lease) => lease.owner)).toEqual(winners.map((lease) => lease.owner));
    }
  });

  it('gives an expired lease to exactly one of 50 concurrent takers', async () => {
    for (let round = 0; round < ROUNDS; round += 1) {
      const key = `expired-${round}`;
      expect(await acquireLease(one().leases, { shop, key, owner: 'crashed', now: t0, ttlMs: MINUTE })).not.toBeNull();
      const outcomes = await race((models, caller) =>
        acquireLease(models.leases, { shop, key, owner: `taker-${caller}`, now: at(MINUTE), ttlMs: MINUTE }),
      );
      const winners = winnersOf(outcomes);
      expect(winners).toHaveLength(1);
      const stored = await one().leases.find({ shop, key }).lean<Lease[]>();
      expect(stored.map((lease) => [lease.owner, lease.expiresAt.getTime()])).toEqual([[winners[0]?.owner, at(2 * MINUTE).getTime()]]);
    }
  });

  it('lets no one take over a lease that has not expired, and someone the moment it has', async () => {
    const key = 'held';
    const held = await acquireLease(one().leases, { shop, key, owner: 'holder', now: t0, ttlMs: MINUTE });
    expect(held).not.toBeNull();
    const early = await race((models, caller) =>
      acquireLease(models.leases, { shop, key, owner: `taker-${caller}`, now: at(MINUTE - 1), ttlMs: MINUTE }),
    );
    expect(winnersOf(early)).toHaveLength(0);
    expect((await one().leases.find({ shop, key }).lean<Lease[]>()).map((lease) => lease.owner)).toEqual(['holder']);
    const onTime = await acquireLease(one().leases, { shop, key, owner: 'next', now: at(MINUTE), ttlMs: MINUTE });
    expect(onTime?.owner).toBe('next');
  });

  it('ignores a release by anyone but the holder', async () => {
    const key = 'release';
    const held = await acquireLease(one().leases, { shop, key, owner: 'holder', now: t0, ttlMs: MINUTE });
    if (!held) throw new Error('the lease was not free');
    const outcomes = await race((models, caller) => releaseLease(models.leases, { _id: held._id, owner: `stranger-${caller}` }));
    expect(outcomes.filter(Boolean)).toHaveLength(0);
    expect((await one().leases.find({ shop, key }).lean<Lease[]>()).map((lease) => lease.owner)).toEqual(['holder']);
    expect(await releaseLease(one().leases, held)).toBe(true);
    expect(await acquireLease(one().leases, { shop, key, owner: 'next', now: t0, ttlMs: MINUTE })).not.toBeNull();
  });

  it('keeps one holder when the holder renews an expired lease while 49 others try to take it', async () => {
    for (let round = 0; round < ROUNDS; round += 1) {
      const key = `renew-${round}`;
      const held = await acquireLease(one().leases, { shop, key, owner: 'holder', now: t0, ttlMs: MINUTE });
      if (!held) throw new Error('the lease was not free');
      const outcomes = await race((models, caller) =>
        caller === 0
          ? renewLease(models.leases, held, at(MINUTE), MINUTE)
          : acquireLease(models.leases, { shop, key, owner: `taker-${caller}`, now: at(MINUTE), ttlMs: MINUTE }),
      );
      const winners = winnersOf(outcomes);
      expect(winners).toHaveLength(1);
      const stored = await one().leases.find({ shop, key }).lean<Lease[]>();
      expect(stored.map((lease) => lease.owner)).toEqual(winners.map((lease) => lease.owner));
    }
  });

  it('records the intent of a side effect for exactly one of 50 concurrent claimers', async () => {
    for (let round = 0; round < ROUNDS; round += 1) {
      const key = `cashback:order:${round}`;
      const outcomes = await race((models, caller) =>
        claimEffect(models.effects, { shop, key, intent: { amount: 246, currency: 'CAD', caller }, now: t0 }),
      );
      const winners = winnersOf(outcomes);
      expect(winners).toHaveLength(1);
      const stored = await one().effects.find({ shop, key }).lean<Effect[]>();
      expect(stored.map((effect) => [effect.intent['caller'], effect.state, effect.attempt])).toEqual([[winners[0]?.intent['caller'], 'pending', 1]]);
    }
  });

  it('hands a claim whose holder crashed to exactly one of 50 concurrent reconcilers', async () => {
    for (let round = 0; round < ROUNDS; round += 1) {
      const key = `cashback:crashed:${round}`;
      const crashed = await claimEffect(one().effects, { shop, key, intent: { amount: 246, currency: 'CAD' }, now: t0 });
      if (!crashed) throw new Error('the effect was already claimed');
      const outcomes = await race((models) => takeOverEffect(models.effects, crashed, at(10 * MINUTE)));
      const winners = winnersOf(outcomes);
      expect(winners).toHaveLength(1);
      const stored = await one().effects.find({ shop, key }).lean<Effect[]>();
      expect(stored.map((effect) => [effect._id.toString(), effect.attempt, effect.state])).toEqual([[winners[0]?._id.toString(), 2, 'pending']]);
    }
  });

  it('lists a crashed claim for reconciliation until it is completed, and never lets it be claimed again', async () => {
    const key = 'cashback:order:lifecycle';
    const intent = { amount: 246, currency: 'CAD', customer: 'gid://shopify/Customer/7' };
    const crashed = await claimEffect(one().effects, { shop, key, intent, now: t0 });
    if (!crashed) throw new Error('the effect was already claimed');
    const finished = await claimEffect(one().effects, { shop, key: 'cashback:order:finished', intent, now: t0 });
    if (!finished) throw new Error('the effect was already claimed');
    expect(await completeEffect(one().effects, finished, at(1_000), { transaction: 'gid://shopify/StoreCreditAccountCreditTransaction/1' })).toBe(
      true,
    );

    const staleKeys = async (claimedBefore: Date): Promise<string[]> =>
      (await listStaleEffects(one().effects, shop, claimedBefore))
        .map((effect) => effect.key)
        .filter((found) => found.endsWith(':lifecycle') || found.endsWith(':finished'));
    expect(await staleKeys(t0)).toEqual([]);
    expect(await staleKeys(at(5 * MINUTE))).toEqual([key]);

    const reconciler = await takeOverEffect(one().effects, crashed, at(5 * MINUTE));
    if (!reconciler) throw new Error('the reconciler did not get the claim');
    expect(reconciler.intent).toEqual(intent);
    expect(await completeEffect(one().effects, crashed, at(5 * MINUTE), { transaction: 'late' })).toBe(false);
    expect(
      await completeEffect(one().effects, reconciler, at(5 * MINUTE), { transaction: 'gid://shopify/StoreCreditAccountCreditTransaction/2' }),
    ).toBe(true);
    expect(await staleKeys(at(60 * MINUTE))).toEqual([]);

    expect(await claimEffect(one().effects, { shop, key, intent, now: at(60 * MINUTE) })).toBeNull();
    expect(await findEffect(one().effects, shop, key)).toMatchObject({
      state: 'done',
      attempt: 2,
      outcome: { transaction: 'gid://shopify/StoreCreditAccountCreditTransaction/2' },
    });
  });

  it('lets a claim whose call was refused be withdrawn and claimed again', async () => {
    const key = 'discount:redemption:refused';
    const refused = await claimEffect(one().effects, { shop, key, intent: { code: 'TALLY-1' }, now: t0 });
    if (!refused) throw new Error('the effect was already claimed');
    expect(await abandonEffect(one().effects, refused)).toBe(true);
    expect(await claimEffect(one().effects, { shop, key, intent: { code: 'TALLY-1' }, now: at(1_000) })).not.toBeNull();
  });
});

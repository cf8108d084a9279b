import type { CommandStartedEvent, Document } from 'mongodb';
import mongoose, { type Connection } from 'mongoose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureIndexes } from '../../../server/indexes.js';
import { dueEntries, inboxModel } from '../../../server/inbox/store.js';
import { customerLedgerPage } from '../../../server/ledger/customer-reads.js';
import { entryForKey, ledgerEntryModel, newestEntry } from '../../../server/ledger/store.js';
import { customerRedemptions, findHold, holdModel, openHoldsOf, redemptionModel } from '../../../server/redemption/store.js';
import { rm } from 'node:fs/promises';
import type { ResolvedDatabase } from '../../../server/platform/database/resolve.js';
import { freshDbName, sharedDatabase } from '../../support/database.js';
import { startOwnDatabase, temporaryDataDir } from '../../support/own-database.js';

/*
 * The embedded engine's index mirror (server/platform/database/launcher/index-mirror.sql): FerretDB
 * sends an equality as `_jsonb->$1 @> $2`, which its own btree indexes cannot serve. Each hot read
 * below is run as the app runs it, the find commands it sends are captured, and FerretDB's
 * `explain` (EXPLAIN on the SQL it builds for that command) must show PostgreSQL reading a mirrored
 * GIN index, at 100,000 documents per collection, never a sequential scan.
 */

const DOCUMENTS = 100_000;
const CUSTOMERS = 2_000;
const BATCH = 2_000;
const shop = 'explain.myshopify.com';
const t0 = new Date('2026-11-01T00:00:00Z');

interface PlanNode {
  'Node Type': string;
  'Index Name'?: string;
  Plans?: PlanNode[];
}

function nodesOf(plan: PlanNode): PlanNode[] {
  return [plan, ...(plan.Plans ?? []).flatMap(nodesOf)];
}

/** Inserts DOCUMENTS documents made by `make` through the wire protocol; returns how many were stored. */
async function insertInBatches(connection: Connection, collection: string, make: (index: number) => Document): Promise<number> {
  const target = connection.collection(collection);
  let inserted = 0;
  for (let start = 0; start < DOCUMENTS; start += BATCH) {
    const batch = Array.from({ length: Math.min(BATCH, DOCUMENTS - start) }, (_, offset) => make(start + offset));
    inserted += (await target.insertMany(batch, { ordered: false })).insertedCount;
  }
  return inserted;
}

describe.runIf(sharedDatabase().engine === 'ferretdb')('the index mirror of the embedded engine', () => {
  // A server of its own: loading 400,000 documents would hold up every other file on the shared one.
  let database: ResolvedDatabase;
  let dataDir: string;
  let connection: Connection;
  const sent: CommandStartedEvent[] = [];
  let stored: number[] = [];

  beforeAll(async () => {
    dataDir = await temporaryDataDir('mirror');
    database = await startOwnDatabase(dataDir);
    connection = mongoose.createConnection(database.uri, {
      dbName: freshDbName('mirror'),
      autoIndex: false,
      autoCreate: false,
      monitorCommands: true,
    });
    await connection.asPromise();
    connection.getClient().on('commandStarted', (event) => sent.push(event));
    // The app's own createIndexes, as boot runs it: the mirror follows whatever the stores declare.
    await ensureIndexes(connection);

    const day = (index: number) => new Date(t0.getTime() + index * 60_000);
    // The four collections load side by side: PostgreSQL and FerretDB use both cores.
    stored = await Promise.all([
      insertInBatches(connection, ledgerEntryModel(connection).collection.name, (index) => {
        const customerId = String(7_000_000 + (index % CUSTOMERS));
        const seq = Math.floor(index / CUSTOMERS) + 1;
        return {
          _id: `${shop}|${customerId}|${seq}`,
          shop,
          customerId,
          seq,
          key: `earn:order:${index}`,
          type: 'earn',
          available: 10,
          pending: 0,
          balance: seq * 10,
          pendingBalance: 0,
          lifetimeEarned: seq * 10,
          paidOrders: seq,
          day: day(index).toISOString().slice(0, 10),
          earnedOnDay: 10,
          shortfall: 0,
          orderId: String(9_000_000 + index),
          reason: 'order',
          source: 'webhook',
          createdAt: day(index),
        };
      }),
      insertInBatches(connection, inboxModel(connection).collection.name, (index) => ({
        shop,
        eventId: `event-${index}`,
        webhookId: `webhook-${index}`,
        topic: 'orders/paid',
        apiVersion: '2026-10',
        triggeredAt: day(index),
        receivedAt: day(index),
        body: '{}',
        // A busy inbox: nearly everything finished, a few deliveries waiting.
        status: index % 1_000 === 0 ? 'pending' : 'processed',
        attempts: 1,
        availableAt: day(index),
        finishedAt: day(index),
      })),
      insertInBatches(connection, holdModel(connection).collection.name, (index) => ({
        _id: `${shop}|hold-${index}`,
        shop,
        customerId: String(7_000_000 + (index % CUSTOMERS)),
        holdId: `hold-${index}`,
        points: 100,
        amount: 100,
        currency: 'CAD',
        rewardId: 'reward-1',
        expiresAt: day(index + 60),
        createdAt: day(index),
        open: index % 50 === 0,
      })),
      insertInBatches(connection, redemptionModel(connection).collection.name, (index) => ({
        _id: `${shop}|redemption-${index}`,
        shop,
        customerId: String(7_000_000 + (index % CUSTOMERS)),
        redemptionId: `redemption-${index}`,
        code: `TALLY-${index}`,
        status: 'issued',
        pointsSpent: 100,
        createdAt: day(index),
      })),
    ]);
    // FerretDB's collStats runs ANALYZE, so the planner decides with the statistics it would have in use.
    const db = connection.db!;
    for (const model of [ledgerEntryModel, inboxModel, holdModel, redemptionModel])
      await db.command({ collStats: model(connection).collection.name });
  }, 600_000);

  afterAll(async () => {
    await connection?.close();
    await database?.stop();
    if (dataDir) await rm(dataDir, { recursive: true, force: true });
  });

  /** Runs `read`, then asks FerretDB to explain each find it sent; returns the plan nodes per find. */
  async function plansOf(read: () => Promise<unknown>): Promise<PlanNode[][]> {
    sent.length = 0;
    await read();
    const finds = sent.filter((event) => event.commandName === 'find');
    expect(finds.length).toBeGreaterThan(0);
    const db = connection.db!;
    return Promise.all(
      finds.map(async ({ command }) => {
        const { find, filter, sort, limit } = command;
        const explained = await db.command({ explain: { find, filter, ...(sort ? { sort } : {}), ...(limit ? { limit } : {}) } });
        return nodesOf((explained.queryPlanner as { Plan: PlanNode }).Plan);
      }),
    );
  }

  function expectMirroredIndexScans(plans: PlanNode[][]): void {
    for (const nodes of plans) {
      expect(nodes.map((node) => node['Node Type'])).not.toContain('Seq Scan');
      expect(nodes.filter((node) => node['Index Name']?.endsWith('_gin')).length).toBeGreaterThan(0);
    }
  }

  it('holds the documents the reads below are measured at', () => {
    expect(stored).toEqual([DOCUMENTS, DOCUMENTS, DOCUMENTS, DOCUMENTS]);
  });

  it("reads a customer's newest ledger entry through an index", async () => {
    const plans = await plansOf(() => newestEntry(connection, shop, '7000017'));
    expectMirroredIndexScans(plans);
    expect((await newestEntry(connection, shop, '7000017'))?.seq).toBe(DOCUMENTS / CUSTOMERS);
  });

  it("reads a page of a customer's ledger through an index", async () => {
    expectMirroredIndexScans(await plansOf(() => customerLedgerPage(connection, shop, '7000017', { limit: 20, maxTimeMS: 10_000 })));
  });

  it('looks an entry up by its business key through an index', async () => {
    expectMirroredIndexScans(await plansOf(() => entryForKey(connection, shop, 'earn:order:31337')));
  });

  it('sweeps the inbox for due deliveries through an index', async () => {
    const plans = await plansOf(() => dueEntries(connection, ['pending', 'processing'], new Date(t0.getTime() + DOCUMENTS * 60_000), 8));
    expect(plans).toHaveLength(2);
    expectMirroredIndexScans(plans);
  });

  it("reads a customer's open holds and redemption codes through indexes", async () => {
    expectMirroredIndexScans(await plansOf(() => openHoldsOf(connection, shop, '7000000')));
    expectMirroredIndexScans(await plansOf(() => customerRedemptions(connection, shop, '7000017')));
  });

  it('finds a document by _id through the mirror of the _id index', async () => {
    expectMirroredIndexScans(await plansOf(() => findHold(connection, shop, 'hold-4242')));
  });

  it('mirrors an index declared on a collection created later, from any connection', async () => {
    const probes = connection.db!.collection('late_probes');
    await probes.createIndex({ shop: 1, note: 1 });
    await probes.insertMany(Array.from({ length: 2_000 }, (_, index) => ({ shop, note: `note-${index}` })));
    const explained = await connection.db!.command({ explain: { find: 'late_probes', filter: { note: 'note-7' } } });
    const nodes = nodesOf((explained.queryPlanner as { Plan: PlanNode }).Plan);
    expect(nodes.some((node) => node['Index Name']?.endsWith('_gin'))).toBe(true);
  });
});

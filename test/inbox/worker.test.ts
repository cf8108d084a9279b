import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AppContext } from '../../server/platform/context.js';
import { startInboxWorker } from '../../server/inbox/worker.js';
import { PermanentFailure, type TopicHandler } from '../../server/platform/topic-handlers.js';
import { findDelivery, inboxClaimModel, inboxModel, webhookLogModel, workerHeartbeatModel } from '../../server/inbox/store.js';
import { testContext } from '../support/context.js';

describe('inbox worker', () => {
  let ctx: AppContext;
  let clock = new Date('2026-11-22T10:00:00Z');
  const shop = 'worker.myshopify.com';
  beforeAll(async () => {
    ctx = await testContext('inbox-worker', () => clock);
    await inboxModel(ctx.connection).createIndexes();
    await webhookLogModel(ctx.connection).createIndexes();
    await inboxClaimModel(ctx.connection).createIndexes();
  });
  afterAll(async () => {
    await ctx.connection.close();
  });

  async function enqueue(topic: string): Promise<string> {
    const eventId = randomUUID();
    await inboxModel(ctx.connection).create({
      shop,
      eventId,
      webhookId: eventId,
      topic,
      apiVersion: '2026-10',
      triggeredAt: clock,
      receivedAt: clock,
      body: '{"id":1}',
      status: 'pending',
      attempts: 0,
      availableAt: clock,
    });
    return eventId;
  }

  it('takes over an entry whose worker died mid-processing once the lease expires, and processes it once', async () => {
    const eventId = await enqueue('test/crash');
    let effects = 0;
    let crashedWorkerStarted: () => void = () => {};
    const started = new Promise<void>((resolve) => (crashedWorkerStarted = resolve));
    // The first worker claims the entry and never finishes: its process is gone.
    const dead = startInboxWorker(ctx, {
      handlers: {
        'test/crash': () => {
          crashedWorkerStarted();
          return new Promise(() => {});
        },
      },
      leaseMs: 30_000,
      pollMs: 10,
    });
    await started;
    // It stops claiming (its process is gone) but its claimed handler never finishes.
    void dead.stop();
    const live = startInboxWorker(ctx, {
      handlers: {
        'test/crash': async () => {
          effects++;
          return { status: 'processed' };
        },
      },
      leaseMs: 30_000,
      pollMs: 10,
    });
    await live.drain();
    expect(effects).toBe(0);

    clock = new Date(clock.getTime() + 31_000);
    await live.drain();
    expect(effects).toBe(1);
    expect(await findDelivery(ctx.connection, shop, eventId)).toMatchObject({ status: 'processed', attempts: 2 });
    await live.drain();
    expect(effects).toBe(1);
    await live.stop();
  });

  it('takes over at once the deliveries of a worker whose heartbeat stopped (a killed process), and leaves a live one its own', async () => {
    const heartbeats = workerHeartbeatModel(ctx.connection);
    const storedBy = async (owner: string) => {
      const eventId = randomUUID();
      await inboxModel(ctx.connection).create({
        shop,
        eventId,
        webhookId: eventId,
        topic: 'test/orphan',
        apiVersion: '2026-10',
        triggeredAt: clock,
        receivedAt: clock,
        body: '{"id":3}',
        status: 'processing',
        attempts: 1,
        leaseOwner: owner,
        availableAt: new Date(clock.getTime() + 60_000),
      });
      return eventId;
    };
    // Both stored deliveries as their first claim, with the whole lease ahead; one process was then killed.
    await heartbeats.create({ _id: 'killed-worker', expiresAt: new Date(clock.getTime() - 1) });
    await heartbeats.create({ _id: 'live-worker', expiresAt: new Date(clock.getTime() + 6_000) });
    const orphaned = await storedBy('killed-worker');
    const held = await storedBy('live-worker');
    let effects = 0;
    const worker = startInboxWorker(ctx, {
      handlers: {
        'test/orphan': async () => {
          effects++;
          return { status: 'processed' };
        },
      },
      pollMs: 10,
    });
    await worker.drain();
    expect(effects).toBe(1);
    expect(await findDelivery(ctx.connection, shop, orphaned)).toMatchObject({ status: 'processed', attempts: 2 });
    expect(await findDelivery(ctx.connection, shop, held)).toMatchObject({ status: 'processing', attempts: 1, leaseOwner: 'live-worker' });
    await worker.stop();
    // The dead worker, holding nothing more, is forgotten.
    expect(await heartbeats.findById('killed-worker')).toBeNull();
    await inboxModel(ctx.connection).deleteOne({ shop, eventId: held });
  });

  it('works a backlog a sweep finds at full concurrency, not one batch per poll', async () => {
    const eventIds = await Promise.all(Array.from({ length: 20 }, () => enqueue('test/backlog')));
    let effects = 0;
    // No poll comes during the test: only sweeps chained on the work they find can reach all 20.
    const worker = startInboxWorker(ctx, {
      handlers: {
        'test/backlog': async () => {
          // Slower than a claim, as a real credit is: every slot is busy when a pass ends.
          await new Promise((resolve) => setTimeout(resolve, 100));
          effects++;
          return { status: 'processed' };
        },
      },
      pollMs: 600_000,
      concurrency: 4,
    });
    for (let poll = 0; poll < 200 && effects < eventIds.length; poll++) await new Promise((resolve) => setTimeout(resolve, 50));
    expect(effects).toBe(eventIds.length);
    await worker.stop();
  });

  it('sweeps in passes that overlap (drains beside the background loop) each work from their own candidates', async () => {
    const eventIds = await Promise.all(Array.from({ length: 12 }, () => enqueue('test/overlap')));
    let effects = 0;
    const worker = startInboxWorker(ctx, {
      handlers: {
        'test/overlap': async () => {
          effects++;
          return { status: 'processed' };
        },
      },
      pollMs: 10,
      concurrency: 4,
    });
    try {
      await Promise.all([worker.drain(), worker.drain(), worker.drain()]);
      expect(effects).toBe(eventIds.length);
    } finally {
      await worker.stop();
    }
  });

  it('does not run a delivery it stored after its first lease ran out in the queue: it and a sweep elsewhere share one claim', async () => {
    let effects = 0;
    const handlers: Record<string, TopicHandler> = {
      'test/queued': async () => {
        effects++;
        return { status: 'processed' };
      },
    };
    const receiving = startInboxWorker(ctx, { handlers, leaseMs: 30_000, pollMs: 60_000 });
    const eventId = randomUUID();
    const stored = await inboxModel(ctx.connection).create({
      shop,
      eventId,
      webhookId: eventId,
      topic: 'test/queued',
      apiVersion: '2026-10',
      triggeredAt: clock,
      receivedAt: clock,
      body: '{"id":2}',
      ...receiving.firstClaim(clock),
    });
    // The receiving process's queue was long: the lease of its first attempt ran out before it got there.
    clock = new Date(clock.getTime() + 31_000);
    const sweeping = startInboxWorker(ctx, { handlers, leaseMs: 30_000, pollMs: 10 });
    await sweeping.drain();
    expect(effects).toBe(1);
    receiving.nudge(stored.toObject());
    await receiving.drain();
    expect(effects).toBe(1);
    expect(await findDelivery(ctx.connection, shop, eventId)).toMatchObject({ status: 'processed', attempts: 2 });
    await Promise.all([receiving.stop(), sweeping.stop()]);
  });

  it('retries a failing handler with backoff and ends in a visible failed state with the reason', async () => {
    const eventId = await enqueue('test/flaky');
    const handler: TopicHandler = async () => {
      throw new Error('downstream unavailable');
    };
    const worker = startInboxWorker(ctx, { handlers: { 'test/flaky': handler }, maxAttempts: 3, pollMs: 10 });
    await worker.drain();
    let entry = await findDelivery(ctx.connection, shop, eventId);
    expect(entry).toMatchObject({ status: 'pending', attempts: 1 });
    expect(entry?.availableAt.getTime()).toBeGreaterThan(clock.getTime());
    for (let round = 0; round < 3; round++) {
      clock = new Date(clock.getTime() + 120_000);
      await worker.drain();
    }
    entry = await findDelivery(ctx.connection, shop, eventId);
    expect(entry?.status).toBe('failed');
    expect(entry?.attempts).toBe(3);
    expect(entry?.lastError).toContain('test/flaky for worker.myshopify.com');
    expect(entry?.lastError).toContain('downstream unavailable');
    await worker.stop();
  });

  it('fails a delivery at once on a permanent failure, with its reason', async () => {
    const eventId = await enqueue('test/bad');
    const worker = startInboxWorker(ctx, {
      handlers: {
        'test/bad': async () => {
          throw new PermanentFailure('payload has no id');
        },
      },
      pollMs: 10,
    });
    await worker.drain();
    expect(await findDelivery(ctx.connection, shop, eventId)).toMatchObject({
      status: 'failed',
      attempts: 1,
      outcome: expect.stringContaining('payload has no id'),
    });
    await worker.stop();
  });
});

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AppContext } from '../../server/platform/context.js';
import { jobRunModel, runDueJobs, type ScheduledJob } from '../../server/platform/jobs.js';
import { testContext } from '../support/context.js';

describe('scheduled jobs', () => {
  let ctx: AppContext;
  beforeAll(async () => {
    ctx = await testContext('scheduler');
    await jobRunModel(ctx.connection).createIndexes();
  });
  afterAll(async () => {
    await ctx.connection.close();
  });

  function countingJob(name: string, calls: string[], fail = false): ScheduledJob {
    return {
      name,
      period: 'day',
      run: async (_ctx, shop, now) => {
        calls.push(`${shop}@${now.toISOString().slice(0, 10)}`);
        if (fail) throw new Error('boom');
      },
    };
  }

  it('runs a daily job once per shop per day even when four processes tick at once', async () => {
    const calls: string[] = [];
    const job = countingJob('once-a-day', calls);
    const now = new Date('2026-11-22T03:00:00Z');
    const shops = ['a.myshopify.com', 'b.myshopify.com'];
    await Promise.all([1, 2, 3, 4].map(() => runDueJobs(ctx, [job], shops, now)));
    await runDueJobs(ctx, [job], shops, new Date('2026-11-22T23:00:00Z'));
    expect(calls.sort()).toEqual(['a.myshopify.com@2026-11-22', 'b.myshopify.com@2026-11-22']);

    await runDueJobs(ctx, [job], shops, new Date('2026-11-23T00:30:00Z'));
    expect(calls).toHaveLength(4);
  });

  it('claims a run again once the lease of a process that died has expired', async () => {
    const calls: string[] = [];
    const job = countingJob('crashy', calls);
    const start = new Date('2026-11-22T08:00:00Z');
    await jobRunModel(ctx.connection).create({
      shop: 'c.myshopify.com',
      job: 'crashy',
      period: '2026-11-22',
      status: 'running',
      leaseUntil: new Date(start.getTime() + 60_000),
      attempt: 1,
      startedAt: start,
    });
    await runDueJobs(ctx, [job], ['c.myshopify.com'], new Date(start.getTime() + 30_000));
    expect(calls).toEqual([]);
    await runDueJobs(ctx, [job], ['c.myshopify.com'], new Date(start.getTime() + 10 * 60_000));
    expect(calls).toEqual(['c.myshopify.com@2026-11-22']);
  });

  it('records a failure with its reason and retries it on the next tick', async () => {
    const calls: string[] = [];
    const now = new Date('2026-11-22T09:00:00Z');
    await runDueJobs(ctx, [countingJob('flaky', calls, true)], ['d.myshopify.com'], now);
    const failed = await jobRunModel(ctx.connection).findOne({ shop: 'd.myshopify.com', job: 'flaky' }).sort({ attempt: -1 }).lean();
    expect(failed).toMatchObject({ status: 'failed', error: 'boom', attempt: 1 });

    await runDueJobs(ctx, [countingJob('flaky', calls)], ['d.myshopify.com'], new Date(now.getTime() + 60_000));
    const done = await jobRunModel(ctx.connection).findOne({ shop: 'd.myshopify.com', job: 'flaky' }).sort({ attempt: -1 }).lean();
    expect(done).toMatchObject({ status: 'done', attempt: 2 });
  });
});

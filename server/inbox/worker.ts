import { randomUUID } from 'node:crypto';
import type { AppContext } from '../platform/context.js';
import type { Types } from 'mongoose';
import { acquireLease } from '../platform/atomic.js';
import { beat, dueEntries, inboxClaimModel, inboxModel, moveFinished, orphanedEntries, type InboxEntry, type InboxStatus } from './store.js';
import { parseJsonLosslessly } from '../platform/json.js';
import type { AckGate } from './ack-gate.js';
import { PermanentFailure, type TopicHandler, type WebhookDelivery } from '../platform/topic-handlers.js';

export interface InboxWorkerOptions {
  handlers: Record<string, TopicHandler>;
  /**
   * How long a claim holds before another worker may take the entry over although this worker is
   * alive (a handler that hangs). A worker that dies is found sooner, by its heartbeat.
   */
  leaseMs?: number;
  /** How often the worker records that it is alive; it is taken for dead after three missed beats. */
  heartbeatMs?: number;
  maxAttempts?: number;
  concurrency?: number;
  /** How often to sweep the whole inbox for retries, expired leases and other processes' work. */
  pollMs?: number;
  /** Lets webhook acknowledgements go first: the worker waits for it before starting more work. */
  ackGate?: AckGate;
}

/** How often a worker moves deliveries past the replay horizon from the inbox to the log. */
const MOVE_EVERY_MS = 60_000;

/** The longest the worker defers to acknowledgements before starting a piece of work anyway. */
const ACK_PRIORITY_MAX_WAIT_MS = 100;

export interface InboxWorker {
  /** The fields of a delivery stored as this worker's first attempt (the receipt is its claim). */
  firstClaim(now: Date): Pick<InboxEntry, 'status' | 'attempts' | 'leaseOwner' | 'availableAt'>;
  /** Hands the worker a delivery this process just stored (or its id, to be claimed). */
  nudge(stored?: string | (InboxEntry & { _id: Types.ObjectId })): void;
  /** Processes due entries until none is left; returns how many it handled (tests, bench). */
  drain(): Promise<number>;
  /** Stops claiming and waits for claimed work to finish. */
  stop(): Promise<void>;
}

export const DEFAULT_MAX_ATTEMPTS = 8;

/** A killed process's deliveries are taken over within about three beats (6 s), not a whole lease. */
export const DEFAULT_HEARTBEAT_MS = 2_000;

type StoredEntry = InboxEntry & { _id: Types.ObjectId };

/** Exponential backoff with full jitter: 1 s, 2 s, 4 s ... capped at 10 minutes. */
export function retryDelayMs(attempt: number): number {
  const ceiling = Math.min(600_000, 1000 * 2 ** (attempt - 1));
  return Math.round(ceiling / 2 + Math.random() * (ceiling / 2));
}

/**
 * Claims due inbox entries, runs the topic's handler and records the outcome; any number of
 * processes can work one inbox. A claim is a lease inserted under the key (entry, attempt): the
 * attempt after the stored one is won by exactly one worker (a unique insert), who then moves the
 * entry's own lease forward; an entry whose worker died (its heartbeat stopped) is claimed again
 * within seconds, and one whose handler hangs once that lease expires.
 * A handler that throws is retried with backoff; after `maxAttempts`, or on a PermanentFailure,
 * the entry ends `failed` with its reason.
 */
export function startInboxWorker(ctx: AppContext, options: InboxWorkerOptions): InboxWorker {
  const inbox = inboxModel(ctx.connection);
  const owner = randomUUID();
  const leaseMs = options.leaseMs ?? 60_000;
  const maxAttempts = options.maxAttempts ?? DEFAULT_MAX_ATTEMPTS;
  const concurrency = options.concurrency ?? 8;
  const pollMs = options.pollMs ?? 1000;
  const heartbeatMs = options.heartbeatMs ?? DEFAULT_HEARTBEAT_MS;
  let stopped = false;
  let active = 0;
  // Claims under way: the entry is already ours in the database but not yet in `inFlight`.
  let claiming = 0;
  let wake: (() => void) | undefined;
  const inFlight = new Set<Promise<void>>();
  // Heartbeats: until when the last one declared this worker alive, and since when they have run
  // unbroken. Deliveries stored before a gap may have been taken over elsewhere in it.
  let aliveUntil = 0;
  let aliveSince = ctx.clock().getTime();
  let heartbeatTimer: NodeJS.Timeout | undefined;
  let beating: Promise<void> = Promise.resolve();

  // Deliveries this process stored: claimed by _id, the cheapest lookup on every engine.
  const fresh: Array<string | StoredEntry> = [];

  const claims = inboxClaimModel(ctx.connection);
  // How many entries sweeps have claimed (not counting this process's own deliveries).
  let sweepFound = 0;
  const due: InboxStatus[] = ['pending', 'processing'];

  /** Takes attempt `attempts + 1` of a due entry; null when another worker has it. */
  async function take(entry: StoredEntry, now: Date): Promise<StoredEntry | null> {
    const attempts = entry.attempts + 1;
    const lease = await acquireLease(claims, {
      shop: entry.shop,
      key: `${String(entry._id)}#${entry.retries ?? 0}.${attempts}`,
      owner,
      now,
      ttlMs: leaseMs,
    });
    if (!lease) return null;
    const taken = { ...entry, status: 'processing' as const, leaseOwner: owner, attempts, availableAt: new Date(now.getTime() + leaseMs) };
    // Only the claim's winner writes the entry; the status guard keeps a finish that landed since the read.
    const moved = await inbox.updateOne(
      { _id: entry._id, status: { $in: due } },
      { $set: { status: taken.status, leaseOwner: owner, attempts, availableAt: taken.availableAt } },
    );
    return moved.matchedCount === 1 ? taken : null;
  }

  const isDue = (entry: StoredEntry, now: Date) => due.includes(entry.status) && entry.availableAt <= now;

  /**
   * Claims the next entry: this process's own deliveries first, then, when `sweep` is given, what
   * a sweep of the inbox finds. One sweep's candidates serve the pass that asked for them (passes
   * can overlap: drain() beside the loop); a candidate another worker took since costs one insert.
   */
  async function claim(sweep: { candidates?: StoredEntry[] } | null): Promise<StoredEntry | null> {
    const now = ctx.clock();
    for (let next = fresh.shift(); next !== undefined; next = fresh.shift()) {
      // An entry stored by this process as already ours (the receipt is its first claim) needs no claim,
      // unless it waited here for half its lease or through a gap in the heartbeats: then a sweep
      // elsewhere may have taken it, so this process claims its next attempt the same way, and the
      // unique claim picks one of the two.
      if (typeof next !== 'string') {
        const held = next.availableAt.getTime() - now.getTime() > leaseMs / 2 && next.receivedAt.getTime() >= aliveSince;
        if (held) return next;
        const taken = await take(next, now);
        if (taken) return taken;
        continue;
      }
      const stored = await inbox.findById(next).lean<StoredEntry>();
      const taken = stored && isDue(stored, now) ? await take(stored, now) : null;
      if (taken) return taken;
    }
    if (!sweep) return null;
    if (!sweep.candidates) {
      const orphaned = await orphanedEntries(ctx.connection, owner, now, concurrency);
      sweep.candidates = [...(await dueEntries(ctx.connection, due, now, concurrency)), ...orphaned];
    }
    for (let candidate = sweep.candidates.shift(); candidate !== undefined; candidate = sweep.candidates.shift()) {
      const taken = await take(candidate, now);
      if (taken) {
        sweepFound++;
        return taken;
      }
    }
    return null;
  }

  /**
   * Records the outcome on the entry itself: a finished delivery stays in the inbox for the replay
   * horizon (its unique (shop, event id) turns a replay into "already have it"), then `moveFinished`
   * takes it to the log. Only the claim's holder writes here.
   */
  async function finish(entry: StoredEntry, update: Partial<InboxEntry>): Promise<void> {
    await inbox.updateOne({ _id: entry._id }, { $set: update, $unset: { leaseOwner: 1 } });
  }

  async function process(entry: StoredEntry): Promise<void> {
    const handler = options.handlers[entry.topic];
    const now = ctx.clock();
    if (!handler) {
      await finish(entry, { status: 'skipped', outcome: `no handler for topic ${entry.topic}`, finishedAt: now });
      return;
    }
    const delivery: WebhookDelivery = {
      shop: entry.shop,
      topic: entry.topic,
      eventId: entry.eventId,
      webhookId: entry.webhookId,
      apiVersion: entry.apiVersion,
      triggeredAt: entry.triggeredAt,
      receivedAt: entry.receivedAt,
      payload: parseJsonLosslessly(entry.body),
    };
    try {
      const outcome = await handler(delivery, ctx, now);
      await finish(entry, {
        status: outcome.status,
        outcome: outcome.status === 'skipped' ? outcome.reason : (outcome.detail ?? 'processed'),
        finishedAt: ctx.clock(),
      });
    } catch (error) {
      const reason = `${entry.topic} for ${entry.shop} (event ${entry.eventId}): ${(error as Error).message}`;
      const permanent = error instanceof PermanentFailure || entry.attempts >= maxAttempts;
      ctx.logger.warn(
        { shop: entry.shop, topic: entry.topic, eventId: entry.eventId, attempt: entry.attempts, permanent, err: error },
        'webhook handler failed',
      );
      await finish(
        entry,
        permanent
          ? {
              status: 'failed',
              lastError: reason,
              outcome: `failed after ${entry.attempts} attempt(s): ${(error as Error).message}`,
              finishedAt: ctx.clock(),
            }
          : { status: 'pending', lastError: reason, availableAt: new Date(ctx.clock().getTime() + retryDelayMs(entry.attempts)) },
      );
    }
  }

  /** Starts claimed work up to the concurrency; a sweep also looks for work this process did not store. */
  async function fill(sweep: boolean): Promise<number> {
    let started = 0;
    const pass = sweep ? {} : null;
    while (!stopped && active < concurrency) {
      await options.ackGate?.clear(ACK_PRIORITY_MAX_WAIT_MS);
      claiming++;
      let entry: StoredEntry | null;
      try {
        entry = await claim(pass);
      } finally {
        claiming--;
      }
      if (!entry) break;
      started++;
      active++;
      const task = process(entry)
        .catch((error: unknown) => ctx.logger.error({ err: error }, 'inbox worker could not record an outcome'))
        .finally(() => {
          active--;
          inFlight.delete(task);
          wake?.();
        });
      inFlight.add(task);
    }
    return started;
  }

  function heartbeat(): void {
    const now = ctx.clock().getTime();
    const until = now + 3 * heartbeatMs;
    beating = beat(ctx.connection, owner, new Date(until))
      .then(() => {
        if (now > aliveUntil) aliveSince = now;
        aliveUntil = until;
      })
      .catch((error: unknown) => ctx.logger.warn({ err: error }, 'inbox worker could not record its heartbeat (database unavailable?)'));
    heartbeatTimer = setTimeout(heartbeat, heartbeatMs).unref();
  }
  heartbeat();

  let sweepDue = true;
  let movedAt = 0;
  const loop = (async () => {
    while (!stopped) {
      try {
        const sweep = sweepDue;
        sweepDue = false;
        // A sweep that found work looks again as soon as a slot frees: a backlog (a dead process's
        // deliveries, retries come due) is worked at full concurrency, not a pass per poll.
        const foundBefore = sweepFound;
        await fill(sweep);
        if (sweepFound > foundBefore) sweepDue = true;
        if (sweep && ctx.clock().getTime() - movedAt >= MOVE_EVERY_MS) {
          movedAt = ctx.clock().getTime();
          await moveFinished(ctx.connection, ctx.clock());
        }
      } catch (error) {
        ctx.logger.warn({ err: error }, 'inbox worker could not claim work (database unavailable?)');
      }
      await new Promise<void>((resolve) => {
        // A stop that came while this pass ran has no sleep to wake: do not start one.
        if (stopped) {
          resolve();
          return;
        }
        const timer = setTimeout(() => {
          sweepDue = true;
          resolve();
        }, pollMs);
        wake = () => {
          clearTimeout(timer);
          resolve();
        };
      });
      wake = undefined;
    }
  })();

  return {
    firstClaim: (now: Date) => ({ status: 'processing', attempts: 1, leaseOwner: owner, availableAt: new Date(now.getTime() + leaseMs) }),
    nudge: (stored?: string | StoredEntry) => {
      if (stored) fresh.push(stored);
      wake?.();
    },
    async drain() {
      let handled = 0;
      for (;;) {
        handled += await fill(true);
        if (inFlight.size > 0) {
          await Promise.race(inFlight);
          continue;
        }
        // The background loop may hold a claim it has not started yet: wait for it to show.
        if (claiming > 0) {
          await new Promise((resolve) => setTimeout(resolve, 10));
          continue;
        }
        const more = await fill(true);
        if (more === 0 && inFlight.size === 0 && claiming === 0) return handled;
        handled += more;
      }
    },
    async stop() {
      stopped = true;
      wake?.();
      await loop;
      await Promise.all(inFlight);
      // Stopped with nothing in hand: what it stored and did not start is taken over at once elsewhere.
      clearTimeout(heartbeatTimer);
      await beating;
      await beat(ctx.connection, owner, ctx.clock()).catch(() => {});
    },
  };
}

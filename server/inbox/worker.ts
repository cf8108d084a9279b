import { randomUUID } from 'node:crypto';
import type { AppContext } from '../platform/context.js';
import type { Types } from 'mongoose';
import { acquireLease } from '../platform/atomic.js';
import { inboxClaimModel, inboxModel, webhookLogModel, type InboxEntry, type InboxStatus } from './store.js';
import { parseJsonLosslessly } from '../platform/json.js';
import { isDuplicateKey } from '../platform/models.js';
import type { AckGate } from './ack-gate.js';
import { PermanentFailure, type TopicHandler, type WebhookDelivery } from './topics.js';

export interface InboxWorkerOptions {
  handlers: Record<string, TopicHandler>;
  /** How long a claim holds before another worker may take the entry over. */
  leaseMs?: number;
  maxAttempts?: number;
  concurrency?: number;
  /** How often to sweep the whole inbox for retries, expired leases and other processes' work. */
  pollMs?: number;
  /** Lets webhook acknowledgements go first: the worker waits for it before starting more work. */
  ackGate?: AckGate;
}

/** The longest the worker defers to acknowledgements before starting a piece of work anyway. */
const ACK_PRIORITY_MAX_WAIT_MS = 100;

export interface InboxWorker {
  /** Hands the worker a delivery this process just stored, so it claims it at once by id. */
  nudge(stored?: string | (InboxEntry & { _id: Types.ObjectId })): void;
  /** Processes due entries until none is left; returns how many it handled (tests, bench). */
  drain(): Promise<number>;
  /** Stops claiming and waits for claimed work to finish. */
  stop(): Promise<void>;
}

export const DEFAULT_MAX_ATTEMPTS = 8;

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
 * entry's own lease forward; an entry whose worker died is claimed again once that lease expires.
 * A handler that throws is retried with backoff; after `maxAttempts`, or on a PermanentFailure,
 * the entry ends `failed` with its reason.
 */
export function startInboxWorker(ctx: AppContext, options: InboxWorkerOptions): InboxWorker {
  const inbox = inboxModel(ctx.connection);
  const log = webhookLogModel(ctx.connection);
  const owner = randomUUID();
  const leaseMs = options.leaseMs ?? 60_000;
  const maxAttempts = options.maxAttempts ?? DEFAULT_MAX_ATTEMPTS;
  const concurrency = options.concurrency ?? 8;
  const pollMs = options.pollMs ?? 1000;
  let stopped = false;
  let active = 0;
  // Claims under way: the entry is already ours in the database but not yet in `inFlight`.
  let claiming = 0;
  let wake: (() => void) | undefined;
  const inFlight = new Set<Promise<void>>();

  // Deliveries this process stored: claimed by _id, the cheapest lookup on every engine.
  const fresh: Array<string | StoredEntry> = [];

  const claims = inboxClaimModel(ctx.connection);

  /** Takes attempt `attempts + 1` of a due entry; null when another worker has it. */
  async function take(entry: StoredEntry, now: Date): Promise<StoredEntry | null> {
    const attempts = entry.attempts + 1;
    const lease = await acquireLease(claims, { shop: entry.shop, key: `${String(entry._id)}#${attempts}`, owner, now, ttlMs: leaseMs });
    if (!lease) return null;
    const taken = { ...entry, status: 'processing' as const, leaseOwner: owner, attempts, availableAt: new Date(now.getTime() + leaseMs) };
    // Only the claim's winner writes the entry, so a plain update by _id is enough.
    await inbox.updateOne({ _id: entry._id }, { $set: { status: taken.status, leaseOwner: owner, attempts, availableAt: taken.availableAt } });
    return taken;
  }

  const due: InboxStatus[] = ['pending', 'processing'];
  const isDue = (entry: StoredEntry, now: Date) => due.includes(entry.status) && entry.availableAt <= now;

  async function claim(): Promise<StoredEntry | null> {
    const now = ctx.clock();
    for (let next = fresh.shift(); next !== undefined; next = fresh.shift()) {
      // An entry stored by this process as already ours (the receipt is its first claim) needs no claim.
      if (typeof next !== 'string') return next;
      const stored = await inbox.findById(next).lean<StoredEntry>();
      const taken = stored && isDue(stored, now) ? await take(stored, now) : null;
      if (taken) return taken;
    }
    for (const candidate of await inbox.find({ status: { $in: due }, availableAt: { $lte: now } }).sort({ availableAt: 1 }).limit(concurrency).lean<StoredEntry[]>()) {
      const taken = await take(candidate, now);
      if (taken) return taken;
    }
    return null;
  }

  async function finish(entry: StoredEntry, update: Partial<InboxEntry>, rewritten = false): Promise<void> {
    if (update.status === 'pending') {
      await inbox.updateOne({ _id: entry._id, leaseOwner: owner }, { $set: update, $unset: { leaseOwner: 1 } });
      return;
    }
    // A finished delivery moves to the log: written there first, then removed from the inbox, so a
    // crash in between leaves it in both (the log keeps one copy) rather than in neither. A handler
    // that rewrote its own delivery (customers/redact scrubs it) has it read again first.
    const current = rewritten ? ((await inbox.findById(entry._id).lean<StoredEntry>()) ?? entry) : entry;
    const { leaseOwner: _leaseOwner, ...finished } = { ...current, ...update };
    await log.create(finished).catch((error: unknown) => {
      if (!isDuplicateKey(error)) throw error;
    });
    await inbox.deleteOne({ _id: entry._id });
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
      await finish(
        entry,
        { status: outcome.status, outcome: outcome.status === 'skipped' ? outcome.reason : (outcome.detail ?? 'processed'), finishedAt: ctx.clock() },
        outcome.rewroteDelivery === true,
      );
    } catch (error) {
      const reason = `${entry.topic} for ${entry.shop} (event ${entry.eventId}): ${(error as Error).message}`;
      const permanent = error instanceof PermanentFailure || entry.attempts >= maxAttempts;
      ctx.logger.warn({ shop: entry.shop, topic: entry.topic, eventId: entry.eventId, attempt: entry.attempts, permanent, err: error }, 'webhook handler failed');
      await finish(
        entry,
        permanent
          ? { status: 'failed', lastError: reason, outcome: `failed after ${entry.attempts} attempt(s): ${(error as Error).message}`, finishedAt: ctx.clock() }
          : { status: 'pending', lastError: reason, availableAt: new Date(ctx.clock().getTime() + retryDelayMs(entry.attempts)) },
      );
    }
  }

  async function fill(): Promise<number> {
    let started = 0;
    while (!stopped && active < concurrency) {
      await options.ackGate?.clear(ACK_PRIORITY_MAX_WAIT_MS);
      claiming++;
      let entry: StoredEntry | null;
      try {
        entry = await claim();
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

  const loop = (async () => {
    while (!stopped) {
      try {
        await fill();
      } catch (error) {
        ctx.logger.warn({ err: error }, 'inbox worker could not claim work (database unavailable?)');
      }
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, pollMs);
        wake = () => {
          clearTimeout(timer);
          resolve();
        };
      });
      wake = undefined;
    }
  })();

  return {
    nudge: (stored?: string | StoredEntry) => {
      if (stored) fresh.push(stored);
      wake?.();
    },
    async drain() {
      let handled = 0;
      for (;;) {
        handled += await fill();
        if (inFlight.size > 0) {
          await Promise.race(inFlight);
          continue;
        }
        // The background loop may hold a claim it has not started yet: wait for it to show.
        if (claiming > 0) {
          await new Promise((resolve) => setTimeout(resolve, 10));
          continue;
        }
        const more = await fill();
        if (more === 0 && inFlight.size === 0 && claiming === 0) return handled;
        handled += more;
      }
    },
    async stop() {
      stopped = true;
      wake?.();
      await loop;
      await Promise.all(inFlight);
    },
  };
}

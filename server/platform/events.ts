import type { AppContext } from './context.js';

/**
 * Domain events: what a capability publishes when something happened (an order credited, an order
 * reversed, points redeemed), so that the capabilities that react to it are not its imports.
 * boot.ts registers every subscriber (docs/architecture.md), as Vendure's EventBus and Medusa's
 * subscribers do. Each event names its shop and carries what its subscribers need.
 */
export interface DomainEvent {
  type: string;
  shop: string;
}

/**
 * Runs inside the publisher's work and is awaited there, in registration order: what it does
 * shares the publisher's retry guarantee (an error fails the webhook delivery, which the inbox
 * retries, so the subscriber must be idempotent).
 */
export type BlockingSubscriber<E extends DomainEvent> = (ctx: AppContext, event: E, now: Date) => Promise<void>;

/**
 * Work that may lag: it runs after the publisher's work, in batches per shop, reading what happened
 * from the publisher's own records by a cursor of its own (so nothing is lost when a process dies
 * between the event and the batch: the next batch, or the hourly catch-up, reads it). Returns how
 * many records it acted on. Must be idempotent: batches of several processes may overlap.
 */
export interface BatchSubscriber {
  name: string;
  /** The event types that nudge it: after one is published for a shop, a batch runs for that shop. */
  after: string[];
  /** `since`: the earliest time an event nudged this batch with (null for the catch-up, which reads from its cursor). */
  run(ctx: AppContext, shop: string, since: Date | null, now: Date): Promise<number>;
}

export interface EventBus {
  /** Awaits the blocking subscribers of the event's type, then nudges the batch subscribers for its shop. */
  publish<E extends DomainEvent>(ctx: AppContext, event: E, now: Date): Promise<void>;
  /** Registers a blocking subscriber (boot.ts). */
  subscribe<E extends DomainEvent>(type: E['type'], subscriber: BlockingSubscriber<E>): void;
  /** Registers a batch subscriber (boot.ts). */
  subscribeInBatches(subscriber: BatchSubscriber): void;
  /** The batch subscribers, for the hourly catch-up job. */
  batchSubscribers(): BatchSubscriber[];
  /** Runs the batches due now; resolves when none is left (tests and shutdown). Returns records acted on. */
  drain(ctx: AppContext): Promise<number>;
  /** Starts running nudged batches every `everyMs` (the batch window) until stopped. */
  start(ctx: AppContext, everyMs?: number): void;
  stop(): Promise<void>;
}

/** How long a batch subscriber may lag its events: the window over which one batch gathers a shop's orders. */
export const BATCH_WINDOW_MS = 5_000;

export function createEventBus(): EventBus {
  const blocking = new Map<string, Array<BlockingSubscriber<DomainEvent>>>();
  const batches: BatchSubscriber[] = [];
  /** subscriber name -> shop -> the earliest time an event nudged its next batch with. */
  const nudged = new Map<string, Map<string, Date>>();
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<number> = Promise.resolve(0);

  const runNudged = async (ctx: AppContext): Promise<number> => {
    let acted = 0;
    for (const subscriber of batches) {
      const shops = nudged.get(subscriber.name);
      if (!shops || shops.size === 0) continue;
      const due = [...shops];
      shops.clear();
      for (const [shop, since] of due) {
        try {
          acted += await subscriber.run(ctx, shop, since, ctx.clock());
        } catch (error) {
          // The records stay behind the cursor: the next nudge or the hourly catch-up reads them again.
          ctx.logger.error({ err: error, shop, subscriber: subscriber.name }, 'batch subscriber failed');
        }
      }
    }
    return acted;
  };
  const runOnce = (ctx: AppContext): Promise<number> => (running = running.then(() => runNudged(ctx)));

  return {
    async publish(ctx, event, now) {
      for (const subscriber of blocking.get(event.type) ?? []) await subscriber(ctx, event, now);
      for (const subscriber of batches) {
        if (!subscriber.after.includes(event.type)) continue;
        const shops = nudged.get(subscriber.name)!;
        const earliest = shops.get(event.shop);
        if (!earliest || now < earliest) shops.set(event.shop, now);
      }
    },
    subscribe(type, subscriber) {
      blocking.set(type, [...(blocking.get(type) ?? []), subscriber as BlockingSubscriber<DomainEvent>]);
    },
    subscribeInBatches(subscriber) {
      batches.push(subscriber);
      nudged.set(subscriber.name, new Map());
    },
    batchSubscribers: () => [...batches],
    async drain(ctx) {
      let acted = 0;
      for (;;) {
        acted += await runOnce(ctx);
        if ([...nudged.values()].every((shops) => shops.size === 0)) return acted;
      }
    },
    start(ctx, everyMs = BATCH_WINDOW_MS) {
      timer = setInterval(() => void runOnce(ctx), everyMs);
      timer.unref();
    },
    async stop() {
      clearInterval(timer);
      await running;
    },
  };
}

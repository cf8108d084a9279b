import type { AppContext, BatchSubscriber, BlockingSubscriber, DomainEvent, EventBus } from './context.js';

export type { BatchSubscriber, BlockingSubscriber, DomainEvent, EventBus } from './context.js';

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

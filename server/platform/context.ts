import type { Connection } from 'mongoose';
import type { Config } from './config.js';
import type { DatabaseInfo } from './database/connection.js';
import type { Logger } from './logger.js';

/**
 * Values a capability needs back from one above it (the tier multiplier earning applies, the perks
 * redemption prices with), which it may not import. Each such capability declares its ports here by
 * module augmentation (`declare module '../platform/context.js'`), and boot.ts, the one place that
 * sees every capability, fills them in (docs/architecture.md).
 */
// eslint-disable-next-line @typescript-eslint/no-empty-object-type -- filled by the capabilities' declarations
export interface Ports {}

/**
 * What every router, worker and handler is built from. Factories take it and return functions
 * (STYLE.md); nothing reads globals, so tests build exactly the instance they need.
 */
export interface AppContext {
  config: Config;
  connection: Connection;
  dbInfo: DatabaseInfo;
  logger: Logger;
  /** The current time; tests pass their own clock. */
  clock: () => Date;
  /** Domain events and their subscribers, registered by boot.ts (platform/events.ts). */
  events: EventBus;
  ports: Ports;
}

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

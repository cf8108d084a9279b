import { Schema, Types, type Connection, type Model } from 'mongoose';
import { leaseSchema, type Lease } from '../platform/atomic.js';
import { modelOn } from '../platform/models.js';
import type { OutboundEventType } from './events.js';

/** A URL the merchant set to receive events; removed by deleting it. */
export interface OutboundEndpoint {
  _id: string;
  shop: string;
  url: string;
  events: OutboundEventType[];
  /** The signing secret, shown to the merchant once and kept only sealed like access tokens (secrets.ts). */
  sealedSecret?: string;
  /** The plain secret of an endpoint saved before secrets were sealed: sealed at its next delivery, then removed. */
  secret?: string;
  createdAt: Date;
}

/** One event for one receiver (an endpoint, or Shopify Flow): the outbox row and its state, written by the shop's lease holder only. */
export interface OutboundDelivery {
  /** `${shop}|${target}|${eventId}`: an event reaches a receiver at most once however often it is collected. */
  _id: string;
  shop: string;
  /** An endpoint id, or `flow`. */
  target: string;
  eventId: string;
  type: OutboundEventType;
  body: string;
  status: 'pending' | 'delivered' | 'failed';
  attempts: number;
  nextAttemptAt: Date | null;
  lastStatus: number | null;
  lastError: string | null;
  createdAt: Date;
  deliveredAt: Date | null;
}

/** One try at a delivery, for the log the merchant sees. */
export interface OutboundAttempt {
  _id: Types.ObjectId;
  shop: string;
  deliveryId: string;
  attempt: number;
  at: Date;
  status: number | null;
  error: string | null;
}

/** How far a shop's events have been collected from one source. */
export interface OutboundCursor {
  _id: string;
  shop: string;
  source: string;
  at: Date;
}

/** A Flow lifecycle callback: whether the shop has an enabled workflow using a trigger, as of `timestamp`. */
export interface FlowTriggerUse {
  _id: Types.ObjectId;
  shop: string;
  handle: string;
  enabled: boolean;
  timestamp: Date;
}

const endpointSchema = new Schema<OutboundEndpoint>(
  {
    _id: { type: String, required: true },
    shop: { type: String, required: true },
    url: { type: String, required: true },
    events: { type: [String], required: true },
    sealedSecret: String,
    secret: String,
    createdAt: { type: Date, required: true },
  },
  { collection: 'outbound_endpoints', versionKey: false },
);
endpointSchema.index({ shop: 1, createdAt: 1 });

const deliverySchema = new Schema<OutboundDelivery>(
  {
    _id: { type: String, required: true },
    shop: { type: String, required: true },
    target: { type: String, required: true },
    eventId: { type: String, required: true },
    type: { type: String, required: true },
    body: { type: String, required: true },
    status: { type: String, required: true },
    attempts: { type: Number, required: true },
    nextAttemptAt: { type: Date, default: null },
    lastStatus: { type: Number, default: null },
    lastError: { type: String, default: null },
    createdAt: { type: Date, required: true },
    deliveredAt: { type: Date, default: null },
  },
  { collection: 'outbound_deliveries', versionKey: false },
);
deliverySchema.index({ shop: 1, target: 1, eventId: 1 }, { unique: true });
deliverySchema.index({ shop: 1, status: 1, nextAttemptAt: 1 });
deliverySchema.index({ shop: 1, createdAt: -1 });

const attemptSchema = new Schema<OutboundAttempt>(
  {
    shop: { type: String, required: true },
    deliveryId: { type: String, required: true },
    attempt: { type: Number, required: true },
    at: { type: Date, required: true },
    status: { type: Number, default: null },
    error: { type: String, default: null },
  },
  { collection: 'outbound_attempts', versionKey: false },
);
attemptSchema.index({ shop: 1, deliveryId: 1, attempt: 1 }, { unique: true });

const cursorSchema = new Schema<OutboundCursor>(
  {
    _id: { type: String, required: true },
    shop: { type: String, required: true },
    source: { type: String, required: true },
    at: { type: Date, required: true },
  },
  { collection: 'outbound_cursors', versionKey: false },
);
cursorSchema.index({ shop: 1, source: 1 }, { unique: true });

const flowUseSchema = new Schema<FlowTriggerUse>(
  {
    shop: { type: String, required: true },
    handle: { type: String, required: true },
    enabled: { type: Boolean, required: true },
    timestamp: { type: Date, required: true },
  },
  { collection: 'flow_trigger_uses', versionKey: false },
);
flowUseSchema.index({ shop: 1, handle: 1, timestamp: -1 });

export const outboundEndpointModel = (connection: Connection): Model<OutboundEndpoint> => modelOn(connection, 'OutboundEndpoint', endpointSchema);
export const outboundDeliveryModel = (connection: Connection): Model<OutboundDelivery> => modelOn(connection, 'OutboundDelivery', deliverySchema);
export const outboundAttemptModel = (connection: Connection): Model<OutboundAttempt> => modelOn(connection, 'OutboundAttempt', attemptSchema);
export const outboundCursorModel = (connection: Connection): Model<OutboundCursor> => modelOn(connection, 'OutboundCursor', cursorSchema);
export const flowTriggerUseModel = (connection: Connection): Model<FlowTriggerUse> => modelOn(connection, 'FlowTriggerUse', flowUseSchema);
const outboundLeaseSchema = leaseSchema().set('collection', 'outbound_leases');
export const outboundLeaseModel = (connection: Connection): Model<Lease> => modelOn(connection, 'OutboundLease', outboundLeaseSchema);

/** Every model of this folder, for server/indexes.ts. */
export const outboundModels = [
  outboundEndpointModel,
  outboundDeliveryModel,
  outboundAttemptModel,
  outboundCursorModel,
  flowTriggerUseModel,
  outboundLeaseModel,
];

export async function endpointsOf(connection: Connection, shop: string): Promise<OutboundEndpoint[]> {
  return outboundEndpointModel(connection).find({ shop }).sort({ createdAt: 1 }).lean<OutboundEndpoint[]>();
}

/** The Flow triggers the shop uses now, each with when it was enabled: for each handle, its newest lifecycle callback says whether. */
export async function enabledFlowTriggers(connection: Connection, shop: string): Promise<Map<string, Date>> {
  const uses = await flowTriggerUseModel(connection).find({ shop }).sort({ timestamp: 1 }).lean<FlowTriggerUse[]>();
  const newest = new Map<string, FlowTriggerUse>();
  for (const use of uses) newest.set(use.handle, use);
  return new Map([...newest].filter(([, use]) => use.enabled).map(([handle, use]) => [handle, use.timestamp]));
}

/** Shops with something to send to: an endpoint, or a Flow lifecycle callback (the dispatcher reads which are enabled). */
export async function shopsWithReceivers(connection: Connection): Promise<string[]> {
  const [endpoints, flows] = await Promise.all([
    outboundEndpointModel(connection).distinct('shop'),
    flowTriggerUseModel(connection).distinct('shop'),
  ]);
  return [...new Set([...endpoints, ...flows].map(String))];
}

export async function readCursor(connection: Connection, shop: string, source: string): Promise<Date | null> {
  return (await outboundCursorModel(connection).findById(`${shop}|${source}`).lean<OutboundCursor>())?.at ?? null;
}

/** Only the shop's lease holder moves its cursors, so a plain upsert is enough. */
export async function moveCursor(connection: Connection, shop: string, source: string, at: Date): Promise<void> {
  await outboundCursorModel(connection).updateOne({ _id: `${shop}|${source}` }, { $set: { shop, source, at } }, { upsert: true });
}

export async function dueDeliveries(connection: Connection, shop: string, now: Date, limit: number): Promise<OutboundDelivery[]> {
  return outboundDeliveryModel(connection)
    .find({ shop, status: 'pending', nextAttemptAt: { $lte: now } })
    .sort({ nextAttemptAt: 1 })
    .limit(limit)
    .lean<OutboundDelivery[]>();
}

export async function recentDeliveries(connection: Connection, shop: string, limit: number): Promise<OutboundDelivery[]> {
  return outboundDeliveryModel(connection).find({ shop }).sort({ createdAt: -1 }).limit(limit).lean<OutboundDelivery[]>();
}

export async function attemptsOf(connection: Connection, shop: string, deliveryIds: string[]): Promise<OutboundAttempt[]> {
  return outboundAttemptModel(connection)
    .find({ shop, deliveryId: { $in: deliveryIds } })
    .sort({ attempt: 1 })
    .lean<OutboundAttempt[]>();
}

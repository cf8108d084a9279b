import { randomUUID } from 'node:crypto';
import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { Types } from 'mongoose';
import type { AppContext } from '../platform/context.js';
import { acquireLease, insertOnce, releaseLease } from '../platform/atomic.js';
import type { AdminGraphql } from '../shopify/admin-graphql.js';
import { FLOW_TRIGGER_RECEIVE, type FlowTriggerReceiveData } from '../shopify/operations.js';
import { adminClientFor, TokenDecryptionError } from '../shops/index.js';
import { collectEvents } from './collect.js';
import { endpointUrlProblem, guardedLookup, NonPublicAddress, systemResolver, type AddressPolicy, type ResolveHost } from './address-policy.js';
import { FLOW_TRIGGER_HANDLES, flowPayload, nextAttemptAt, signBody, signTimed, type OutboundEvent } from './events.js';
import { signingSecret } from './secrets.js';
import {
  dueDeliveries,
  enabledFlowTriggers,
  endpointsOf,
  outboundAttemptModel,
  outboundDeliveryModel,
  outboundLeaseModel,
  shopsWithReceivers,
  type OutboundDelivery,
  type OutboundEndpoint,
} from './store.js';

export interface OutboundOptions {
  admin?: AdminGraphql;
  /** How long a receiver has to answer. */
  timeoutMs?: number;
  /** Deliveries sent per shop per run. */
  batch?: number;
  /** Where endpoints may point: `public` in production (address-policy.ts), `any` in dev mode. */
  addressPolicy?: AddressPolicy;
  /** Resolves endpoint host names (the system's resolver; tests pass their own). */
  resolveHost?: ResolveHost;
}

/** The headers every delivery carries; docs/integrations.md describes them for receivers. */
export const TIMED_SIGNATURE_HEADER = 'X-Tally-Signature';
/** The body-only signature, kept for receivers written before the timed one; it does not stop replays. */
export const SIGNATURE_HEADER = 'X-Tally-Hmac-Sha256';

export function addressPolicyOf(ctx: AppContext): AddressPolicy {
  return ctx.config.mode === 'production' ? 'public' : 'any';
}

const LEASE_MS = 2 * 60_000;
const TIMEOUT_MS = 10_000;
const BATCH = 100;

type AttemptResult = { ok: true; status: number | null } | { ok: false; status: number | null; error: string };

/**
 * One POST with node's http client: no redirect is ever followed (a 3xx is a failed attempt), and
 * the socket connects through `guardedLookup`, so under the public policy it never reaches a
 * private, loopback, link-local or metadata address, however the name resolves.
 */
function post(
  url: URL,
  headers: Record<string, string>,
  body: string,
  options: Required<Pick<OutboundOptions, 'addressPolicy' | 'resolveHost'>> & { timeoutMs: number },
) {
  return new Promise<number>((resolve, reject) => {
    const request = (url.protocol === 'https:' ? httpsRequest : httpRequest)(url, {
      method: 'POST',
      headers: { ...headers, 'Content-Length': String(Buffer.byteLength(body)) },
      agent: false,
      lookup: guardedLookup(options.resolveHost, options.addressPolicy),
      signal: AbortSignal.timeout(options.timeoutMs),
    });
    request.on('response', (response) => {
      response.resume();
      resolve(response.statusCode ?? 0);
    });
    request.on('error', reject);
    request.end(body);
  });
}

async function postToEndpoint(
  ctx: AppContext,
  endpoint: OutboundEndpoint,
  delivery: OutboundDelivery,
  attempt: number,
  options: OutboundOptions,
): Promise<AttemptResult> {
  const addressPolicy = options.addressPolicy ?? addressPolicyOf(ctx);
  const problem = endpointUrlProblem(endpoint.url, addressPolicy);
  if (problem) return { ok: false, status: null, error: `refused: the URL ${problem}` };
  let secret: string;
  try {
    secret = await signingSecret(ctx, endpoint);
  } catch (error) {
    if (!(error instanceof TokenDecryptionError)) throw error;
    return {
      ok: false,
      status: null,
      error: 'not signed: the signing secret does not open with the configured keys; remove the endpoint and add it again',
    };
  }
  try {
    const status = await post(
      new URL(endpoint.url),
      {
        'Content-Type': 'application/json',
        'User-Agent': 'Tally-Webhooks/1',
        'X-Tally-Topic': delivery.type,
        'X-Tally-Event-Id': delivery.eventId,
        'X-Tally-Shop-Domain': delivery.shop,
        'X-Tally-Delivery-Attempt': String(attempt),
        [TIMED_SIGNATURE_HEADER]: signTimed(secret, delivery.body, ctx.clock()),
        [SIGNATURE_HEADER]: signBody(secret, delivery.body),
      },
      delivery.body,
      { addressPolicy, resolveHost: options.resolveHost ?? systemResolver, timeoutMs: options.timeoutMs ?? TIMEOUT_MS },
    );
    return status >= 200 && status < 300 ? { ok: true, status } : { ok: false, status, error: `the endpoint answered ${status}` };
  } catch (error) {
    if (error instanceof NonPublicAddress) return { ok: false, status: null, error: 'refused: the endpoint does not resolve to a public address' };
    // In production the same words whatever stopped it, so the log tells nothing about a network beyond "no answer".
    const detail = addressPolicy === 'any' ? (error as Error).message : 'the endpoint could not be reached';
    return { ok: false, status: null, error: `no answer: ${detail}` };
  }
}

async function triggerFlow(admin: AdminGraphql, delivery: OutboundDelivery): Promise<AttemptResult> {
  const event = JSON.parse(delivery.body) as OutboundEvent;
  try {
    const data = await admin<FlowTriggerReceiveData>(delivery.shop, FLOW_TRIGGER_RECEIVE, {
      handle: FLOW_TRIGGER_HANDLES[event.type],
      payload: flowPayload(event),
    });
    const errors = data.flowTriggerReceive.userErrors;
    return errors.length === 0 ? { ok: true, status: null } : { ok: false, status: null, error: errors.map((error) => error.message).join('; ') };
  } catch (error) {
    return { ok: false, status: null, error: (error as Error).message };
  }
}

/** Sends one delivery once more and records the attempt; only the shop's lease holder calls it, so plain updates suffice. */
async function attempt(
  ctx: AppContext,
  delivery: OutboundDelivery,
  endpoints: Map<string, OutboundEndpoint>,
  options: OutboundOptions,
): Promise<void> {
  const number = delivery.attempts + 1;
  const endpoint = endpoints.get(delivery.target);
  const result: AttemptResult =
    delivery.target === 'flow'
      ? await triggerFlow(options.admin ?? adminClientFor(ctx), delivery)
      : endpoint
        ? await postToEndpoint(ctx, endpoint, delivery, number, options)
        : { ok: false, status: null, error: 'the endpoint was removed' };
  const now = ctx.clock();
  await insertOnce(outboundAttemptModel(ctx.connection), {
    shop: delivery.shop,
    deliveryId: delivery._id,
    attempt: number,
    at: now,
    status: result.status,
    _id: new Types.ObjectId(),
    error: result.ok ? null : result.error,
  });
  const retryAt = result.ok || (!endpoint && delivery.target !== 'flow') ? null : nextAttemptAt(number, now);
  await outboundDeliveryModel(ctx.connection).updateOne(
    { _id: delivery._id },
    {
      $set: {
        attempts: number,
        status: result.ok ? 'delivered' : retryAt ? 'pending' : 'failed',
        nextAttemptAt: retryAt,
        lastStatus: result.status,
        lastError: result.ok ? null : result.error,
        deliveredAt: result.ok ? now : null,
      },
    },
  );
}

/**
 * One pass for a shop: queue what happened since the last pass, then send what is due, under the
 * shop's lease so one process sends each delivery at a time. Returns how many attempts it made,
 * or null when another pass holds the shop.
 */
export async function runOutbound(ctx: AppContext, shop: string, options: OutboundOptions = {}): Promise<number | null> {
  const leases = outboundLeaseModel(ctx.connection);
  const lease = await acquireLease(leases, { shop, key: 'outbound', owner: randomUUID(), now: ctx.clock(), ttlMs: LEASE_MS });
  if (!lease) return null;
  try {
    const [endpoints, flowHandles] = await Promise.all([endpointsOf(ctx.connection, shop), enabledFlowTriggers(ctx.connection, shop)]);
    await collectEvents(ctx.connection, shop, endpoints, flowHandles, ctx.clock());
    const byId = new Map(endpoints.map((endpoint) => [endpoint._id, endpoint]));
    const due = await dueDeliveries(ctx.connection, shop, ctx.clock(), options.batch ?? BATCH);
    for (const delivery of due) await attempt(ctx, delivery, byId, options);
    return due.length;
  } finally {
    await releaseLease(leases, lease);
  }
}

export interface OutboundWorker {
  /** Runs a pass for every shop now (tests, and after an endpoint is added). */
  runNow(): Promise<void>;
  stop(): Promise<void>;
}

/** Passes every `everyMs` over the shops that have a receiver; off every request path. */
export function startOutbound(ctx: AppContext, options: OutboundOptions & { everyMs?: number } = {}): OutboundWorker {
  let running: Promise<unknown> = Promise.resolve();
  let stopped = false;
  const pass = async () => {
    for (const shop of await shopsWithReceivers(ctx.connection)) if (!stopped) await runOutbound(ctx, shop, options);
  };
  const tick = (): Promise<void> => {
    const next = running
      .then(() => (stopped ? undefined : pass()))
      .catch((error: unknown) => ctx.logger.error({ err: error }, 'outbound pass failed'));
    running = next;
    return next.then(() => undefined);
  };
  const timer = setInterval(() => void tick(), options.everyMs ?? 10_000);
  timer.unref();
  return {
    runNow: tick,
    async stop() {
      stopped = true;
      clearInterval(timer);
      await running;
    },
  };
}

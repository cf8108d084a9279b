import { randomBytes, randomUUID } from 'node:crypto';
import { Router } from 'express';
import { z } from 'zod';
import type { AppContext } from '../platform/context.js';
import { apiLocals } from '../platform/api-locals.js';
import { fieldErrors } from '../platform/field-errors.js';
import { addressPolicyOf } from './dispatcher.js';
import { endpointUrlProblem } from './address-policy.js';
import { OUTBOUND_EVENTS } from './events.js';
import { sealSecret } from './secrets.js';
import { attemptsOf, enabledFlowTriggers, endpointsOf, outboundEndpointModel, recentDeliveries, type OutboundEndpoint } from './store.js';
import { jsonBody } from '../platform/http-app.js';

const MAX_ENDPOINTS = 10;

const endpointBody = z.object({
  // An absolute http(s) URL that URL parses: a host name whose last label starts with a letter, an IPv4
  // address, or an IPv6 one in full or with :: between at most three groups each side; a port; printable
  // ASCII after. Written as a pattern so the document says it; the address policy is checked after.
  url: z
    .string()
    .max(2000)
    .regex(
      /^https?:\/\/(([a-zA-Z0-9-]{1,63}\.){0,8}[a-zA-Z][a-zA-Z0-9-]{0,62}|((25[0-5]|2[0-4][0-9]|1?[0-9]?[0-9])\.){3}(25[0-5]|2[0-4][0-9]|1?[0-9]?[0-9])|\[([0-9a-fA-F]{1,4}(:[0-9a-fA-F]{1,4}){7}|([0-9a-fA-F]{1,4}(:[0-9a-fA-F]{1,4}){0,2})?::([0-9a-fA-F]{1,4}(:[0-9a-fA-F]{1,4}){0,2})?)\])(:([0-9]{1,4}|[1-5][0-9]{4}|6[0-4][0-9]{3}|65[0-4][0-9]{2}|655[0-2][0-9]|6553[0-5]))?(\/[\x21-\x7e]*)?$/,
      'must be an absolute URL',
    ),
  events: z.array(z.enum(OUTBOUND_EVENTS)).min(1, 'needs at least one event').optional(),
});

const deliveriesQuery = z.object({ limit: z.coerce.number().int().min(1).max(200).default(50) });

const view = (endpoint: OutboundEndpoint) => ({ id: endpoint._id, url: endpoint.url, events: endpoint.events, createdAt: endpoint.createdAt });

/** /api/outbound: the merchant's webhook endpoints and the delivery log (session token). */
export function outboundRouter(ctx: AppContext, onChange: () => void = () => undefined): Router {
  const router = Router();

  router.get('/outbound/endpoints', async (_req, res) => {
    const { shop } = apiLocals(res);
    res.json({ endpoints: (await endpointsOf(ctx.connection, shop)).map(view), events: OUTBOUND_EVENTS });
  });

  router.post('/outbound/endpoints', jsonBody('10kb'), async (req, res) => {
    const { shop } = apiLocals(res);
    const body = endpointBody.safeParse(req.body);
    // Receivers must be reachable from the internet in production (address-policy.ts); a name is checked again as it is resolved.
    const problem = body.success ? endpointUrlProblem(body.data.url, addressPolicyOf(ctx)) : null;
    if (!body.success || problem) {
      res.status(422).json({
        error: 'invalid_endpoint',
        message: 'The endpoint is invalid',
        errors: body.success ? { url: problem } : fieldErrors(body.error),
      });
      return;
    }
    if ((await endpointsOf(ctx.connection, shop)).length >= MAX_ENDPOINTS) {
      res.status(409).json({ error: 'too_many_endpoints', message: `A shop has at most ${MAX_ENDPOINTS} endpoints: remove one first` });
      return;
    }
    const secret = `whsec_${randomBytes(24).toString('base64url')}`;
    const id = randomUUID().replace(/-/g, '');
    const endpoint: OutboundEndpoint = {
      _id: id,
      shop,
      url: body.data.url,
      events: body.data.events ?? [...OUTBOUND_EVENTS],
      sealedSecret: sealSecret(ctx, { _id: id, shop }, secret),
      createdAt: ctx.clock(),
    };
    await outboundEndpointModel(ctx.connection).create(endpoint);
    onChange();
    // The only time the secret is shown: it is stored sealed.
    res.status(201).json({ ...view(endpoint), secret });
  });

  router.delete('/outbound/endpoints/:id', async (req, res) => {
    const { shop } = apiLocals(res);
    const removed = await outboundEndpointModel(ctx.connection).deleteOne({ _id: String(req.params.id), shop });
    if (removed.deletedCount !== 1) {
      res.status(404).json({ error: 'unknown_endpoint', message: 'No such endpoint in this shop' });
      return;
    }
    res.status(204).end();
  });

  router.get('/outbound/deliveries', async (req, res) => {
    const { shop } = apiLocals(res);
    const query = deliveriesQuery.safeParse(req.query);
    if (!query.success) {
      res.status(422).json({ error: 'invalid_request', errors: fieldErrors(query.error) });
      return;
    }
    const { limit } = query.data;
    const deliveries = await recentDeliveries(ctx.connection, shop, limit);
    const [attempts, flowTriggers] = await Promise.all([
      attemptsOf(
        ctx.connection,
        shop,
        deliveries.map((delivery) => delivery._id),
      ),
      enabledFlowTriggers(ctx.connection, shop),
    ]);
    res.json({
      flowTriggers: [...flowTriggers.keys()].sort(),
      deliveries: deliveries.map((delivery) => ({
        id: delivery._id,
        target: delivery.target,
        eventId: delivery.eventId,
        type: delivery.type,
        status: delivery.status,
        attempts: delivery.attempts,
        lastStatus: delivery.lastStatus,
        lastError: delivery.lastError,
        nextAttemptAt: delivery.nextAttemptAt,
        createdAt: delivery.createdAt,
        deliveredAt: delivery.deliveredAt,
        log: attempts
          .filter((attempt) => attempt.deliveryId === delivery._id)
          .map((attempt) => ({ attempt: attempt.attempt, at: attempt.at, status: attempt.status, error: attempt.error })),
      })),
    });
  });
  return router;
}

/** The request schemas of these routes: the OpenAPI document is derived from them (headless/openapi.ts). */
export const outboundRequests = { endpoint: endpointBody, deliveries: deliveriesQuery };

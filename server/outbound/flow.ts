import { Types } from 'mongoose';
import express, { Router, type Request } from 'express';
import { z } from 'zod';
import type { AppContext } from '../platform/context.js';
import { awardBadgeByHand, engagementSettingsOf } from '../engagement/index.js';
import { applyEntry, ledgerKeys } from '../ledger/index.js';
import { loadProgram } from '../program/index.js';
import { isInstalled } from '../shops/index.js';
import { FLOW_TRIGGER_HANDLES, validSignature } from './events.js';
import { flowTriggerUseModel } from './store.js';

/** Flow names a trigger by its id or title in lifecycle callbacks; both map to the trigger's handle. */
const TRIGGER_NAMES: Record<string, string> = {
  'Points earned': FLOW_TRIGGER_HANDLES['points.earned'],
  'Points redeemed': FLOW_TRIGGER_HANDLES['points.redeemed'],
  'Loyalty tier changed': FLOW_TRIGGER_HANDLES['tier.changed'],
  'Points expiring soon': FLOW_TRIGGER_HANDLES['points.expiring'],
  'Loyalty offer issued': FLOW_TRIGGER_HANDLES['offer.issued'],
};
const HANDLES = new Set(Object.values(FLOW_TRIGGER_HANDLES));

const actionBody = z.object({
  shopify_domain: z.string(),
  action_run_id: z.string().min(1),
  handle: z.string().optional(),
  properties: z.record(z.string(), z.unknown()),
});

const lifecycleBody = z.object({
  flow_trigger_definition_id: z.string(),
  has_enabled_flow: z.boolean(),
  shopify_domain: z.string(),
  timestamp: z.string(),
});

const customerIdOf = (value: unknown): string | null => {
  const text = typeof value === 'number' ? String(value) : typeof value === 'string' ? value : '';
  return /^(?:gid:\/\/shopify\/Customer\/)?(\d+)$/.exec(text)?.[1] ?? null;
};

type Verified<T> = { ok: true; body: T } | { ok: false; status: number; message: string };

/** Shopify signs Flow requests as it signs webhooks: base64 HMAC-SHA256 of the raw body under the app's secret. */
function verify<T>(ctx: AppContext, req: Request, schema: z.ZodType<T>): Verified<T> {
  const raw = Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0);
  if (!validSignature(ctx.config.shopifyApiSecret, raw, req.get('x-shopify-hmac-sha256') ?? undefined))
    return { ok: false, status: 401, message: 'invalid HMAC' };
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw.toString('utf8'));
  } catch {
    return { ok: false, status: 400, message: 'the body is not JSON' };
  }
  const body = schema.safeParse(parsed);
  return body.success
    ? { ok: true, body: body.data }
    : { ok: false, status: 400, message: body.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`).join('; ') };
}

/**
 * Shopify Flow calls: the actions "Adjust loyalty points" and "Award a loyalty badge" (each run once
 * per action_run_id, since Flow retries with the same id), and the trigger lifecycle callback that
 * says whether a shop has a workflow using one of our triggers. Flow reads 200 as done, 4xx as a
 * failure it does not retry, 5xx as one it retries.
 */
export function flowRouter(ctx: AppContext): Router {
  const router = Router();
  const raw = express.raw({ type: () => true, limit: '256kb' });

  router.post('/flow/actions/adjust-points', raw, async (req, res) => {
    const verified = verify(ctx, req, actionBody);
    if (!verified.ok) return void res.status(verified.status).json({ error: verified.message });
    const { shopify_domain: shop, action_run_id: runId, properties } = verified.body;
    if (!(await isInstalled(ctx.connection, shop))) return void res.status(404).json({ error: 'the app is not installed in this shop' });
    const customerId = customerIdOf(properties.customer_id);
    const points = Number(properties.points);
    const reason = typeof properties.reason === 'string' && properties.reason.trim() !== '' ? properties.reason.trim().slice(0, 200) : 'Shopify Flow';
    if (!customerId || !Number.isSafeInteger(points) || points === 0)
      return void res.status(422).json({ error: 'customer_id and a whole, non-zero points are required' });
    const applied = await applyEntry(
      ctx.connection,
      {
        shop,
        customerId,
        key: ledgerKeys.staffAdjustment(customerId, `flow-${runId}`),
        type: 'adjust',
        available: points,
        pending: 0,
        reason: `${reason} (Shopify Flow)`,
        source: 'flow',
        staffId: `flow:${runId}`,
        guard: points < 0 ? 'require' : 'none',
      },
      ctx.clock(),
    );
    if (applied.rejected) return void res.status(422).json({ error: 'the customer has fewer points than the action takes' });
    res.status(200).json({ return_value: { balance: applied.entry?.balance ?? 0 } });
  });

  router.post('/flow/actions/award-badge', raw, async (req, res) => {
    const verified = verify(ctx, req, actionBody);
    if (!verified.ok) return void res.status(verified.status).json({ error: verified.message });
    const { shopify_domain: shop, properties } = verified.body;
    const program = (await isInstalled(ctx.connection, shop)) ? await loadProgram(ctx.connection, shop) : null;
    if (!program) return void res.status(404).json({ error: 'the app is not installed in this shop' });
    const customerId = customerIdOf(properties.customer_id);
    const wanted = String(properties.badge ?? '')
      .trim()
      .toLowerCase();
    const badge = engagementSettingsOf(program).badges.find(
      (candidate) => candidate.id.toLowerCase() === wanted || candidate.name.toLowerCase() === wanted,
    );
    if (!customerId || !badge) return void res.status(422).json({ error: `customer_id and a badge of the program (by id or name) are required` });
    await awardBadgeByHand(ctx, program, shop, customerId, badge.id, ctx.clock(), 'Shopify Flow');
    res.status(200).json({ return_value: { badge: badge.id } });
  });

  router.post('/flow/lifecycle', raw, async (req, res) => {
    const verified = verify(ctx, req, lifecycleBody);
    if (!verified.ok) return void res.status(verified.status).json({ error: verified.message });
    const { flow_trigger_definition_id: trigger, has_enabled_flow: enabled, shopify_domain: shop, timestamp } = verified.body;
    const handle = HANDLES.has(trigger) ? trigger : TRIGGER_NAMES[trigger];
    const at = new Date(timestamp);
    if (!handle || Number.isNaN(at.getTime())) return void res.status(200).json({ ignored: true });
    await flowTriggerUseModel(ctx.connection).create({ _id: new Types.ObjectId(), shop, handle, enabled, timestamp: at });
    res.status(200).json({ handle, enabled });
  });
  return router;
}

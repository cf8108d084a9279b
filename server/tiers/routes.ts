import { Router, type Request, type Response } from 'express';
import { z } from 'zod';
import type { AppContext } from '../platform/context.js';
import { apiLocals } from '../platform/api-locals.js';
import { loadProgram, membershipSchema, tierRulesSchema, tiersSchema } from '../program/index.js';
import { previewTiers } from './preview.js';
import { tierSettingsOf, type TierSettings } from './rules.js';
import { changesOf } from './store.js';
import { shopperTierView } from './view.js';
import { jsonBody } from '../platform/http-app.js';

const draftSchema = z.object({ tiers: tiersSchema, tierRules: tierRulesSchema, membership: membershipSchema.optional() });
/** The request schemas of these routes: the OpenAPI document is derived from them (headless/openapi.ts). */
export const tiersRequests = { draft: draftSchema };
const customerId = z.string().regex(/^\d{1,20}$/, 'a Shopify customer id (digits)');

function fieldErrors(error: z.ZodError): Record<string, string> {
  const errors: Record<string, string> = {};
  for (const issue of error.issues) errors[issue.path.map(String).join('.') || '(draft)'] ??= issue.message;
  return errors;
}

/** The draft from a POST body, or from `?draft=<JSON>` on a GET. */
function draftInput(req: Request): unknown {
  if (req.method === 'POST') return req.body;
  const text = typeof req.query.draft === 'string' ? req.query.draft : '';
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

/** /api/tiers: the admin's preview of a tier draft over the shop's customers, and a customer's tier history. */
export function tiersRouter(ctx: AppContext): Router {
  const router = Router();

  const preview = async (req: Request, res: Response) => {
    const { shop } = apiLocals(res);
    const program = await loadProgram(ctx.connection, shop);
    if (!program) {
      res.status(404).json({ error: 'not_found', message: 'This shop has no program yet' });
      return;
    }
    const parsed = draftSchema.safeParse(draftInput(req));
    if (!parsed.success) {
      res.status(422).json({ error: 'invalid_draft', errors: fieldErrors(parsed.error) });
      return;
    }
    const current = tierSettingsOf(program);
    const draft: TierSettings = {
      tiers: [...parsed.data.tiers].sort((a, b) => a.threshold - b.threshold),
      rules: parsed.data.tierRules,
      membership: parsed.data.membership ?? current.membership,
    };
    res.json(await previewTiers(ctx, shop, current, draft, ctx.clock()));
  };
  router.get('/tiers/preview', preview);
  router.post('/tiers/preview', jsonBody('100kb'), preview);

  router.get('/tiers/customers/:customerId', async (req, res) => {
    const { shop } = apiLocals(res);
    const id = customerId.safeParse(req.params.customerId);
    if (!id.success) {
      res.status(422).json({ error: 'invalid_request', errors: { customerId: id.error.issues[0]?.message } });
      return;
    }
    const program = await loadProgram(ctx.connection, shop);
    if (!program) {
      res.status(404).json({ error: 'not_found', message: 'This shop has no program yet' });
      return;
    }
    const [view, changes] = await Promise.all([shopperTierView(ctx, program, shop, id.data, ctx.clock()), changesOf(ctx.connection, shop, id.data)]);
    res.json({
      customerId: id.data,
      ...view,
      changes: changes.map((change) => ({
        key: change.key,
        seq: change.seq,
        from: change.fromTierId,
        fromName: change.fromName,
        to: change.toTierId,
        toName: change.toName,
        direction: change.direction,
        reason: change.reason,
        at: change.at,
      })),
    });
  });
  return router;
}

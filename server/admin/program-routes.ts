import { Router } from 'express';
import type { AppContext } from '../platform/context.js';
import { loadProgram, saveProgram, validateProgram } from '../program/index.js';
import { tryPublishProgram } from '../storefront/index.js';
import { apiLocals } from '../platform/api-locals.js';
import { jsonBody } from '../platform/http-app.js';

/** GET/PUT /api/program: the shop's program; a change is validated whole and versioned. */
export function programRouter(ctx: AppContext): Router {
  const router = Router();
  router.get('/program', async (_req, res) => {
    const program = await loadProgram(ctx.connection, apiLocals(res).shop);
    if (!program) {
      res.status(404).json({ error: 'not_found', message: 'This shop has no program yet' });
      return;
    }
    res.json(program);
  });

  router.put('/program', jsonBody('200kb'), async (req, res) => {
    const { shop, staffId } = apiLocals(res);
    const current = await loadProgram(ctx.connection, shop);
    if (!current) {
      res.status(404).json({ error: 'not_found', message: 'This shop has no program yet' });
      return;
    }
    const body: unknown = req.body;
    const given = typeof body === 'object' && body !== null ? (body as Record<string, unknown>) : {};
    // The version travels with the program so a stale editor cannot overwrite a newer save.
    const expectedVersion = given.version === undefined ? current.version : given.version;
    const validation = validateProgram({ ...given, version: expectedVersion, currency: current.currency });
    if (!validation.ok) {
      res.status(422).json({ error: 'invalid_program', errors: validation.errors });
      return;
    }
    const saved = await saveProgram(ctx.connection, shop, validation.program, validation.program.version, staffId, ctx.clock());
    if (!saved.saved) {
      res.status(409).json({ error: 'stale_program', message: 'The program was changed by someone else; reload it and apply your change again' });
      return;
    }
    await tryPublishProgram(ctx, shop, saved.program);
    res.json(saved.program);
  });
  return router;
}

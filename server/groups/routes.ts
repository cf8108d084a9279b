import express, { Router, type Response } from 'express';
import { z } from 'zod';
import { apiLocals } from '../platform/api-locals.js';
import type { AppContext } from '../platform/context.js';
import { fieldErrors } from '../platform/field-errors.js';
import { createGroup, createInvite, GroupRefused, joinGroup, leaveGroup, membershipOf, type GroupRefusalCode } from './membership.js';
import { groupReport } from './report.js';

const STATUS_OF: Record<GroupRefusalCode, number> = { already_grouped: 409, not_grouped: 404, unknown_invite: 404 };

const groupBody = z.object({ name: z.string().trim().min(1, 'Give the group a name').max(80, 'At most 80 characters') });
const joinBody = z.object({ code: z.string().trim().min(1, 'Paste the invite code').max(200) });

function refuse(res: Response, error: unknown): void {
  if (!(error instanceof GroupRefused)) throw error;
  res.status(STATUS_OF[error.code]).json({ error: error.code, message: error.message });
}

/** /api/group: the shop's program group, invites, joining and leaving (session token). */
export function groupsRouter(ctx: AppContext): Router {
  const router = Router();

  router.get('/group', async (_req, res) => {
    const membership = await membershipOf(ctx, apiLocals(res).shop, true);
    res.json({ group: membership ? await groupReport(ctx, membership) : null });
  });

  router.post('/group', express.json({ limit: '4kb' }), async (req, res) => {
    const body = groupBody.safeParse(req.body);
    if (!body.success) {
      res.status(422).json({ error: 'invalid_group', message: 'The group is invalid', errors: fieldErrors(body.error) });
      return;
    }
    try {
      const membership = await createGroup(ctx, apiLocals(res).shop, body.data.name, ctx.clock());
      res.status(201).json({ group: await groupReport(ctx, membership) });
    } catch (error) {
      refuse(res, error);
    }
  });

  router.post('/group/invites', async (_req, res) => {
    try {
      res.status(201).json(await createInvite(ctx, apiLocals(res).shop, ctx.clock()));
    } catch (error) {
      refuse(res, error);
    }
  });

  router.post('/group/join', express.json({ limit: '4kb' }), async (req, res) => {
    const body = joinBody.safeParse(req.body);
    if (!body.success) {
      res.status(422).json({ error: 'invalid_invite', message: 'The invite code is missing', errors: fieldErrors(body.error) });
      return;
    }
    try {
      const membership = await joinGroup(ctx, apiLocals(res).shop, body.data.code, ctx.clock());
      res.json({ group: await groupReport(ctx, membership) });
    } catch (error) {
      refuse(res, error);
    }
  });

  router.delete('/group/membership', async (_req, res) => {
    try {
      await leaveGroup(ctx, apiLocals(res).shop);
      res.status(204).end();
    } catch (error) {
      refuse(res, error);
    }
  });
  return router;
}

/** The request schemas of these routes: the OpenAPI document is derived from them (headless/openapi.ts). */
export const groupRequests = { create: groupBody, join: joinBody };

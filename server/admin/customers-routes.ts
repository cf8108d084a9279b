import { Router } from 'express';
import { z } from 'zod';
import type { AppContext } from '../platform/context.js';
import { findProfile, searchCustomers } from '../customers/index.js';
import { applyEntry, balanceOf, customerLedgerPage, ledgerKeys } from '../ledger/index.js';
import { redemptionView } from '../redemption/index.js';
import { customerRedemptions } from '../redemption/index.js';
import { apiLocals } from '../platform/api-locals.js';
import { fieldErrors } from '../platform/field-errors.js';
import { redeemAndRespond } from '../redemption/index.js';
import { bearerToken, rememberStaff, staffNames } from '../shops/index.js';
import { jsonBody } from '../platform/http-app.js';

const customerId = z.string().regex(/^\d{1,20}$/, 'a Shopify customer id (digits)');
const adjustment = z.object({
  points: z
    .number()
    .int('must be a whole number')
    .refine((points) => points !== 0, 'must not be zero')
    .min(-10_000_000, 'is too large')
    .max(10_000_000, 'is too large'),
  // A pattern the document carries: some visible text and no NUL (the database refuses it: it was a 500).
  reason: z
    .string()
    .regex(/^[^\u0000]*[^\s\u0000][^\u0000]*$/, 'is required, without NUL')
    .trim()
    .max(500),
  requestKey: z
    .string()
    .regex(/^[\w-]{8,64}$/)
    .optional(),
});
// A NUL cannot reach the database's text search (FerretDB on PostgreSQL answers it with an error).
const search = z.object({
  query: z
    .string()
    .max(200)
    .regex(/^[^\u0000]*$/, 'must not contain NUL')
    .default(''),
  limit: z.coerce.number().int().min(1).max(100).default(25),
});
const page = z.object({
  limit: z.coerce.number().int().min(1).max(200).default(50),
  before: z.coerce.number().int().positive().optional(),
  type: z
    .enum(['earn', 'bonus', 'reverse', 'release', 'order_edit', 'redeem', 'redeem_refund', 'hold', 'hold_release', 'adjust', 'expire', 'tier'])
    .optional(),
});

/** The longest a read of a growing collection may take in a request (MongoDB; FerretDB ignores it). */
const READ_MAX_MS = 5_000;

/** A customer's points, ledger and manual adjustments, for the admin. */
export function customersRouter(ctx: AppContext): Router {
  const router = Router();

  /** Search by name, email or id: the profile fields Shopify sent, matched case-insensitively as plain text. */
  router.get('/customers', async (req, res) => {
    const { shop } = apiLocals(res);
    const query = search.safeParse(req.query);
    if (!query.success) {
      res.status(422).json({ error: 'invalid_request', errors: fieldErrors(query.error) });
      return;
    }
    const profiles = await searchCustomers(ctx.connection, shop, query.data.query, { limit: query.data.limit, maxTimeMS: READ_MAX_MS });
    const balances = await Promise.all(profiles.map((profile) => balanceOf(ctx.connection, shop, profile.customerId)));
    res.json({
      customers: profiles.map((profile, index) => ({
        customerId: profile.customerId,
        name: profile.name,
        email: profile.email,
        redacted: profile.redacted,
        points: { balance: balances[index]!.available, pending: balances[index]!.pending },
        lifetimeEarned: balances[index]!.lifetimeEarned,
      })),
    });
  });

  router.get('/customers/:customerId', async (req, res) => {
    const { shop } = apiLocals(res);
    const id = customerId.safeParse(req.params.customerId);
    const query = page.safeParse(req.query);
    if (!id.success || !query.success) {
      res.status(422).json({
        error: 'invalid_request',
        errors: { ...(id.success ? {} : { customerId: id.error.issues[0]?.message }), ...(query.success ? {} : fieldErrors(query.error)) },
      });
      return;
    }
    const { limit, before, type } = query.data;
    const [ledger, profile, redemptions] = await Promise.all([
      customerLedgerPage(ctx.connection, shop, id.data, { limit, before, type, maxTimeMS: READ_MAX_MS }),
      findProfile(ctx.connection, shop, id.data),
      customerRedemptions(ctx.connection, shop, id.data),
    ]);
    const staffIds = ledger.entries.flatMap((entry) => (entry.staffId === undefined ? [] : [entry.staffId]));
    const names = staffIds.length > 0 ? await staffNames(ctx.connection, shop, staffIds) : new Map<string, string>();
    // The first page starts with the newest entry, which carries the balances: no second read.
    const newest = ledger.entries[0];
    const balance =
      before !== undefined || type !== undefined
        ? await balanceOf(ctx.connection, shop, id.data)
        : { available: newest?.balance ?? 0, pending: newest?.pendingBalance ?? 0, lifetimeEarned: newest?.lifetimeEarned ?? 0 };
    res.json({
      customerId: id.data,
      profile: profile ? { email: profile.email, firstName: profile.firstName, lastName: profile.lastName, tags: profile.tags } : null,
      points: { balance: balance.available, pending: balance.pending },
      lifetimeEarned: balance.lifetimeEarned,
      ledger: ledger.entries.map((entry) => ({
        key: entry.key,
        type: entry.type,
        seq: entry.seq,
        points: entry.available,
        pending: entry.pending,
        balance: entry.balance,
        shortfall: entry.shortfall,
        reason: entry.reason,
        source: entry.source,
        orderName: entry.orderName ?? null,
        staffId: entry.staffId ?? null,
        staffName: entry.staffId === undefined ? null : (names.get(entry.staffId) ?? null),
        createdAt: entry.createdAt,
      })),
      nextBefore: ledger.nextBefore,
      redemptions: redemptions.map(redemptionView),
    });
  });

  router.post('/customers/:customerId/adjustments', jsonBody('10kb'), async (req, res) => {
    const { shop, staffId } = apiLocals(res);
    const id = customerId.safeParse(req.params.customerId);
    const body = adjustment.safeParse(req.body);
    if (!id.success || !body.success) {
      res.status(422).json({
        error: 'invalid_adjustment',
        errors: { ...(id.success ? {} : { customerId: id.error.issues[0]?.message }), ...(body.success ? {} : fieldErrors(body.error)) },
      });
      return;
    }
    const staffName = await rememberStaff(ctx, shop, staffId, bearerToken(req) ?? '');
    const now = ctx.clock();
    const key = body.data.requestKey
      ? ledgerKeys.staffAdjustment(id.data, body.data.requestKey)
      : ledgerKeys.unkeyedStaffAdjustment(id.data, bearerToken(req) ?? '', body.data.points, body.data.reason);
    await applyEntry(
      ctx.connection,
      {
        shop,
        customerId: id.data,
        key,
        type: 'adjust',
        available: body.data.points,
        pending: 0,
        reason: body.data.reason,
        source: 'admin',
        staffId,
        guard: 'none',
      },
      now,
    );
    const balance = await balanceOf(ctx.connection, shop, id.data);
    res
      .status(201)
      .json({ key, points: body.data.points, reason: body.data.reason, staffId, staffName, balance: balance.available, pending: balance.pending });
  });

  /** Staff issue a reward on a customer's behalf (a goodwill gesture, a phone request): same rules as the storefront. */
  router.post('/customers/:customerId/redemptions', jsonBody('10kb'), async (req, res) => {
    const { shop, staffId } = apiLocals(res);
    const id = customerId.safeParse(req.params.customerId);
    if (!id.success) {
      res.status(422).json({ error: 'invalid_redemption', errors: { customerId: id.error.issues[0]?.message } });
      return;
    }
    await rememberStaff(ctx, shop, staffId, bearerToken(req) ?? '');
    await redeemAndRespond(ctx, res, req.body, { shop, customerId: id.data, source: 'admin', staffId });
  });
  return router;
}

/** The request schemas of these routes: the OpenAPI document is derived from them (headless/openapi.ts). */
export const customerRequests = { adjustment, search, page };

import { Types } from 'mongoose';
import { applyEntry, balanceOf, entryForKey, ledgerKeys } from '../ledger/index.js';
import { deleteOnce, insertOnce } from '../platform/atomic.js';
import type { AppContext } from '../platform/context.js';
import { balancesOf, linkedAccounts } from './accounts.js';
import { groupMoveModel, type GroupMove } from './store.js';

/** A move older than this with its intent still there was cut short by a crash. */
const INTERRUPTED_AFTER_MS = 60_000;

export interface GatherRequest {
  shop: string;
  customerId: string;
  /** The points the redemption or hold here is about to take. */
  points: number;
  /** The redemption's or hold's own id: it names the moves, so a retry moves nothing twice. */
  requestKey: string;
}

/** Where a test stops the world: after a move's debit, before its credit. */
export interface MoveFaults {
  afterDebit?: () => Promise<void>;
}

/** The credit half of a move whose debit landed, for exactly the points the debit took; then the intent goes. */
async function creditMove(ctx: AppContext, move: GroupMove, debited: number, now: Date): Promise<void> {
  await applyEntry(
    ctx.connection,
    {
      shop: move.shop,
      customerId: move.customerId,
      key: ledgerKeys.groupMovedIn(move.fromShop, move.fromCustomerId, move.requestKey),
      type: 'adjust',
      available: debited,
      pending: 0,
      reason: `points from your account at ${move.fromShop}`,
      source: 'group in',
      guard: 'none',
    },
    now,
  );
  await deleteOnce(groupMoveModel(ctx.connection), { _id: move._id });
}

/**
 * Moves points from one linked account into the spending one. No transaction spans the two
 * ledgers: the intent is recorded, then the debit there (only if the balance covers it), then the
 * credit here for what the debit took. A crash after the debit is completed by `completeGroupMoves`.
 */
async function moveOnce(ctx: AppContext, candidate: GroupMove, now: Date, faults: MoveFaults): Promise<number> {
  const moves = groupMoveModel(ctx.connection);
  const move = (await insertOnce(moves, candidate))
    ? candidate
    : ((await moves
        .findOne({ shop: candidate.shop, customerId: candidate.customerId, requestKey: candidate.requestKey, fromShop: candidate.fromShop })
        .lean()) ?? candidate);
  const debit = await applyEntry(
    ctx.connection,
    {
      shop: move.fromShop,
      customerId: move.fromCustomerId,
      key: ledgerKeys.groupMovedOut(move.shop, move.customerId, move.requestKey),
      type: 'adjust',
      available: -move.points,
      pending: 0,
      reason: `points used at ${move.shop}`,
      source: 'group out',
      guard: 'require',
    },
    now,
  );
  if (debit.rejected || !debit.entry) {
    await deleteOnce(moves, { _id: move._id });
    return 0;
  }
  await faults.afterDebit?.();
  const debited = -debit.entry.available;
  await creditMove(ctx, move, debited, now);
  return debited;
}

/**
 * Before a redemption or hold takes `points` here: when the account here holds fewer, moves the
 * difference from the customer's linked accounts in the group, largest first. It moves only what
 * is missing and never more than an account holds; the spending entry's own guard then decides.
 */
export async function gatherPoints(ctx: AppContext, request: GatherRequest, now: Date, faults: MoveFaults = {}): Promise<number> {
  const linked = await linkedAccounts(ctx, request.shop, request.customerId);
  if (linked.length === 0) return 0;
  let missing = request.points - (await balanceOf(ctx.connection, request.shop, request.customerId)).available;
  if (missing <= 0) return 0;
  const givers = (await balancesOf(ctx, linked)).filter((account) => account.available > 0).sort((a, b) => b.available - a.available);
  let moved = 0;
  for (const giver of givers) {
    if (missing <= 0) break;
    const points = await moveOnce(
      ctx,
      {
        _id: new Types.ObjectId(),
        shop: request.shop,
        customerId: request.customerId,
        fromShop: giver.shop,
        fromCustomerId: giver.customerId,
        requestKey: request.requestKey,
        points: Math.min(missing, giver.available),
        createdAt: now,
      },
      now,
      faults,
    );
    missing -= points;
    moved += points;
  }
  return moved;
}

/** Finishes the moves into this shop that a crash cut short: credits those whose debit landed, drops the rest. */
export async function completeGroupMoves(ctx: AppContext, shop: string, now: Date): Promise<number> {
  const moves = groupMoveModel(ctx.connection);
  let completed = 0;
  for (const move of await moves.find({ shop, createdAt: { $lte: new Date(now.getTime() - INTERRUPTED_AFTER_MS) } }).lean()) {
    const debit = await entryForKey(ctx.connection, move.fromShop, ledgerKeys.groupMovedOut(move.shop, move.customerId, move.requestKey));
    if (debit) {
      await creditMove(ctx, move, -debit.available, now);
      completed++;
    } else await deleteOnce(moves, { _id: move._id });
  }
  return completed;
}

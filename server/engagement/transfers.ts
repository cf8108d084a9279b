import { Types } from 'mongoose';
import { findProfile } from '../customers/index.js';
import { applyEntry, balanceOf, entryForKey, ledgerKeys, newestEntry } from '../ledger/index.js';
import { insertOnce } from '../platform/atomic.js';
import type { AppContext } from '../platform/context.js';
import type { Program } from '../program/index.js';
import { EngagementRefused } from './refusals.js';
import { monthOf, transferRefusal } from './rules.js';
import { engagementSettingsOf } from './settings.js';
import { transferModel, transferSettledModel, type TransferIntent } from './store.js';

export interface TransferRequest {
  shop: string;
  fromCustomerId: string;
  toCustomerId: string;
  points: number;
  requestKey: string;
}

export interface TransferOutcome {
  points: number;
  toCustomerId: string;
  /** The sender's available balance after the transfer. */
  balance: number;
  /** True when this request key had already taken effect (a retry). */
  replayed: boolean;
}

/** Where a test stops the world: after the debit, before the credit (a crash there must be completed later). */
export interface TransferFaults {
  afterDebit?: () => Promise<void>;
}

const REFUSAL_TEXT = {
  transfers_off: 'This shop does not let members send points',
  self_transfer: 'You cannot send points to yourself',
  below_minimum: 'That is fewer points than the shop allows in one transfer',
  above_maximum: 'That is more points than the shop allows in one transfer',
  monthly_limit: 'That would exceed the points you may send this month',
} as const;

async function isCustomerOf(ctx: AppContext, shop: string, customerId: string): Promise<boolean> {
  const profile = await findProfile(ctx.connection, shop, customerId);
  if (profile) return !profile.redactedAt;
  return (await newestEntry(ctx.connection, shop, customerId)) !== null;
}

/** Points the sender has sent this month: the debits that landed, whatever the requests that failed. */
async function sentThisMonth(ctx: AppContext, shop: string, fromCustomerId: string, month: string, except: string): Promise<number> {
  const intents = await transferModel(ctx.connection)
    .find({ shop, fromCustomerId, month, requestKey: { $ne: except } })
    .lean<TransferIntent[]>();
  const debits = await Promise.all(
    intents.map((intent) => entryForKey(ctx.connection, shop, ledgerKeys.transferSent(fromCustomerId, intent.requestKey))),
  );
  return debits.reduce((sum, debit) => sum - (debit?.available ?? 0), 0);
}

async function recordIntent(ctx: AppContext, request: TransferRequest, now: Date): Promise<TransferIntent> {
  const found = () =>
    transferModel(ctx.connection)
      .findOne({ shop: request.shop, fromCustomerId: request.fromCustomerId, requestKey: request.requestKey })
      .lean<TransferIntent>();
  const candidate: TransferIntent = { _id: new Types.ObjectId(), ...request, month: monthOf(now), createdAt: now };
  const intent = (await insertOnce(transferModel(ctx.connection), candidate)) ? candidate : await found();
  if (!intent) throw new Error(`transfer ${request.requestKey} vanished`);
  return intent;
}

function sameTransfer(intent: TransferIntent, request: TransferRequest): boolean {
  return intent.toCustomerId === request.toCustomerId && intent.points === request.points;
}

/** The credit half of a recorded transfer whose debit landed; idempotent by its own key. */
async function creditReceiver(ctx: AppContext, intent: TransferIntent, now: Date): Promise<void> {
  await applyEntry(
    ctx.connection,
    {
      shop: intent.shop,
      customerId: intent.toCustomerId,
      key: ledgerKeys.transferReceived(intent.fromCustomerId, intent.requestKey),
      type: 'adjust',
      available: intent.points,
      pending: 0,
      reason: `points from customer ${intent.fromCustomerId}`,
      source: 'transfer',
      guard: 'none',
    },
    now,
  );
  await insertOnce(transferSettledModel(ctx.connection), {
    shop: intent.shop,
    fromCustomerId: intent.fromCustomerId,
    requestKey: intent.requestKey,
    settledAt: now,
  });
}

/**
 * Sends points to another customer of the shop, once per request key. No transaction spans the
 * two ledgers, so the order of writes carries the guarantee: the intent is recorded, then the
 * sender's debit (guarded by the balance, keyed by the request), then the receiver's credit under
 * a key of its own derived from the same request. A crash after the debit is completed by the same
 * request sent again or by `completeTransfers`; a credit is only ever written after its debit.
 */
export async function transferPoints(
  ctx: AppContext,
  program: Program,
  request: TransferRequest,
  now: Date,
  faults: TransferFaults = {},
): Promise<TransferOutcome> {
  const settings = engagementSettingsOf(program).transfers;
  const existing = await transferModel(ctx.connection)
    .findOne({ shop: request.shop, fromCustomerId: request.fromCustomerId, requestKey: request.requestKey })
    .lean<TransferIntent>();
  if (existing && !sameTransfer(existing, request))
    throw new EngagementRefused('request_key_reused', 'This request key was used for another transfer');
  if (!existing) {
    const sent = await sentThisMonth(ctx, request.shop, request.fromCustomerId, monthOf(now), request.requestKey);
    const refusal = transferRefusal(settings, { ...request, sentThisMonth: sent });
    if (refusal) throw new EngagementRefused(refusal, REFUSAL_TEXT[refusal]);
    if (!(await isCustomerOf(ctx, request.shop, request.toCustomerId)))
      throw new EngagementRefused('unknown_customer', 'There is no such customer in this shop');
  }
  const intent = existing ?? (await recordIntent(ctx, request, now));
  if (!sameTransfer(intent, request)) throw new EngagementRefused('request_key_reused', 'This request key was used for another transfer');
  const debit = await applyEntry(
    ctx.connection,
    {
      shop: request.shop,
      customerId: request.fromCustomerId,
      key: ledgerKeys.transferSent(request.fromCustomerId, request.requestKey),
      type: 'adjust',
      available: -intent.points,
      pending: 0,
      reason: `points sent to customer ${intent.toCustomerId}`,
      source: 'transfer',
      guard: 'require',
    },
    now,
  );
  if (debit.rejected) throw new EngagementRefused('insufficient_points', 'Not enough points for this transfer');
  await faults.afterDebit?.();
  await creditReceiver(ctx, intent, now);
  const balance = await balanceOf(ctx.connection, request.shop, request.fromCustomerId);
  return { points: intent.points, toCustomerId: intent.toCustomerId, balance: balance.available, replayed: !debit.appliedNow };
}

const LOOKBACK_MS = 30 * 86_400_000;
/** Requests this young may still be completing on their own. */
const GRACE_MS = 60_000;

/**
 * The reconciliation: every recent transfer whose debit landed and whose completion was not noted
 * gets its credit (idempotent by key). Transfers never debited are left alone: only a request may debit.
 */
export async function completeTransfers(ctx: AppContext, shop: string, now: Date): Promise<number> {
  const intents = await transferModel(ctx.connection)
    .find({ shop, createdAt: { $gte: new Date(now.getTime() - LOOKBACK_MS), $lte: new Date(now.getTime() - GRACE_MS) } })
    .lean<TransferIntent[]>();
  if (intents.length === 0) return 0;
  const settled = await transferSettledModel(ctx.connection)
    .find({ shop, requestKey: { $in: intents.map((intent) => intent.requestKey) } })
    .lean();
  const done = new Set(settled.map((entry) => `${entry.fromCustomerId}|${entry.requestKey}`));
  let completed = 0;
  for (const intent of intents) {
    if (done.has(`${intent.fromCustomerId}|${intent.requestKey}`)) continue;
    if (!(await entryForKey(ctx.connection, shop, ledgerKeys.transferSent(intent.fromCustomerId, intent.requestKey)))) continue;
    const credited = await entryForKey(ctx.connection, shop, ledgerKeys.transferReceived(intent.fromCustomerId, intent.requestKey));
    await creditReceiver(ctx, intent, now);
    if (!credited) completed++;
  }
  return completed;
}

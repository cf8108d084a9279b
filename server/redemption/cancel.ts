import type { AppContext } from '../platform/context.js';
import { balanceOf, ledgerKeys } from '../ledger/index.js';
import { ShopifyApiError } from '../shopify/admin-graphql.js';
import { DISCOUNT_CODE_DEACTIVATE, type DiscountCodeDeactivateData } from '../shopify/operations.js';
import { adminClientFor } from '../shops/index.js';
import { returnPoints } from './service.js';
import { decideOutcome, findRedemption, settleRedemption, type Redemption } from './store.js';

export type CancelRefusalCode = 'unknown_redemption' | 'not_cancellable' | 'redemption_used';

/** A reward that cannot be given back; nothing was returned. */
export class RedemptionNotCancelled extends Error {
  override readonly name = 'RedemptionNotCancelled';
  constructor(
    readonly code: CancelRefusalCode,
    message: string,
  ) {
    super(message);
  }
}

export interface CancelRequest {
  shop: string;
  customerId: string;
  redemptionId: string;
  /** Only redemptions from this surface may be given back through it (the register gives back its own). */
  source: Redemption['source'];
  staffId?: string;
}

/**
 * Stops the code working on Shopify. A failure is logged, not fatal: the outcome already says
 * "cancelled", so an order that uses the code after all pays its points again (markCodesUsed).
 */
async function deactivateCode(ctx: AppContext, redemption: Redemption): Promise<void> {
  if (!redemption.discountId) return;
  try {
    const data = await adminClientFor(ctx)<DiscountCodeDeactivateData>(redemption.shop, DISCOUNT_CODE_DEACTIVATE, { id: redemption.discountId });
    const errors = data.discountCodeDeactivate.userErrors;
    if (errors.length > 0)
      ctx.logger.warn({ shop: redemption.shop, code: redemption.code, errors }, 'Shopify refused to deactivate a cancelled reward code');
  } catch (error) {
    if (!(error instanceof ShopifyApiError)) throw error;
    ctx.logger.warn({ shop: redemption.shop, code: redemption.code, err: error }, 'a cancelled reward code could not be deactivated');
  }
}

/**
 * Gives a reward back before any order used it (staff removed it from the sale): the outcome
 * "cancelled" is decided once against "used" and "expired" (a unique insert), the code is
 * deactivated on Shopify and the points come back under their own key. Idempotent: a repeated
 * request finds the outcome and completes what is left. A reward of another customer, one that
 * came from another surface, or one an order already used is refused with nothing returned.
 */
export async function cancelRedemption(
  ctx: AppContext,
  request: CancelRequest,
): Promise<{ redemption: Redemption; balance: number; returnedNow: boolean }> {
  const now = ctx.clock();
  const redemption = await findRedemption(ctx.connection, request.shop, request.redemptionId);
  if (!redemption?.code || redemption.customerId !== request.customerId)
    throw new RedemptionNotCancelled('unknown_redemption', 'This customer has no such reward');
  if (redemption.source !== request.source || !['issued', 'cancelled'].includes(redemption.status))
    throw new RedemptionNotCancelled('not_cancellable', `${redemption.code} cannot be given back here (it is ${redemption.status})`);
  const outcome = await decideOutcome(ctx.connection, redemption, 'cancelled', null, now);
  if (outcome.outcome === 'used')
    throw new RedemptionNotCancelled('redemption_used', `${redemption.code} was already used by an order; its points stay spent`);
  if (outcome.outcome === 'expired') throw new RedemptionNotCancelled('not_cancellable', `${redemption.code} has expired`);
  await deactivateCode(ctx, redemption);
  await settleRedemption(ctx.connection, redemption, { status: 'cancelled', settledAt: now });
  const returned = await returnPoints(
    ctx,
    redemption,
    ledgerKeys.rewardCancelled(redemption.redemptionId),
    `${redemption.rewardName} given back before payment`,
    now,
    request.staffId,
  );
  const balance = await balanceOf(ctx.connection, request.shop, request.customerId);
  return { redemption: { ...redemption, status: 'cancelled', settledAt: now }, balance: balance.available, returnedNow: returned.appliedNow };
}

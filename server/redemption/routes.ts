import type { Response } from 'express';
import { z } from 'zod';
import type { AppContext } from '../platform/context.js';
import { fieldErrors } from '../platform/field-errors.js';
import { RedemptionRefused, redeem, redemptionView, type RedeemRequest, type RefusalCode } from './service.js';

/** The body every redemption surface accepts (storefront, checkout, admin). */
export const redemptionBody = z.object({
  rewardId: z
    .string()
    .trim()
    .min(1, 'is required')
    .max(64)
    .regex(/^[\w-]+$/, 'is not a reward id'),
  steps: z.number().int('must be a whole number').min(1).max(1000).optional(),
  requestKey: z
    .string()
    .regex(/^[\w-]{8,64}$/, 'must be 8-64 letters, digits, - or _')
    .optional(),
});

/** Unknown → 404; not possible as asked → 422; not enough points → 409. */
const REFUSAL_STATUS: Record<RefusalCode, 404 | 409 | 422> = {
  unknown_reward: 404,
  reward_disabled: 422,
  program_disabled: 422,
  invalid_steps: 422,
  insufficient_points: 409,
};

/**
 * Redeems and answers: 201 with the code (also when the same request key is sent again);
 * 404/409/422 when refused with nothing debited; 502 when Shopify failed and the points came back.
 */
export async function redeemAndRespond(
  ctx: AppContext,
  res: Response,
  body: unknown,
  request: Omit<RedeemRequest, 'rewardId' | 'steps' | 'requestKey'>,
): Promise<void> {
  const parsed = redemptionBody.safeParse(body);
  if (!parsed.success) {
    res.status(422).json({ error: 'invalid_redemption', message: 'The redemption request is invalid', errors: fieldErrors(parsed.error) });
    return;
  }
  try {
    const result = await redeem(ctx, { ...request, ...parsed.data });
    const view = redemptionView(result.redemption);
    const body = { ...view, balance: result.balance, replayed: result.replayed };
    if (result.redemption.status === 'refunded') {
      res.status(502).json({ error: 'shopify_unavailable', message: 'Shopify could not create the reward; your points were returned', ...body });
      return;
    }
    res.status(201).json(body);
  } catch (error) {
    if (!(error instanceof RedemptionRefused)) throw error;
    res.status(REFUSAL_STATUS[error.code]).json({ error: error.code, message: error.message });
  }
}

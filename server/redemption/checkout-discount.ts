import { abandonEffect, claimEffect, completeEffect } from '../platform/atomic.js';
import type { AppContext } from '../platform/context.js';
import { adminClientFor } from '../shops/index.js';
import { DISCOUNT_AUTOMATIC_APP_CREATE, type DiscountAutomaticAppCreateData } from '../shopify/operations.js';
import { redemptionEffectModel } from './store.js';

/** The Discount Function's handle (extensions/tally-discount/shopify.extension.toml). */
export const CHECKOUT_FUNCTION_HANDLE = 'tally-discount';

/**
 * Shopify runs a Discount Function only under a discount that names it: at install the shop gets
 * one automatic app discount (order class) for checkout points holds, created once (claimed under
 * the shop's key before the call). Best effort: a failure is logged and the next install retries.
 */
export async function ensureCheckoutDiscount(ctx: AppContext, shop: string, now: Date): Promise<void> {
  const effects = redemptionEffectModel(ctx.connection);
  const claim = await claimEffect(effects, { shop, key: 'checkout-discount', intent: { functionHandle: CHECKOUT_FUNCTION_HANDLE }, now });
  if (!claim) return;
  try {
    const data = await adminClientFor(ctx)<DiscountAutomaticAppCreateData>(shop, DISCOUNT_AUTOMATIC_APP_CREATE, {
      automaticAppDiscount: {
        title: 'Loyalty points at checkout',
        functionHandle: CHECKOUT_FUNCTION_HANDLE,
        discountClasses: ['ORDER'],
        startsAt: now.toISOString(),
        combinesWith: { orderDiscounts: false, productDiscounts: true, shippingDiscounts: true },
      },
    });
    const created = data.discountAutomaticAppCreate;
    if (created.userErrors.length > 0 || !created.automaticAppDiscount) {
      await abandonEffect(effects, claim);
      ctx.logger.warn({ shop, errors: created.userErrors }, 'could not create the checkout points discount');
      return;
    }
    await completeEffect(effects, claim, ctx.clock(), { discountId: created.automaticAppDiscount.discountId });
  } catch (error) {
    await abandonEffect(effects, claim);
    ctx.logger.warn({ shop, err: error }, 'could not create the checkout points discount; the next install tries again');
  }
}

import { findHold, mayStillBeLive, pointsNameOf } from './holds.js';
import { convertMinorUnits, exactMinorUnits, flooredMinorUnits, formatMinorUnits } from './money.js';
import type { CartInput, CartLine, CartLinesDiscountsGenerateRunResult } from './types.js';

export type { CartInput, CartLinesDiscountsGenerateRunResult } from './types.js';

const NO_DISCOUNT: CartLinesDiscountsGenerateRunResult = { operations: [] };

function isGiftCard(line: CartLine): boolean {
  return line.merchandise.__typename === 'ProductVariant' ? line.merchandise.product.isGiftCard : line.merchandise.isGiftCard;
}

/**
 * Redeems a points hold at checkout: when the cart attribute `_tally_hold` names a hold in the
 * buyer's holds metafield that may still be live, one order-subtotal discount of the hold's worth,
 * in the cart's currency and no more than the eligible subtotal (gift cards take no discount).
 * Anything else (a guest, no attribute, an unknown or expired hold, a malformed metafield, a
 * discount without the order class) gives no operations.
 */
export function cartLinesDiscountsGenerateRun(input: CartInput): CartLinesDiscountsGenerateRunResult {
  if (!input.discount.discountClasses.includes('ORDER')) return NO_DISCOUNT;
  const holdId = input.cart.holdAttribute?.value;
  const metafield = input.cart.buyerIdentity?.customer?.holds;
  if (!holdId || !metafield) return NO_DISCOUNT;

  const hold = findHold(metafield.value, holdId);
  if (!hold || !mayStillBeLive(hold, input.shop.localTime.date)) return NO_DISCOUNT;

  const cartCurrency = input.cart.cost.subtotalAmount.currencyCode;
  const holdMinor = exactMinorUnits(hold.amount, hold.currencyCode);
  if (holdMinor === undefined) return NO_DISCOUNT;
  const worth =
    hold.currencyCode === cartCurrency ? holdMinor : convertMinorUnits(holdMinor, hold.currencyCode, cartCurrency, input.presentmentCurrencyRate);
  if (worth === undefined) return NO_DISCOUNT;

  const excludedCartLineIds: string[] = [];
  let eligibleSubtotal = 0n;
  for (const line of input.cart.lines) {
    const lineSubtotal = flooredMinorUnits(line.cost.subtotalAmount.amount, cartCurrency);
    if (isGiftCard(line) || lineSubtotal === undefined || line.cost.subtotalAmount.currencyCode !== cartCurrency) {
      excludedCartLineIds.push(line.id);
    } else {
      eligibleSubtotal += lineSubtotal;
    }
  }

  const discount = worth < eligibleSubtotal ? worth : eligibleSubtotal;
  if (discount <= 0n) return NO_DISCOUNT;
  return {
    operations: [
      {
        orderDiscountsAdd: {
          selectionStrategy: 'FIRST',
          candidates: [
            {
              message: `${hold.points} ${pointsNameOf(metafield.value)} redeemed`,
              targets: [{ orderSubtotal: { excludedCartLineIds } }],
              value: { fixedAmount: { amount: formatMinorUnits(discount, cartCurrency) } },
            },
          ],
        },
      },
    ],
  };
}

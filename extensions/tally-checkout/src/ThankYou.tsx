/** @jsxImportSource preact */
import '@shopify/ui-extensions/preact';
import type { Api } from '@shopify/ui-extensions/purchase.thank-you.block.render';
import { render } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import { APP_URL, fetchLoyalty, gidNumber, type LoyaltyView } from './loyalty.js';

declare const shopify: Api;

/** The order as the thank-you page reads it: what it earned and, paid with a points hold, what it spent. */
type ThankYouView = LoyaltyView & { order?: (NonNullable<LoyaltyView['order']> & { pointsSpent?: number }) | null };

export default function extension() {
  render(<PointsEarned />, document.body);
}

/** An order paid with points names its hold in the `_tally_hold` cart attribute. */
function usedPoints(): boolean {
  return shopify.attributes.value.some((attribute) => attribute.key === '_tally_hold' && attribute.value !== '');
}

/** Points are credited (and a hold settled) from the orders/paid webhook, usually within a second or two: ask a few times. */
async function viewWithOrder(orderId: string | undefined): Promise<ThankYouView> {
  const settled = (view: ThankYouView) => view.order && (!usedPoints() || (view.order.pointsSpent ?? 0) > 0);
  let view: ThankYouView = await fetchLoyalty(shopify, APP_URL, orderId);
  for (let attempt = 0; attempt < 4 && orderId && !settled(view); attempt++) {
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    view = await fetchLoyalty(shopify, APP_URL, orderId);
  }
  return view;
}

function PointsEarned() {
  const [view, setView] = useState<ThankYouView | null>(null);
  useEffect(() => {
    viewWithOrder(gidNumber(shopify.orderConfirmation.value.order.id)).then(setView, () => setView(null));
  }, []);
  if (!view?.points) return null;
  const name = view.program.pointsName;
  const spent = view.order?.pointsSpent ?? 0;
  return (
    <s-banner tone="success">
      {spent > 0 ? `You used ${spent} ${name} on this order. ` : ''}
      {view.order
        ? `You earned ${view.order.points} ${name}${view.order.pending ? ' (pending)' : ''} with this order. `
        : `Your ${name} for this order are on their way. `}
      {`Your balance: ${view.points.balance} ${name}.`}
    </s-banner>
  );
}

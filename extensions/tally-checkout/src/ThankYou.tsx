/** @jsxImportSource preact */
import '@shopify/ui-extensions/preact';
import type { Api } from '@shopify/ui-extensions/purchase.thank-you.block.render';
import { render } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import { APP_URL, fetchLoyalty, gidNumber, type LoyaltyView } from './loyalty.js';

declare const shopify: Api;

export default function extension() {
  render(<PointsEarned />, document.body);
}

/** Points are credited from the orders/paid webhook, usually within a second or two: ask a few times. */
async function viewWithOrder(orderId: string | undefined): Promise<LoyaltyView> {
  let view = await fetchLoyalty(shopify, APP_URL, orderId);
  for (let attempt = 0; attempt < 4 && orderId && !view.order; attempt++) {
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    view = await fetchLoyalty(shopify, APP_URL, orderId);
  }
  return view;
}

function PointsEarned() {
  const [view, setView] = useState<LoyaltyView | null>(null);
  useEffect(() => {
    viewWithOrder(gidNumber(shopify.orderConfirmation.value.order.id)).then(setView, () => setView(null));
  }, []);
  if (!view?.points) return null;
  const name = view.program.pointsName;
  return (
    <s-banner tone="success">
      {view.order ? `You earned ${view.order.points} ${name}${view.order.pending ? ' (pending)' : ''} with this order. ` : `Your ${name} for this order are on their way. `}
      {`Your balance: ${view.points.balance} ${name}.`}
    </s-banner>
  );
}

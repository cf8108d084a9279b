import type { Api } from '@shopify/ui-extensions/pos.purchase.post.block.render';
import { h, show } from './elements.js';
import { call, type SessionApi } from './register.js';

declare const shopify: Api;

type Sale =
  | { status: 'credited'; earned: number; pending: boolean; pointsSpent: number; balance: number; notes: string[] }
  | { status: 'guest'; attachableUntil: string | null };

/** After payment: what the sale earned, or how long a guest sale may still be attached. */
export default function extension() {
  const text = h('s-text', null, 'Checking points…');
  document.body.append(h('s-pos-block', { heading: 'Tally loyalty' }, text));
  saleOf(shopify.order.id).then(
    (sale) => show(text, words(sale)),
    () => show(text, 'Tally is unreachable'),
  );
}

/** orders/paid reaches Tally a moment after payment: ask a few times. */
async function saleOf(orderId: number): Promise<Sale | null> {
  for (let attempt = 0; attempt < 5; attempt++) {
    const answer = await call<Sale>(shopify as unknown as SessionApi, `/sales/${orderId}`);
    if (answer.ok) return answer.body;
    if (answer.status !== 404) return null;
    await new Promise((resolve) => setTimeout(resolve, 1_500));
  }
  return null;
}

function words(sale: Sale | null): string {
  if (!sale) return 'Points for this sale are on their way.';
  if (sale.status === 'guest')
    return sale.attachableUntil
      ? `No customer on this sale: attach one from the Tally tile until ${sale.attachableUntil.slice(0, 10)}.`
      : 'No customer on this sale.';
  const spent = sale.pointsSpent > 0 ? `${sale.pointsSpent} points spent. ` : '';
  if (sale.earned === 0) return `${spent}This sale earned no points${sale.notes[0] ? ` (${sale.notes[0]})` : ''}. Balance: ${sale.balance}.`;
  return `${spent}This sale earned ${sale.earned} points${sale.pending ? ' (pending)' : ''}. Balance: ${sale.balance}.`;
}

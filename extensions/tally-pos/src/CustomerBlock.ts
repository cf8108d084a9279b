import type { Api } from '@shopify/ui-extensions/pos.customer-details.block.render';
import { h, show } from './elements.js';
import { call, entryLine, punchLine, refusal, type Card, type SessionApi } from './register.js';

declare const shopify: Api;

/** The customer's details screen: balance, tier, punch card progress, pending points and the last entries. */
export default function extension() {
  const block = h('s-pos-block', { heading: 'Tally loyalty' }, h('s-text', null, 'Loading points…'));
  document.body.append(block);
  call<Card>(shopify as unknown as SessionApi, `/customers/${shopify.customer.id}`).then(
    (answer) => show(block, answer.ok ? points(answer.body) : h('s-text', null, refusal(answer))),
    () => show(block, h('s-text', null, 'Tally is unreachable')),
  );
}

function points(card: Card) {
  const punch = punchLine(card);
  return h(
    's-stack',
    { gap: 'small-200' },
    h('s-text', { type: 'strong' }, `${card.points.balance} ${card.pointsName}`),
    card.tier && h('s-badge', { tone: 'neutral' }, card.tier.name),
    card.nextTier && h('s-text', { color: 'subdued' }, `${card.nextTier.remaining} to ${card.nextTier.name}`),
    punch && h('s-text', null, punch),
    card.points.pending > 0 && h('s-text', { color: 'subdued' }, `${card.points.pending} ${card.pointsName} pending`),
    card.history.slice(0, 3).map((entry) => h('s-text', { color: 'subdued' }, entryLine(entry))),
  );
}

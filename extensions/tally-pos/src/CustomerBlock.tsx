/** @jsxImportSource preact */
import type { Api } from '@shopify/ui-extensions/pos.customer-details.block.render';
import { render } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import { call, entryLine, punchLine, type Card, type SessionApi } from './register.js';

declare const shopify: Api;

export default function extension() {
  render(<CustomerPoints />, document.body);
}

/** The customer's details screen: balance, tier, punch card progress, pending points and the last entries. */
function CustomerPoints() {
  // The card, or what to say until there is one.
  const [card, setCard] = useState<Card | string>('Loading points…');
  useEffect(() => {
    call<Card>(shopify as unknown as SessionApi, `/customers/${shopify.customer.id}`).then(
      (answer) => setCard(answer.ok ? answer.body : (answer.body.message ?? `Tally answered ${answer.status}`)),
      () => setCard('Tally is unreachable'),
    );
  }, []);
  if (typeof card === 'string')
    return (
      <s-pos-block heading="Tally loyalty">
        <s-text>{card}</s-text>
      </s-pos-block>
    );
  const punch = punchLine(card);
  return (
    <s-pos-block heading="Tally loyalty">
      <s-stack gap="small-200">
        <s-text type="strong">{`${card.points.balance} ${card.pointsName}`}</s-text>
        {card.tier && <s-badge tone="neutral">{card.tier.name}</s-badge>}
        {card.nextTier && <s-text color="subdued">{`${card.nextTier.remaining} to ${card.nextTier.name}`}</s-text>}
        {punch && <s-text>{punch}</s-text>}
        {card.points.pending > 0 && <s-text color="subdued">{`${card.points.pending} ${card.pointsName} pending`}</s-text>}
        {card.history.slice(0, 3).map((entry) => (
          <s-text key={entry.createdAt + entry.reason} color="subdued">
            {entryLine(entry)}
          </s-text>
        ))}
      </s-stack>
    </s-pos-block>
  );
}

/** @jsxImportSource preact */
import '@shopify/ui-extensions/preact';
import type { Api } from '@shopify/ui-extensions/customer-account.profile.block.render';
import { render } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import { APP_URL, fetchLoyalty, type LoyaltyView } from '../../tally-checkout/src/loyalty.js';

declare const shopify: Api;

export default function extension() {
  render(<PointsInAccount />, document.body);
}

type HistoryView = LoyaltyView & { history: Array<{ points: number; reason: string; createdAt: string }> };

function PointsInAccount() {
  const [view, setView] = useState<HistoryView | null>(null);
  useEffect(() => {
    fetchLoyalty(shopify, APP_URL).then(
      (loaded) => setView(loaded as HistoryView),
      () => setView(null),
    );
  }, []);
  if (!view?.points) return null;
  const name = view.program.pointsName;
  return (
    <s-section heading="Rewards">
      <s-stack gap="base">
        <s-text>{`${view.points.balance} ${name} available${view.points.pending ? `, ${view.points.pending} pending` : ''}`}</s-text>
        {view.history.map((entry) => (
          <s-text
            key={`${entry.createdAt}-${entry.reason}`}
            color="subdued"
          >{`${entry.points > 0 ? '+' : ''}${entry.points} · ${entry.reason}`}</s-text>
        ))}
        {view.codes.map((code) => (
          <s-text key={code.code ?? code.rewardName}>{`${code.code ?? ''} · ${code.rewardName}`}</s-text>
        ))}
      </s-stack>
    </s-section>
  );
}

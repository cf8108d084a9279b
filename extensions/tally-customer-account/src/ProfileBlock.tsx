/** @jsxImportSource preact */
import '@shopify/ui-extensions/preact';
import type { Api } from '@shopify/ui-extensions/customer-account.profile.block.render';
import { render } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import { APP_URL, fetchLoyalty, type LoyaltyView } from '../../tally-checkout/src/loyalty.js';
import type { EntryDescription } from '../../../server/storefront/view.js';
import { historyText } from './history.js';

declare const shopify: Api;

export default function extension() {
  render(<PointsInAccount />, document.body);
}

type HistoryView = LoyaltyView & { history: Array<{ points: number; description: EntryDescription; createdAt: string }> };

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
  const { translate, formatNumber } = shopify.i18n;
  const balance = { balance: formatNumber(view.points.balance), pending: formatNumber(view.points.pending), name };
  return (
    <s-section heading={translate('heading')}>
      <s-stack gap="base">
        <s-text>{translate(view.points.pending ? 'balancePending' : 'balance', balance)}</s-text>
        {view.history.map((entry, index) => (
          <s-text key={`${entry.createdAt}-${index}`} color="subdued">{`${entry.points > 0 ? '+' : ''}${formatNumber(entry.points)} · ${historyText(
            translate,
            entry.description,
            name,
          )}`}</s-text>
        ))}
        {view.codes.map((code) => (
          <s-text key={code.code ?? code.rewardName}>{translate('code', { code: code.code ?? '', reward: code.rewardName })}</s-text>
        ))}
      </s-stack>
    </s-section>
  );
}

/** @jsxImportSource preact */
import '@shopify/ui-extensions/preact';
import type { Api } from '@shopify/ui-extensions/purchase.checkout.block.render';
import { render } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import {
  APP_URL,
  appliedRewardCode,
  applyHeldCode,
  checkoutRewards,
  fetchLoyalty,
  pointsCostOf,
  redeemAndApply,
  redeemBlockedReason,
  unusedRewardCodes,
  type LoyaltyView,
} from './loyalty.js';

declare const shopify: Api;

export default function extension() {
  render(<RewardsAtCheckout />, document.body);
}

function RewardsAtCheckout() {
  const [view, setView] = useState<LoyaltyView | null>(null);
  const [message, setMessage] = useState<{ tone: 'success' | 'critical'; text: string } | null>(null);
  const [busy, setBusy] = useState<string | null>(null);
  useEffect(() => {
    fetchLoyalty(shopify, APP_URL).then(setView, () => setView(null));
  }, []);
  if (!view?.points) return null;
  const blocked = redeemBlockedReason(shopify);
  // Reward codes do not combine with each other: while one of the shopper's is applied, offer no second redemption.
  const applied = appliedRewardCode(view, shopify);
  const held = unusedRewardCodes(view, shopify);
  const apply = async (code: string) => {
    setBusy(code);
    const outcome = await applyHeldCode(shopify, code);
    setBusy(null);
    setMessage(outcome.ok ? { tone: 'success', text: `${code} applied.` } : { tone: 'critical', text: outcome.message });
  };
  const redeem = async (rewardId: string) => {
    setBusy(rewardId);
    const outcome = await redeemAndApply(
      shopify,
      APP_URL,
      rewardId,
      `checkout-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 10)}`,
    );
    setBusy(null);
    setMessage(
      outcome.ok
        ? { tone: 'success', text: `${outcome.code} applied. ${outcome.balance} ${view.program.pointsName} left.` }
        : { tone: 'critical', text: outcome.message },
    );
    if (outcome.ok) setView({ ...view, points: { ...view.points!, balance: outcome.balance } });
  };
  return (
    <s-stack gap="base">
      <s-heading>{`You have ${view.points.balance} ${view.program.pointsName}`}</s-heading>
      {blocked && <s-banner tone="info">{blocked}</s-banner>}
      {message && <s-banner tone={message.tone}>{message.text}</s-banner>}
      {applied && <s-text>{`Your reward code ${applied} is applied to this order.`}</s-text>}
      {!applied &&
        held.map((code) => (
          <s-stack key={code.code} direction="inline" gap="base" alignItems="center" justifyContent="space-between">
            <s-text>{`${code.rewardName}: ${code.code}, not used yet`}</s-text>
            <s-button disabled={blocked !== null} loading={busy === code.code} onClick={() => void apply(code.code)}>
              Apply
            </s-button>
          </s-stack>
        ))}
      {!applied &&
        checkoutRewards(view).map((reward) => (
          <s-stack key={reward.id} direction="inline" gap="base" alignItems="center" justifyContent="space-between">
            <s-text>{`${reward.name} · ${pointsCostOf(view, reward)} ${view.program.pointsName}`}</s-text>
            <s-button
              disabled={blocked !== null || pointsCostOf(view, reward) > view.points!.balance}
              loading={busy === reward.id}
              onClick={() => void redeem(reward.id)}
            >
              Redeem
            </s-button>
          </s-stack>
        ))}
    </s-stack>
  );
}

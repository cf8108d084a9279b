/** @jsxImportSource preact */
import type { Api } from '@shopify/ui-extensions/pos.home.tile.render';
import { render } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import { balanceLine, call, codesOnCart, watchRemovedRewards, type Card, type CartApi, type CartState, type SessionApi } from './register.js';

declare const shopify: Api;
const register = shopify as unknown as SessionApi & CartApi;

export default function extension() {
  render(<LoyaltyTile />, document.body);
}

/** What the tile's line depends on: the cart's customer and the Tally rewards on the sale (a redemption changes the balance). */
const stateOf = (cart: CartState) => ({ customerId: cart.customer?.id, rewards: codesOnCart(cart).join(' ') });

/** With a customer on the cart: "Ada · 355 points"; without one: an offer to look one up or enrol one. */
function LoyaltyTile() {
  const [{ customerId, rewards }, setState] = useState(stateOf(register.cart.current.value));
  const [line, setLine] = useState<string | null>(null);
  useEffect(() => {
    const unwatch = watchRemovedRewards(register);
    const unsubscribe = register.cart.current.subscribe((cart) => setState(stateOf(cart)));
    return () => {
      unwatch();
      unsubscribe();
    };
  }, []);
  useEffect(() => {
    setLine(null);
    if (customerId === undefined) return;
    call<Card>(register, `/customers/${customerId}`).then(
      (answer) => setLine(answer.ok ? balanceLine(answer.body) : (answer.body.message ?? null)),
      () => setLine('Tally is unreachable'),
    );
  }, [customerId, rewards]);
  return (
    <s-tile
      heading="Tally loyalty"
      subheading={customerId === undefined ? 'Look up or enrol a customer' : (line ?? 'Loading points…')}
      onClick={() => shopify.action.presentModal()}
    />
  );
}

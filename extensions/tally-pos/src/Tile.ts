import type { Api } from '@shopify/ui-extensions/pos.home.tile.render';
import { h, set } from './elements.js';
import { balanceLine, call, codesOnCart, watchRemovedRewards, type Card, type CartApi, type CartState, type SessionApi } from './register.js';

declare const shopify: Api;
const register = shopify as unknown as SessionApi & CartApi;

/** With a customer on the cart: "Ada · 355 points"; without one: an offer to look one up or enrol one. Tapping it opens the modal. */
export default function extension() {
  const tile = h('s-tile', { heading: 'Tally loyalty', onClick: () => shopify.action.presentModal() });
  document.body.append(tile);
  const say = (subheading: string) => set(tile, { subheading });
  // What the line depends on: the cart's customer and the Tally rewards on the sale (a redemption changes the balance).
  let shown: string | undefined;
  const follow = (cart: CartState) => {
    const customerId = cart.customer?.id;
    const state = `${customerId} ${codesOnCart(cart).join(' ')}`;
    if (state === shown) return;
    shown = state;
    if (customerId === undefined) return say('Look up or enrol a customer');
    say('Loading points…');
    call<Card>(register, `/customers/${customerId}`).then(
      (answer) => shown === state && say(answer.ok ? balanceLine(answer.body) : (answer.body.message ?? 'Loading points…')),
      () => shown === state && say('Tally is unreachable'),
    );
  };
  watchRemovedRewards(register);
  follow(register.cart.current.value);
  register.cart.current.subscribe(follow);
}

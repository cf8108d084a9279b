import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { signSessionToken } from '../../devstore/session-token.js';
import {
  APP_URL,
  codesOnCart,
  giveBackFromCart,
  redeemOnCart,
  REWARD_PROPERTY,
  watchRemovedRewards,
  type Card,
  type CartApi,
  type CartState,
  type Reward,
  type SessionApi,
} from '../../extensions/tally-pos/src/register.js';
import { balanceOf } from '../../server/ledger/index.js';
import type { Program } from '../../server/program/index.js';
import { redemptionModel } from '../../server/redemption/store.js';
import { startTestApp, type TestApp } from '../support/app.js';
import { api, deliverAndDrain, devstoreOf, grantPoints, installShop } from '../support/shopify.js';

/**
 * The POS extension's logic with POS's `shopify` global stood in for at its boundary: session
 * tokens signed as POS signs them, the cart API performed by the devstore's register (its own
 * rules for codes and lines), and the real backend behind /pos.
 */
describe('POS extension logic against the real backend and the devstore register’s cart', () => {
  let app: TestApp;
  const shop = 'pos-logic.myshopify.com';
  let nextCustomer = 8_900_001;
  const variantId = 89_011;
  const nativeFetch = globalThis.fetch;

  beforeAll(async () => {
    app = await startTestApp('pos-logic');
    await installShop(app, shop);
    devstoreOf(app).addProduct(shop, { id: 8901, variantId, title: 'Flat white', priceMinor: 450, tags: [], giftCard: false });
    const program = (await (await api(app, shop, '/program')).json()) as Program;
    const freeCoffee = {
      ...program.rewards[0]!,
      id: 'free-coffee',
      name: 'Free flat white',
      type: 'free_product',
      pointsCost: 50,
      variantId: String(variantId),
    };
    await api(app, shop, '/program', { method: 'PUT', body: { ...program, rewards: [freeCoffee, ...program.rewards] } });
    // The bundle calls its deployed URL; here that is the test app.
    vi.stubGlobal('fetch', (input: string | URL, init?: RequestInit) =>
      nativeFetch(typeof input === 'string' && input.startsWith(APP_URL) ? app.url + input.slice(APP_URL.length) : input, init),
    );
  });
  afterAll(async () => {
    vi.unstubAllGlobals();
    await app.close();
  });
  afterEach(() => vi.restoreAllMocks());

  async function customerWith(points: number): Promise<string> {
    const id = nextCustomer++;
    await deliverAndDrain(app, [devstoreOf(app).addCustomer(shop, { id, firstName: 'Ada' })]);
    await grantPoints(app, shop, id, points);
    return String(id);
  }

  /** A register of the devstore, driven through POS's cart API shape; `signedIn` false stands for an account without the app permission. */
  async function register(options: { signedIn?: boolean } = {}): Promise<SessionApi & CartApi & { ops: string[] }> {
    const opened = await nativeFetch(`${app.url}/devstore/shops/${shop}/pos`, { redirect: 'manual' });
    const base = `${app.url}${opened.headers.get('location')}`;
    const listeners = new Set<(cart: CartState) => void>();
    let current = (await (await nativeFetch(`${base}/cart`)).json()) as CartState;
    const ops: string[] = [];
    const operate = async (op: string, ...args: unknown[]) => {
      ops.push(op);
      const response = await nativeFetch(`${base}/cart`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({ op, args }),
      });
      const body = (await response.json()) as { result: unknown; cart: CartState; message?: string };
      if (!response.ok) throw new Error(body.message);
      current = body.cart;
      for (const listener of listeners) listener(current);
      return body.result;
    };
    return {
      ops,
      session: {
        getSessionToken: async () =>
          options.signedIn === false
            ? undefined
            : signSessionToken({ shop, apiKey: app.config.shopifyApiKey, apiSecret: app.config.shopifyApiSecret, userId: '1' }),
        staffMember: { value: { id: 9001 } },
      },
      cart: {
        current: {
          get value() {
            return current;
          },
          subscribe: (listener) => (listeners.add(listener), () => listeners.delete(listener)),
        },
        addCartCodeDiscount: (code) => operate('addCartCodeDiscount', code) as Promise<void>,
        removeCartDiscount: () => operate('removeCartDiscount') as Promise<void>,
        addLineItem: (id, quantity, added) => operate('addLineItem', id, quantity, added) as Promise<string>,
        removeLineItem: (uuid) => operate('removeLineItem', uuid) as Promise<void>,
        setCustomer: (customer) => operate('setCustomer', customer) as Promise<void>,
      },
    };
  }

  const rewardOf = async (pos: SessionApi, customerId: string, id: string): Promise<Reward> => {
    const token = await pos.session.getSessionToken();
    const card = (await (
      await nativeFetch(`${app.url}/pos/customers/${customerId}`, { headers: { Authorization: `Bearer ${token}` } })
    ).json()) as Card;
    return card.rewards.find((reward) => reward.id === id)!;
  };
  const balance = async (customerId: string) => (await balanceOf(app.connection, shop, customerId)).available;

  it('redeems a free coffee onto the cart: its line (marked with the reward) and its code; the points are taken once', async () => {
    const customerId = await customerWith(80);
    const pos = await register();
    await pos.cart.addLineItem(variantId, 1);
    await pos.cart.setCustomer({ id: Number(customerId) });
    const outcome = await redeemOnCart(pos, customerId, await rewardOf(pos, customerId, 'free-coffee'), 'pos-logic-key-1');
    expect(outcome).toMatchObject({ ok: true, balance: 30 });
    const cart = pos.cart.current.value;
    const [code] = codesOnCart(cart);
    expect(code).toMatch(/^TALLY-/);
    expect(cart.lineItems.filter((line) => line.properties[REWARD_PROPERTY] === code)).toHaveLength(1);
    expect(cart.subtotal).toBe('9.00');
    const replay = await redeemOnCart(pos, customerId, await rewardOf(pos, customerId, 'free-coffee'), 'pos-logic-key-1');
    expect(replay).toEqual({ ok: false, message: expect.stringMatching(/already redeemed Free flat white .* nothing more was taken/) });
    expect(pos.cart.current.value.lineItems).toHaveLength(2);
    expect(await balance(customerId)).toBe(30);
  });

  it('a cart that refuses the code gets the reward given back at once: the added line removed, the points returned', async () => {
    const customerId = await customerWith(80);
    const pos = await register();
    await pos.cart.addLineItem(variantId, 1);
    // No customer on the sale: Shopify refuses a customer's code for it.
    const outcome = await redeemOnCart(pos, customerId, await rewardOf(pos, customerId, 'free-coffee'));
    expect(outcome).toEqual({ ok: false, message: expect.stringMatching(/^The sale refused Free flat white: .+ The points were returned\.$/) });
    expect(pos.cart.current.value.lineItems).toHaveLength(1);
    expect(codesOnCart(pos.cart.current.value)).toEqual([]);
    expect(await balance(customerId)).toBe(80);
    expect(await redemptionModel(app.connection).findOne({ shop, customerId }).lean()).toMatchObject({ status: 'cancelled' });
  });

  it('gives a reward back from the cart: code and line off the sale, points returned', async () => {
    const customerId = await customerWith(60);
    const pos = await register();
    await pos.cart.addLineItem(variantId, 1);
    await pos.cart.setCustomer({ id: Number(customerId) });
    await redeemOnCart(pos, customerId, await rewardOf(pos, customerId, 'free-coffee'));
    const [code] = codesOnCart(pos.cart.current.value);
    expect(await giveBackFromCart(pos, customerId, code!)).toEqual({ ok: true, message: '50 points returned', balance: 60 });
    expect(pos.cart.current.value.lineItems).toHaveLength(1);
    expect(codesOnCart(pos.cart.current.value)).toEqual([]);
  });

  it('watches the cart: a reward removed in POS while the sale goes on is given back; a cart emptied by a sale is not', async () => {
    const customerId = await customerWith(200);
    const pos = await register();
    const stop = watchRemovedRewards(pos);
    await pos.cart.addLineItem(variantId, 1);
    await pos.cart.setCustomer({ id: Number(customerId) });
    await redeemOnCart(pos, customerId, await rewardOf(pos, customerId, 'free-coffee'));
    await pos.cart.removeCartDiscount();
    await expect.poll(() => balance(customerId)).toBe(200);

    await redeemOnCart(pos, customerId, await rewardOf(pos, customerId, 'free-coffee'));
    expect(await balance(customerId)).toBe(150);
    // A sale charged (or cleared) empties the cart: the code settles through orders/paid, nothing is given back.
    for (const line of pos.cart.current.value.lineItems) await pos.cart.removeLineItem(line.uuid);
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(await balance(customerId)).toBe(150);
    stop();
  });

  it('an account without the app permission (no session token) is told so, and nothing is sent', async () => {
    const customerId = await customerWith(100);
    const pos = await register({ signedIn: false });
    const sent = vi.spyOn(globalThis, 'fetch');
    const outcome = await redeemOnCart(pos, customerId, {
      id: 'free-coffee',
      type: 'free_product',
      name: 'Free flat white',
      pointsCost: 50,
      affordable: true,
      steps: null,
      variantId: String(variantId),
    });
    expect(outcome).toEqual({ ok: false, message: 'This POS account lacks the Tally app permission' });
    expect(sent).not.toHaveBeenCalled();
    expect(await balance(customerId)).toBe(100);
  });
});

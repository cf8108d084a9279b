import type { Api } from '@shopify/ui-extensions/pos.home.modal.render';
import { h, set, show } from './elements.js';
import {
  balanceLine,
  call,
  codesOnCart,
  giveBackFromCart,
  punchLine,
  redeemOnCart,
  refusal,
  requestKey,
  type Card,
  type CartApi,
  type CartState,
  type Outcome,
  type SessionApi,
} from './register.js';

declare const shopify: Api;
const register = shopify as unknown as SessionApi & CartApi;

type Notice = { tone: 'success' | 'critical'; text: string } | null;
interface Match {
  customerId: string;
  name: string | null;
  email: string | null;
  balance: number;
}
interface GuestSale {
  orderId: string;
  orderName: string | null;
  subtotal: string;
  currency: string;
}

/** The tile's modal: without a customer on the sale, find or enrol one; with one, their points and what staff can do with them. */
export default function extension() {
  const screen = h('s-scroll-box');
  document.body.append(h('s-page', { heading: 'Tally loyalty' }, screen));
  let customerId: number | undefined;
  let cartChanged: ((cart: CartState) => void) | undefined;
  const open = (cart: CartState) => {
    customerId = cart.customer?.id;
    const panel = customerId === undefined ? undefined : customerPanel(String(customerId), cart);
    cartChanged = panel?.cartChanged;
    show(screen, panel ? panel.element : findCustomer());
  };
  open(register.cart.current.value);
  register.cart.current.subscribe((cart) => (cart.customer?.id === customerId ? cartChanged?.(cart) : open(cart)));
}

const valueOf = (event: { currentTarget: unknown }) => (event.currentTarget as { value?: string } | null)?.value ?? '';

const banner = (notice: Notice) => notice && h('s-banner', { tone: notice.tone }, notice.text);

/** A line of a list: what it is, and the button that acts on it. */
const row = (label: string, button: HTMLElement) =>
  h('s-stack', { direction: 'inline', gap: 'base', justifyContent: 'space-between', alignItems: 'center' }, h('s-text', null, label), button);

/** No customer on the sale: look one up by name, email or phone, or enrol a new one; either goes onto the cart. */
function findCustomer() {
  const enrolment = { firstName: '', lastName: '', email: '' };
  const typed = (key: keyof typeof enrolment) => (event: { currentTarget: unknown }) => (enrolment[key] = valueOf(event));
  const find = h(
    's-section',
    { heading: 'Find a customer' },
    h('s-search-field', { placeholder: 'Name, email or phone', onInput: (event) => void search(valueOf(event)) }),
  );
  const screen = h(
    's-stack',
    { gap: 'base' },
    find,
    h(
      's-section',
      { heading: 'Enrol a new customer' },
      h('s-text-field', { label: 'First name', onInput: typed('firstName') }),
      h('s-text-field', { label: 'Last name', onInput: typed('lastName') }),
      h('s-email-field', { label: 'Email', onInput: typed('email') }),
      h('s-button', { variant: 'primary', onClick: () => void enrol() }, 'Enrol and add to the sale'),
    ),
  );
  let matches: HTMLElement[] = [];
  const search = async (text: string) => {
    const answer =
      text.trim().length < 2 ? null : await call<{ customers: Match[] }>(register, `/customers?query=${encodeURIComponent(text.trim())}`);
    for (const button of matches) find.removeChild(button);
    matches = (answer?.ok ? answer.body.customers : []).map((match) =>
      h(
        's-button',
        { onClick: () => void register.cart.setCustomer({ id: Number(match.customerId) }) },
        `${match.name ?? match.email ?? match.customerId} · ${match.balance} points`,
      ),
    );
    find.append(...matches);
  };
  let refused: HTMLElement | undefined;
  const enrol = async () => {
    const answer = await call<Match>(register, '/customers', 'POST', enrolment);
    if (answer.ok) return register.cart.setCustomer({ id: Number(answer.body.customerId) });
    if (!refused) screen.prepend((refused = h('s-banner', { tone: 'critical' })));
    show(refused, refusal(answer));
  };
  return screen;
}

/**
 * A customer on the sale: their points, the rewards they can afford (redeemed onto the cart), what
 * the sale holds, guest sales to attach, adjustments. Everything but the adjustment's fields is drawn
 * again from the state below whenever it or the cart changes.
 */
function customerPanel(customerId: string, cart: CartState) {
  let card: Card | null = null;
  let notice: Notice = null;
  /** The action under way (a reward's id or code, "attach", "adjust"): the buttons wait for it. */
  let busy: string | null = null;
  let sales: GuestSale[] = [];
  const body = h('s-stack', { gap: 'base' });
  const element = h('s-stack', { gap: 'base' }, body);
  const adjust = adjustment(customerId, (work) => act('adjust', work));

  const draw = () => {
    if (!card) return show(body, banner(notice ?? { tone: 'success', text: 'Loading points…' }));
    const { tier, nextTier, points, pointsName, name } = card;
    const onSale = codesOnCart(cart);
    const held = card.heldRewards.filter((reward) => onSale.includes(reward.code));
    const punch = punchLine(card);
    show(
      body,
      h(
        's-section',
        { heading: balanceLine(card) },
        banner(notice),
        tier && h('s-text', null, `Tier: ${tier.name}${nextTier ? ` · ${nextTier.remaining} to ${nextTier.name}` : ''}`),
        punch && h('s-text', null, punch),
        points.pending > 0 && h('s-text', null, `${points.pending} ${pointsName} pending`),
      ),
      h(
        's-section',
        { heading: 'Rewards' },
        card.rewards.length === 0 && h('s-text', null, 'No rewards can be used at the register.'),
        card.rewards.map((reward) =>
          row(
            reward.name,
            h(
              's-button',
              {
                disabled: !reward.affordable || busy !== null,
                loading: busy === reward.id,
                onClick: () => void act(reward.id, () => redeemOnCart(register, customerId, reward)),
              },
              `Redeem · ${reward.pointsCost}`,
            ),
          ),
        ),
      ),
      held.length > 0 &&
        h(
          's-section',
          { heading: 'On this sale' },
          held.map((reward) =>
            row(
              `${reward.rewardName} · ${reward.pointsSpent}`,
              h(
                's-button',
                {
                  tone: 'critical',
                  disabled: busy !== null,
                  onClick: () => void act(reward.code, () => giveBackFromCart(register, customerId, reward.code)),
                },
                'Give back',
              ),
            ),
          ),
        ),
      sales.length > 0 &&
        h(
          's-section',
          { heading: 'Recent guest sales' },
          sales.map((sale) =>
            row(
              `${sale.orderName ?? sale.orderId} · ${sale.subtotal} ${sale.currency}`,
              h('s-button', { onClick: () => void act('attach', () => attach(sale)) }, `Attach to ${name ?? 'customer'}`),
            ),
          ),
        ),
    );
    if (!adjust.parentNode) element.append(adjust);
  };

  const load = () =>
    call<Card>(register, `/customers/${customerId}`).then((answer) => {
      if (answer.ok) card = answer.body;
      else notice = { tone: 'critical', text: refusal(answer) };
      draw();
    });

  const act = async (id: string, work: () => Promise<Outcome>) => {
    busy = id;
    draw();
    const outcome = await work().catch((error: Error): Outcome => ({ ok: false, message: error.message }));
    notice = { tone: outcome.ok ? 'success' : 'critical', text: outcome.ok ? `${outcome.message}. Balance: ${outcome.balance}.` : outcome.message };
    busy = null;
    draw();
    await load();
  };

  /** Recent guest sales staff may attach to this customer (once per sale, within the program's window). */
  const attach = async (sale: GuestSale): Promise<Outcome> => {
    const answer = await call<{ earned: number; balance: number }>(register, `/sales/${sale.orderId}/customer`, 'POST', { customerId });
    if (!answer.ok) return { ok: false, message: refusal(answer) };
    sales = sales.filter((other) => other.orderId !== sale.orderId);
    return { ok: true, message: `${sale.orderName ?? 'The sale'} attached: ${answer.body.earned} points`, balance: answer.body.balance };
  };

  draw();
  void load();
  call<{ sales: GuestSale[] }>(register, '/guest-sales').then((answer) => {
    sales = answer.ok ? answer.body.sales : [];
    draw();
  });
  return {
    element,
    cartChanged: (next: CartState) => {
      cart = next;
      draw();
    },
  };
}

/** A manual adjustment, within the staff role's limit; Tally records the staff member POS names. */
function adjustment(customerId: string, act: (work: () => Promise<Outcome>) => Promise<void>) {
  let points = '';
  let reason = '';
  const pointsField = h('s-number-field', {
    label: 'Points (negative to take)',
    onInput: (event) => {
      points = valueOf(event);
      ready();
    },
  });
  const reasonField = h('s-text-field', {
    label: 'Reason',
    onInput: (event) => {
      reason = valueOf(event);
      ready();
    },
  });
  const button = h('s-button', { onClick: () => void act(submit) }, 'Adjust');
  const ready = () => set(button, { disabled: !points || !reason.trim() });
  const submit = async (): Promise<Outcome> => {
    const answer = await call<{ balance: number }>(register, `/customers/${customerId}/adjustments`, 'POST', {
      points: Number(points),
      reason,
      requestKey: requestKey(),
    });
    if (!answer.ok) return { ok: false, message: refusal(answer) };
    const adjusted = points;
    points = reason = '';
    set(pointsField, { value: '' });
    set(reasonField, { value: '' });
    ready();
    return { ok: true, message: `Adjusted by ${adjusted}`, balance: answer.body.balance };
  };
  ready();
  return h('s-section', { heading: 'Adjust points' }, pointsField, reasonField, button);
}

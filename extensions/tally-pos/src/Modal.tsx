/** @jsxImportSource preact */
import type { Api } from '@shopify/ui-extensions/pos.home.modal.render';
import { render } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import {
  balanceLine,
  call,
  codesOnCart,
  giveBackFromCart,
  punchLine,
  redeemOnCart,
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

export default function extension() {
  render(<RegisterModal />, document.body);
}

const valueOf = (event: Event | { currentTarget: unknown }) => (event.currentTarget as { value?: string } | null)?.value ?? '';

function Banner({ notice }: { notice: Notice }) {
  return notice && <s-banner tone={notice.tone}>{notice.text}</s-banner>;
}

function RegisterModal() {
  const [cart, setCart] = useState<CartState>(register.cart.current.value);
  useEffect(() => register.cart.current.subscribe(setCart), []);
  const customerId = cart.customer?.id;
  return (
    <s-page heading="Tally loyalty">
      <s-scroll-box>
        {customerId === undefined ? <FindCustomer /> : <CustomerPanel key={customerId} customerId={String(customerId)} cart={cart} />}
      </s-scroll-box>
    </s-page>
  );
}

/** No customer on the sale: look one up by name, email or phone, or enrol a new one; either goes onto the cart. */
function FindCustomer() {
  const [matches, setMatches] = useState<Match[]>([]);
  const [enrolment, setEnrolment] = useState({ firstName: '', lastName: '', email: '' });
  const [notice, setNotice] = useState<Notice>(null);
  const search = async (text: string) => {
    if (text.trim().length < 2) return setMatches([]);
    const answer = await call<{ customers: Match[] }>(register, `/customers?query=${encodeURIComponent(text.trim())}`);
    setMatches(answer.ok ? answer.body.customers : []);
  };
  const enrol = async () => {
    const answer = await call<Match>(register, '/customers', 'POST', enrolment);
    if (!answer.ok) return setNotice({ tone: 'critical', text: answer.body.message ?? `Tally answered ${answer.status}` });
    await register.cart.setCustomer({ id: Number(answer.body.customerId) });
  };
  const field = (key: keyof typeof enrolment) => (event: Event) => setEnrolment({ ...enrolment, [key]: valueOf(event) });
  return (
    <s-stack gap="base">
      <Banner notice={notice} />
      <s-section heading="Find a customer">
        <s-search-field placeholder="Name, email or phone" onInput={(event) => void search(valueOf(event))} />
        {matches.map((match) => (
          <s-button key={match.customerId} onClick={() => void register.cart.setCustomer({ id: Number(match.customerId) })}>
            {`${match.name ?? match.email ?? match.customerId} · ${match.balance} points`}
          </s-button>
        ))}
      </s-section>
      <s-section heading="Enrol a new customer">
        <s-text-field label="First name" value={enrolment.firstName} onInput={field('firstName')} />
        <s-text-field label="Last name" value={enrolment.lastName} onInput={field('lastName')} />
        <s-email-field label="Email" value={enrolment.email} onInput={field('email')} />
        <s-button variant="primary" onClick={() => void enrol()}>
          Enrol and add to the sale
        </s-button>
      </s-section>
    </s-stack>
  );
}

/** A customer on the sale: their points, the rewards they can afford (redeemed onto the cart), what the sale holds, guest sales, adjustments. */
function CustomerPanel({ customerId, cart }: { customerId: string; cart: CartState }) {
  const [card, setCard] = useState<Card | null>(null);
  const [notice, setNotice] = useState<Notice>(null);
  const [busy, setBusy] = useState<string | null>(null);
  const load = () =>
    call<Card>(register, `/customers/${customerId}`).then((answer) =>
      answer.ok ? setCard(answer.body) : setNotice({ tone: 'critical', text: answer.body.message ?? `Tally answered ${answer.status}` }),
    );
  useEffect(() => void load(), [customerId]);
  const act = async (id: string, work: () => Promise<Outcome>) => {
    setBusy(id);
    const outcome = await work().catch((error: Error): Outcome => ({ ok: false, message: error.message }));
    setNotice({ tone: outcome.ok ? 'success' : 'critical', text: outcome.ok ? `${outcome.message}. Balance: ${outcome.balance}.` : outcome.message });
    setBusy(null);
    await load();
  };
  if (!card) return <Banner notice={notice ?? { tone: 'success', text: 'Loading points…' }} />;
  const onSale = codesOnCart(cart);
  const held = card.heldRewards.filter((reward) => onSale.includes(reward.code));
  const punch = punchLine(card);
  return (
    <s-stack gap="base">
      <s-section heading={balanceLine(card)}>
        <Banner notice={notice} />
        {card.tier && <s-text>{`Tier: ${card.tier.name}${card.nextTier ? ` · ${card.nextTier.remaining} to ${card.nextTier.name}` : ''}`}</s-text>}
        {punch && <s-text>{punch}</s-text>}
        {card.points.pending > 0 && <s-text>{`${card.points.pending} ${card.pointsName} pending`}</s-text>}
      </s-section>
      <s-section heading="Rewards">
        {card.rewards.length === 0 && <s-text>No rewards can be used at the register.</s-text>}
        {card.rewards.map((reward) => (
          <s-stack key={reward.id} direction="inline" gap="base" justifyContent="space-between" alignItems="center">
            <s-text>{reward.name}</s-text>
            <s-button
              disabled={!reward.affordable || busy !== null}
              loading={busy === reward.id}
              onClick={() => void act(reward.id, () => redeemOnCart(register, customerId, reward))}
            >
              {`Redeem · ${reward.pointsCost}`}
            </s-button>
          </s-stack>
        ))}
      </s-section>
      {held.length > 0 && (
        <s-section heading="On this sale">
          {held.map((reward) => (
            <s-stack key={reward.code} direction="inline" gap="base" justifyContent="space-between" alignItems="center">
              <s-text>{`${reward.rewardName} · ${reward.pointsSpent}`}</s-text>
              <s-button
                tone="critical"
                disabled={busy !== null}
                onClick={() => void act(reward.code, () => giveBackFromCart(register, customerId, reward.code))}
              >
                Give back
              </s-button>
            </s-stack>
          ))}
        </s-section>
      )}
      <GuestSales customerId={customerId} name={card.name} onDone={(outcome) => act('attach', async () => outcome)} />
      <Adjust customerId={customerId} onDone={(outcome) => act('adjust', async () => outcome)} />
    </s-stack>
  );
}

/** Recent guest sales staff may attach to this customer (once per sale, within the program's window). */
function GuestSales({ customerId, name, onDone }: { customerId: string; name: string | null; onDone: (outcome: Outcome) => void }) {
  const [sales, setSales] = useState<GuestSale[]>([]);
  useEffect(() => {
    call<{ sales: GuestSale[] }>(register, '/guest-sales').then((answer) => setSales(answer.ok ? answer.body.sales : []));
  }, [customerId]);
  if (sales.length === 0) return null;
  const attach = async (sale: GuestSale) => {
    const answer = await call<{ earned: number; balance: number }>(register, `/sales/${sale.orderId}/customer`, 'POST', { customerId });
    if (answer.ok) setSales(sales.filter((other) => other.orderId !== sale.orderId));
    onDone(
      answer.ok
        ? { ok: true, message: `${sale.orderName ?? 'The sale'} attached: ${answer.body.earned} points`, balance: answer.body.balance }
        : { ok: false, message: answer.body.message ?? `Tally answered ${answer.status}` },
    );
  };
  return (
    <s-section heading="Recent guest sales">
      {sales.map((sale) => (
        <s-stack key={sale.orderId} direction="inline" gap="base" justifyContent="space-between" alignItems="center">
          <s-text>{`${sale.orderName ?? sale.orderId} · ${sale.subtotal} ${sale.currency}`}</s-text>
          <s-button onClick={() => void attach(sale)}>{`Attach to ${name ?? 'customer'}`}</s-button>
        </s-stack>
      ))}
    </s-section>
  );
}

/** A manual adjustment, within the staff role's limit; Tally records the staff member POS names. */
function Adjust({ customerId, onDone }: { customerId: string; onDone: (outcome: Outcome) => void }) {
  const [points, setPoints] = useState('');
  const [reason, setReason] = useState('');
  const submit = async () => {
    const answer = await call<{ balance: number }>(register, `/customers/${customerId}/adjustments`, 'POST', {
      points: Number(points),
      reason,
      requestKey: requestKey(),
    });
    if (answer.ok) {
      setPoints('');
      setReason('');
    }
    onDone(
      answer.ok
        ? { ok: true, message: `Adjusted by ${points}`, balance: answer.body.balance }
        : { ok: false, message: answer.body.message ?? `Tally answered ${answer.status}` },
    );
  };
  return (
    <s-section heading="Adjust points">
      <s-number-field label="Points (negative to take)" value={points} onInput={(event) => setPoints(valueOf(event))} />
      <s-text-field label="Reason" value={reason} onInput={(event) => setReason(valueOf(event))} />
      <s-button disabled={!points || !reason.trim()} onClick={() => void submit()}>
        Adjust
      </s-button>
    </s-section>
  );
}

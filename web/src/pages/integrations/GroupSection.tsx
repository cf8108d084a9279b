import { Badge, Banner, BlockStack, Button, Card, DataTable, InlineStack, Modal, SkeletonBodyText, Text, TextField } from '@shopify/polaris';
import { useCallback, useEffect, useState } from 'react';
import { moneyFormatter } from '../../../../server/platform/money.js';
import { api, ApiError } from '../../api.js';
import { humanMessage } from '../../errors.js';

interface ShopShare {
  shop: string;
  joinedAt: string;
  accounts: number;
  outstandingPoints: number;
  liabilityMinor: number;
  currency: string;
  movedInPoints: number;
  movedOutPoints: number;
  linkedAccounts: number;
  awaitingConfirmation: number;
}
interface Group {
  id: string;
  name: string;
  ownerShop: string | null;
  shops: ShopShare[];
}
interface Invite {
  code: string;
  expiresAt: string;
}

const NAME_MAX = 80;
const count = (value: number) => value.toLocaleString('en');
const ALREADY_GROUPED = 'This shop is already in a program group: leave it before creating or joining another.';
const NOT_GROUPED = 'This shop is no longer in a program group.';

/** The server's refusal in the merchant's words: the status names the refusal for each action. */
function refusal(failure: unknown, byStatus: Record<number, string>): string {
  if (failure instanceof ApiError) return byStatus[failure.status] ?? failure.message;
  return (failure as Error).message;
}

/** A program group: customers who link their accounts from the storefronts share one balance across the merchant's shops. */
export function GroupSection() {
  const [group, setGroup] = useState<Group | null | undefined>(undefined);
  const [name, setName] = useState('');
  const [nameError, setNameError] = useState<string | undefined>(undefined);
  const [code, setCode] = useState('');
  const [invite, setInvite] = useState<Invite | null>(null);
  const [copied, setCopied] = useState(false);
  const [confirmingLeave, setConfirmingLeave] = useState(false);
  const [busy, setBusy] = useState<'create' | 'join' | 'invite' | 'leave' | null>(null);
  const [error, setError] = useState<string | null>(null);

  const load = useCallback(async () => {
    setGroup((await api<{ group: Group | null }>('/group')).group);
  }, []);
  useEffect(() => {
    load().catch((failure: Error) => setError(failure.message));
  }, [load]);

  const run = async (action: NonNullable<typeof busy>, work: () => Promise<void>, byStatus: Record<number, string>) => {
    setError(null);
    setNameError(undefined);
    setBusy(action);
    try {
      await work();
    } catch (failure) {
      // The name is the only field the merchant types that the server can refuse.
      if (failure instanceof ApiError && failure.status === 422) setNameError(humanMessage(failure.errors.name ?? failure.message));
      else setError(refusal(failure, byStatus));
      if (failure instanceof ApiError && (failure.status === 404 || failure.status === 409)) await load().catch(() => undefined);
    } finally {
      setBusy(null);
      setConfirmingLeave(false);
    }
  };
  const create = () =>
    run('create', async () => setGroup((await api<{ group: Group }>('/group', { method: 'POST', body: { name: name.trim() } })).group), {
      409: ALREADY_GROUPED,
    });
  const join = () =>
    run(
      'join',
      async () => {
        setGroup((await api<{ group: Group }>('/group/join', { method: 'POST', body: { code: code.trim() } })).group);
        setCode('');
      },
      { 404: 'That code is unknown, already used or expired: create a new one in the admin of a shop in the group.', 409: ALREADY_GROUPED },
    );
  const createInvite = () =>
    run(
      'invite',
      async () => {
        setCopied(false);
        setInvite(await api<Invite>('/group/invites', { method: 'POST' }));
      },
      { 404: NOT_GROUPED },
    );
  const leave = () =>
    run(
      'leave',
      async () => {
        await api('/group/membership', { method: 'DELETE' });
        setInvite(null);
        setGroup(null);
      },
      { 404: NOT_GROUPED },
    );
  const copy = async (text: string) => {
    try {
      await navigator.clipboard.writeText(text);
      setCopied(true);
    } catch {
      setError('The browser did not allow copying: select the code and copy it.');
    }
  };

  const thisShop = window.shopify?.config?.shop;
  return (
    <Card>
      <BlockStack gap="300">
        <Text as="h2" variant="headingMd">
          Shared points across your shops
        </Text>
        <Text as="p" tone="subdued">
          Link your shops into one program group: a customer who links their accounts has one balance, earned and spent in any of the linked shops.
          Only the customer can link them, signed in at both shops, from the Rewards panel of your storefronts; an email address alone links nothing.
          Each shop keeps its own liability, at its own point value and currency.
        </Text>
        {error && (
          <Banner tone="critical" onDismiss={() => setError(null)}>
            {error}
          </Banner>
        )}
        {group === undefined ? (
          <SkeletonBodyText lines={3} />
        ) : group === null ? (
          <BlockStack gap="300">
            <TextField
              label="Start a group with this shop"
              value={name}
              onChange={setName}
              autoComplete="off"
              maxLength={NAME_MAX}
              placeholder="Group name, such as All our shops"
              error={nameError}
              connectedRight={
                <Button variant="primary" disabled={name.trim() === ''} loading={busy === 'create'} onClick={() => void create()}>
                  Create group
                </Button>
              }
            />
            <TextField
              label="Or join a group with an invite code"
              value={code}
              onChange={setCode}
              autoComplete="off"
              helpText="Create the code in Tally's admin of a shop already in the group."
              connectedRight={
                <Button disabled={code.trim() === ''} loading={busy === 'join'} onClick={() => void join()}>
                  Join group
                </Button>
              }
            />
          </BlockStack>
        ) : (
          <BlockStack gap="300">
            <Text as="h3" variant="headingSm">
              {group.name}
            </Text>
            <DataTable
              columnContentTypes={['text', 'numeric', 'numeric', 'numeric', 'numeric', 'numeric', 'numeric', 'numeric']}
              headings={['Shop', 'Accounts', 'Linked', 'Awaiting confirmation', 'Outstanding points', 'Liability', 'Moved in', 'Moved out']}
              rows={group.shops.map((share) => [
                <InlineStack key={share.shop} gap="100">
                  <Text as="span">{share.shop}</Text>
                  {share.shop === group.ownerShop && <Badge>Owner</Badge>}
                  {share.shop === thisShop && <Badge>This shop</Badge>}
                </InlineStack>,
                count(share.accounts),
                count(share.linkedAccounts),
                count(share.awaitingConfirmation),
                count(share.outstandingPoints),
                moneyFormatter(share.currency)(share.liabilityMinor),
                count(share.movedInPoints),
                count(share.movedOutPoints),
              ])}
            />
            <Text as="p" tone="subdued">
              Linked: accounts their customer linked with an account in another shop. Awaiting confirmation: accounts with the same verified email as
              an account in another shop, not linked by their customer: their points are not shared until the customer links them. Moved in: points
              other shops' balances paid for redemptions in this shop. Moved out: points this shop's customers spent in other shops.
            </Text>
            {invite && (
              <TextField
                label="Invite code"
                value={invite.code}
                readOnly
                autoComplete="off"
                helpText={`Paste it in Tally's admin of another of your shops (Imports). It works once, until ${new Date(invite.expiresAt).toLocaleString()}.`}
                connectedRight={<Button onClick={() => void copy(invite.code)}>{copied ? 'Copied' : 'Copy'}</Button>}
              />
            )}
            <InlineStack gap="200">
              <Button loading={busy === 'invite'} onClick={() => void createInvite()}>
                Create invite code
              </Button>
              <Button tone="critical" variant="secondary" onClick={() => setConfirmingLeave(true)}>
                Leave group
              </Button>
            </InlineStack>
          </BlockStack>
        )}
      </BlockStack>
      <Modal
        open={confirmingLeave}
        onClose={() => setConfirmingLeave(false)}
        title={`Leave ${group?.name ?? 'the group'}?`}
        primaryAction={{ content: 'Leave group', destructive: true, loading: busy === 'leave', onAction: () => void leave() }}
        secondaryActions={[{ content: 'Cancel', onAction: () => setConfirmingLeave(false) }]}
      >
        <Modal.Section>
          <Text as="p">
            Every shop keeps the points it holds, but this shop's balances are no longer combined with the other shops': customers earn and spend here
            only what they hold here. Joining again takes a new invite code.
          </Text>
        </Modal.Section>
      </Modal>
    </Card>
  );
}

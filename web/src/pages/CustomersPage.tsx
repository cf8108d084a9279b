import {
  Badge,
  Banner,
  BlockStack,
  Button,
  Card,
  EmptyState,
  FormLayout,
  InlineStack,
  Layout,
  Modal,
  Page,
  ResourceItem,
  ResourceList,
  Select,
  SkeletonBodyText,
  Text,
  TextField,
} from '@shopify/polaris';
import { useCallback, useEffect, useState } from 'react';
import type { Program } from '../../../server/program/program.js';
import { ApiError, api } from '../api.js';
import type { Notify } from '../App.js';
import { currentStaffId } from '../app-bridge.js';
import { humanErrors } from '../errors.js';
import { t } from '../i18n.js';
import { CustomerInsightPanel } from './analytics/CustomerInsightPanel.js';
import { ResponsiveTable } from './ResponsiveTable.js';
import { figuresChanged } from './as-of.js';
import { NumberField, TextInput } from './fields.js';

interface CustomerRow {
  customerId: string;
  name: string | null;
  email: string | null;
  points: { balance: number; pending: number };
  lifetimeEarned: number;
}

interface CustomerDetail {
  customerId: string;
  profile: { email?: string; firstName?: string; lastName?: string } | null;
  points: { balance: number; pending: number };
  lifetimeEarned: number;
  ledger: Array<{
    key: string;
    type: string;
    seq: number;
    points: number;
    pending: number;
    balance: number;
    reason: string;
    source: string;
    orderName: string | null;
    staffId: string | null;
    staffName: string | null;
    createdAt: string;
  }>;
  redemptions: Array<{
    id: string;
    code: string | null;
    rewardName: string;
    pointsSpent: number;
    status: string;
    expiresAt: string;
    createdAt: string;
  }>;
}

const LEDGER_TYPES = [
  'earn',
  'bonus',
  'reverse',
  'release',
  'order_edit',
  'redeem',
  'redeem_refund',
  'hold',
  'hold_release',
  'adjust',
  'expire',
  'tier',
] as const;

/** An entry type in words; a type the admin does not know yet reads as a plain word, never as a translation key. */
function ledgerTypeName(type: string): string {
  return (LEDGER_TYPES as readonly string[]).includes(type) ? t(`ledgerType.${type as (typeof LEDGER_TYPES)[number]}`) : type.replace(/_/g, ' ');
}
const STATUS_TONE: Record<string, 'success' | 'info' | 'attention' | 'critical' | undefined> = {
  issued: 'success',
  used: 'info',
  pending: 'attention',
  refunded: 'critical',
  expired: undefined,
};

/** Why the adjust button cannot be pressed yet, or null when it can. */
type LedgerLine = CustomerDetail['ledger'][number];

/** The reason column: the order's name where the entry kept it (never its raw id), and who made a staff entry. */
function ledgerReason(entry: LedgerLine, me: string | null): string {
  const order = entry.orderName;
  let reason = entry.reason;
  if (order !== null && entry.type === 'reverse')
    reason = entry.reason === 'order cancelled' ? t('ledger.cancelled', { order }) : t('ledger.refund', { order });
  else if (order !== null && (entry.type === 'earn' || entry.type === 'order_edit')) reason = `${t('ledger.order', { order })} · ${entry.reason}`;
  if (entry.staffId === null) return reason;
  const staff = `${entry.staffName ?? t('ledger.staffFallback', { id: entry.staffId })}${entry.staffId === me ? ` ${t('ledger.you')}` : ''}`;
  return `${reason} · ${entry.type === 'adjust' ? t('ledger.adjustedBy', { staff }) : t('ledger.by', { staff })}`;
}

function adjustBlocker(points: number, reason: string): string | null {
  if (!Number.isFinite(points)) return t('customer.needPoints');
  if (points === 0) return t('customer.needNonZero');
  if (reason.trim() === '') return t('customer.needReason');
  return null;
}

function requestKey(prefix: string): string {
  return `${prefix}-${Date.now().toString(36)}${Math.random().toString(36).slice(2, 8)}`;
}

export function CustomerView({ customerId, program, onBack, notify }: { customerId: string; program: Program; onBack(): void; notify: Notify }) {
  const [detail, setDetail] = useState<CustomerDetail | null>(null);
  const [loadError, setLoadError] = useState<string | null>(null);
  const [type, setType] = useState('');
  const [points, setPoints] = useState(Number.NaN);
  const [reason, setReason] = useState('');
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [confirming, setConfirming] = useState(false);
  const rewards = program.rewards.filter((reward) => reward.enabled);
  const [rewardId, setRewardId] = useState(rewards[0]?.id ?? '');
  const [busy, setBusy] = useState(false);
  const [me, setMe] = useState<string | null>(null);
  // Bumped after a write that moves the customer's figures, so the insight panel reads them again.
  const [version, setVersion] = useState(0);

  useEffect(() => {
    currentStaffId().then(setMe, () => setMe(null));
  }, []);
  const load = useCallback(() => {
    api<CustomerDetail>(`/customers/${customerId}?limit=100${type ? `&type=${type}` : ''}`).then(
      (body) => {
        setDetail(body);
        setLoadError(null);
      },
      (error: Error) => setLoadError(error.message),
    );
  }, [customerId, type]);
  useEffect(load, [load]);

  const adjust = async () => {
    setBusy(true);
    try {
      await api(`/customers/${customerId}/adjustments`, { method: 'POST', body: { points, reason, requestKey: requestKey('adj') } });
      setConfirming(false);
      setPoints(Number.NaN);
      setReason('');
      setErrors({});
      notify(t('customer.adjusted'));
      load();
      setVersion((current) => current + 1);
      figuresChanged();
    } catch (error) {
      setConfirming(false);
      if (error instanceof ApiError) setErrors(humanErrors(error.errors));
      notify(error instanceof Error ? error.message : String(error), true);
    } finally {
      setBusy(false);
    }
  };

  const reward = rewards.find((candidate) => candidate.id === rewardId);
  const balance = detail?.points.balance ?? 0;
  const shortBy = reward ? reward.pointsCost - balance : 0;
  const issue = async () => {
    setBusy(true);
    try {
      const issued = await api<{ code: string | null }>(`/customers/${customerId}/redemptions`, {
        method: 'POST',
        body: { rewardId, requestKey: requestKey('staff') },
      });
      notify(t('customer.rewardIssued', { code: issued.code ?? t('customer.storeCredit') }));
    } catch (error) {
      notify(
        error instanceof ApiError && error.status === 409 ? t('customer.notEnoughPoints') : error instanceof Error ? error.message : String(error),
        true,
      );
    } finally {
      setBusy(false);
      load();
      setVersion((current) => current + 1);
      figuresChanged();
    }
  };

  const title = detail
    ? [detail.profile?.firstName, detail.profile?.lastName].filter(Boolean).join(' ') || t('customer.title', { id: customerId })
    : t('customer.title', { id: customerId });
  const backAction = { content: t('nav.customers'), onAction: onBack };
  if (!detail) {
    return (
      <Page backAction={backAction} title={title}>
        {loadError ? (
          <Banner tone="critical" title={t('customer.loadFailed')}>
            <p>{loadError}</p>
          </Banner>
        ) : (
          <Card>
            <SkeletonBodyText lines={8} />
          </Card>
        )}
      </Page>
    );
  }
  const blocker = adjustBlocker(points, reason);
  const after = Number.isFinite(points) ? balance + points : balance;
  const belowZero = after < 0;
  // A refused staff redemption spent nothing: it is no reward of this customer's.
  const redemptions = detail.redemptions.filter((redemption) => redemption.status !== 'rejected');
  return (
    <Page backAction={backAction} title={title} subtitle={detail.profile?.email ?? undefined}>
      <Layout>
        <Layout.Section>
          <BlockStack gap="400">
            <Card>
              <InlineStack gap="800">
                <BlockStack>
                  <Text as="p" tone="subdued">
                    {t('customer.available')}
                  </Text>
                  <Text as="p" variant="heading2xl" id="customer-balance">
                    {detail.points.balance}
                  </Text>
                </BlockStack>
                <BlockStack>
                  <Text as="p" tone="subdued">
                    {t('customer.pending')}
                  </Text>
                  <Text as="p" variant="heading2xl">
                    {detail.points.pending}
                  </Text>
                </BlockStack>
                <BlockStack>
                  <Text as="p" tone="subdued">
                    {t('customer.lifetime')}
                  </Text>
                  <Text as="p" variant="heading2xl">
                    {detail.lifetimeEarned}
                  </Text>
                </BlockStack>
              </InlineStack>
            </Card>
            <Card>
              <BlockStack gap="300">
                <InlineStack align="space-between" blockAlign="end">
                  <Text as="h2" variant="headingMd">
                    {t('customer.ledger')}
                  </Text>
                  <Select
                    label={t('customer.filter')}
                    labelInline
                    options={[
                      { label: t('customer.allTypes'), value: '' },
                      ...LEDGER_TYPES.map((value) => ({ label: t(`ledgerType.${value}`), value })),
                    ]}
                    value={type}
                    onChange={setType}
                  />
                </InlineStack>
                {detail.ledger.length === 0 ? (
                  <Text as="p" tone="subdued">
                    {t('customer.noEntries')}
                  </Text>
                ) : (
                  <ResponsiveTable
                    label={t('customer.ledger')}
                    columnContentTypes={['text', 'text', 'numeric', 'numeric', 'text']}
                    headings={[t('ledger.date'), t('ledger.type'), t('ledger.points'), t('ledger.balance'), t('ledger.reason')]}
                    rows={detail.ledger.map((entry) => [
                      new Date(entry.createdAt).toLocaleString(),
                      ledgerTypeName(entry.type),
                      `${entry.points + entry.pending > 0 ? '+' : ''}${entry.points + entry.pending}${entry.pending ? ` (${t('customer.pending').toLowerCase()})` : ''}`,
                      entry.balance,
                      ledgerReason(entry, me),
                    ])}
                  />
                )}
              </BlockStack>
            </Card>
          </BlockStack>
        </Layout.Section>
        <Layout.Section variant="oneThird">
          <BlockStack gap="400">
            <CustomerInsightPanel customerId={customerId} currency={program.currency} version={version} />
            <Card>
              <BlockStack gap="300">
                <Text as="h2" variant="headingMd">
                  {t('customer.adjust')}
                </Text>
                <FormLayout>
                  <NumberField
                    label={t('customer.adjustPoints')}
                    integer
                    helpText={t('customer.adjustHelp')}
                    value={points}
                    onChange={setPoints}
                    error={errors.points}
                  />
                  <TextInput label={t('customer.reason')} value={reason} onChange={setReason} error={errors.reason} multiline={2} />
                  {belowZero && (
                    <Banner tone="warning">
                      <p id="adjust-below-zero">{t('customer.belowZero', { balance, after })}</p>
                    </Banner>
                  )}
                  <BlockStack gap="100">
                    <InlineStack>
                      <Button variant="primary" onClick={() => setConfirming(true)} disabled={blocker !== null}>
                        {t('customer.adjustButton')}
                      </Button>
                    </InlineStack>
                    {blocker && (
                      <Text as="p" tone="subdued" variant="bodySm" id="adjust-blocker">
                        {blocker}
                      </Text>
                    )}
                  </BlockStack>
                </FormLayout>
              </BlockStack>
            </Card>
            <Card>
              <BlockStack gap="300">
                <Text as="h2" variant="headingMd">
                  {t('customer.rewards')}
                </Text>
                {rewards.length > 0 && (
                  <BlockStack gap="100">
                    <InlineStack gap="200" blockAlign="end">
                      <Select
                        label={t('customer.issueReward')}
                        options={rewards.map((candidate) => ({
                          label: t('customer.rewardOption', { name: candidate.name, points: candidate.pointsCost }),
                          value: candidate.id,
                        }))}
                        value={rewardId}
                        onChange={setRewardId}
                      />
                      <Button onClick={() => void issue()} loading={busy} disabled={shortBy > 0}>
                        {t('customer.issue')}
                      </Button>
                    </InlineStack>
                    {shortBy > 0 && (
                      <Text as="p" tone="subdued" variant="bodySm" id="issue-blocker">
                        {t('customer.shortBy', { points: shortBy })}
                      </Text>
                    )}
                  </BlockStack>
                )}
                {redemptions.length === 0 ? (
                  <Text as="p" tone="subdued">
                    {t('customer.noRewards')}
                  </Text>
                ) : (
                  redemptions.map((redemption) => (
                    <InlineStack key={redemption.id} align="space-between">
                      <BlockStack>
                        <Text as="span" fontWeight="semibold">
                          {redemption.code ?? t('customer.storeCredit')}
                        </Text>
                        <Text as="span" tone="subdued" variant="bodySm">
                          {redemption.rewardName} · {redemption.pointsSpent}
                        </Text>
                      </BlockStack>
                      <Badge tone={STATUS_TONE[redemption.status]}>{t(`redemptionStatus.${redemption.status as 'issued'}`)}</Badge>
                    </InlineStack>
                  ))
                )}
              </BlockStack>
            </Card>
          </BlockStack>
        </Layout.Section>
      </Layout>
      <Modal
        open={confirming}
        onClose={() => setConfirming(false)}
        title={t('customer.confirmTitle')}
        primaryAction={{ content: t('customer.confirm'), onAction: adjust, loading: busy, destructive: belowZero }}
        secondaryActions={[{ content: t('form.cancel'), onAction: () => setConfirming(false) }]}
      >
        <Modal.Section>
          <BlockStack gap="200">
            <Text as="p">{t('customer.confirmText', { points: points > 0 ? `+${points}` : String(points), name: title, reason })}</Text>
            {belowZero && (
              <Banner tone="warning">
                <p>{t('customer.belowZero', { balance, after })}</p>
              </Banner>
            )}
          </BlockStack>
        </Modal.Section>
      </Modal>
    </Page>
  );
}

/** Customers: search by name, email or id; each customer opens at their own URL. */
export function CustomersPage({ onOpen }: { onOpen(customerId: string): void }) {
  const [query, setQuery] = useState('');
  const [rows, setRows] = useState<CustomerRow[] | null>(null);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    const timer = setTimeout(() => {
      api<{ customers: CustomerRow[] }>(`/customers?query=${encodeURIComponent(query)}`).then(
        (body) => {
          setRows(body.customers);
          setError(null);
        },
        (failure: Error) => setError(failure.message),
      );
    }, 200);
    return () => clearTimeout(timer);
  }, [query]);

  return (
    <Page title={t('customers.title')}>
      <BlockStack gap="400">
        {error && (
          <Banner tone="critical" title={t('customers.loadFailed')}>
            <p>{error}</p>
          </Banner>
        )}
        <Card padding="0">
          <ResourceList
            resourceName={{ singular: t('customers.singular'), plural: t('customers.plural') }}
            loading={rows === null}
            items={rows ?? []}
            filterControl={
              <TextField
                label={t('customers.search')}
                labelHidden
                placeholder={t('customers.search')}
                value={query}
                onChange={setQuery}
                clearButton
                onClearButtonClick={() => setQuery('')}
                autoComplete="off"
              />
            }
            emptyState={
              rows !== null && query === '' ? (
                <EmptyState heading={t('customers.emptyHeading')} image="">
                  <p>{t('customers.emptyText')}</p>
                </EmptyState>
              ) : undefined
            }
            renderItem={(row) => (
              <ResourceItem
                id={row.customerId}
                onClick={() => onOpen(row.customerId)}
                accessibilityLabel={t('customers.open', { name: row.name ?? row.customerId })}
              >
                <InlineStack align="space-between">
                  <BlockStack>
                    <Text as="span" fontWeight="semibold">
                      {row.name ?? t('customer.title', { id: row.customerId })}
                    </Text>
                    <Text as="span" tone="subdued">
                      {row.email ?? row.customerId}
                    </Text>
                  </BlockStack>
                  <BlockStack inlineAlign="end">
                    <Text as="span" fontWeight="semibold">
                      {t('customers.points', { points: row.points.balance })}
                    </Text>
                    {row.points.pending > 0 && (
                      <Text as="span" tone="subdued">
                        {t('customers.pending', { points: row.points.pending })}
                      </Text>
                    )}
                  </BlockStack>
                </InlineStack>
              </ResourceItem>
            )}
          />
        </Card>
      </BlockStack>
    </Page>
  );
}

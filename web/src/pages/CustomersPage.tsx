import { Badge, Banner, BlockStack, Button, Card, DataTable, EmptyState, FormLayout, InlineStack, Layout, Modal, Page, ResourceItem, ResourceList, Select, SkeletonBodyText, Text, TextField } from '@shopify/polaris';
import { useCallback, useEffect, useState } from 'react';
import type { Program } from '../../../server/program/program.js';
import { ApiError, api } from '../api.js';
import type { Notify } from '../App.js';
import { t } from '../i18n.js';
import { NumberField } from './fields.js';

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
  ledger: Array<{ key: string; type: string; seq: number; points: number; pending: number; balance: number; reason: string; source: string; staffId: string | null; createdAt: string }>;
  redemptions: Array<{ id: string; code: string | null; rewardName: string; pointsSpent: number; status: string; expiresAt: string; createdAt: string }>;
}

const LEDGER_TYPES = ['earn', 'bonus', 'reverse', 'release', 'order_edit', 'redeem', 'redeem_refund', 'adjust', 'expire'] as const;
const STATUS_TONE: Record<string, 'success' | 'info' | 'attention' | 'critical' | undefined> = { issued: 'success', used: 'info', pending: 'attention', refunded: 'critical', expired: undefined, rejected: 'critical' };

function CustomerView({ customerId, program, onBack, notify }: { customerId: string; program: Program; onBack(): void; notify: Notify }) {
  const [detail, setDetail] = useState<CustomerDetail | null>(null);
  const [type, setType] = useState('');
  const [points, setPoints] = useState(Number.NaN);
  const [reason, setReason] = useState('');
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [confirming, setConfirming] = useState(false);
  const [rewardId, setRewardId] = useState(program.rewards[0]?.id ?? '');
  const [busy, setBusy] = useState(false);

  const load = useCallback(() => {
    api<CustomerDetail>(`/customers/${customerId}?limit=100${type ? `&type=${type}` : ''}`).then(setDetail, (error: Error) => notify(error.message, true));
  }, [customerId, type, notify]);
  useEffect(load, [load]);

  const adjust = async () => {
    setBusy(true);
    try {
      await api(`/customers/${customerId}/adjustments`, { method: 'POST', body: { points, reason, requestKey: `adj-${Date.now().toString(36)}${Math.random().toString(36).slice(2, 8)}` } });
      setConfirming(false);
      setPoints(Number.NaN);
      setReason('');
      setErrors({});
      notify(t('customer.adjusted'));
      load();
    } catch (error) {
      setConfirming(false);
      if (error instanceof ApiError) setErrors(error.errors);
      notify(error instanceof Error ? error.message : String(error), true);
    } finally {
      setBusy(false);
    }
  };

  const issue = async () => {
    setBusy(true);
    try {
      const issued = await api<{ code: string | null }>(`/customers/${customerId}/redemptions`, { method: 'POST', body: { rewardId, requestKey: `staff-${Date.now().toString(36)}${Math.random().toString(36).slice(2, 8)}` } });
      notify(t('customer.rewardIssued', { code: issued.code ?? t('customer.storeCredit') }));
      load();
    } catch (error) {
      notify(error instanceof Error ? error.message : String(error), true);
    } finally {
      setBusy(false);
    }
  };

  if (!detail) {
    return (
      <Page backAction={{ content: t('nav.customers'), onAction: onBack }} title={t('customer.title', { id: customerId })}>
        <Card><SkeletonBodyText lines={8} /></Card>
      </Page>
    );
  }
  const name = [detail.profile?.firstName, detail.profile?.lastName].filter(Boolean).join(' ') || t('customer.title', { id: customerId });
  return (
    <Page backAction={{ content: t('nav.customers'), onAction: onBack }} title={name} subtitle={detail.profile?.email ?? undefined}>
      <Layout>
        <Layout.Section>
          <BlockStack gap="400">
            <Card>
              <InlineStack gap="800">
                <BlockStack><Text as="p" tone="subdued">{t('customer.available')}</Text><Text as="p" variant="heading2xl" id="customer-balance">{detail.points.balance}</Text></BlockStack>
                <BlockStack><Text as="p" tone="subdued">{t('customer.pending')}</Text><Text as="p" variant="heading2xl">{detail.points.pending}</Text></BlockStack>
                <BlockStack><Text as="p" tone="subdued">{t('customer.lifetime')}</Text><Text as="p" variant="heading2xl">{detail.lifetimeEarned}</Text></BlockStack>
              </InlineStack>
            </Card>
            <Card>
              <BlockStack gap="300">
                <InlineStack align="space-between" blockAlign="end">
                  <Text as="h2" variant="headingMd">{t('customer.ledger')}</Text>
                  <Select label={t('customer.filter')} labelInline options={[{ label: t('customer.allTypes'), value: '' }, ...LEDGER_TYPES.map((value) => ({ label: t(`ledgerType.${value}`), value }))]} value={type} onChange={setType} />
                </InlineStack>
                {detail.ledger.length === 0 ? (
                  <Text as="p" tone="subdued">{t('customer.noEntries')}</Text>
                ) : (
                  <DataTable
                    columnContentTypes={['text', 'text', 'numeric', 'numeric', 'text']}
                    headings={[t('ledger.date'), t('ledger.type'), t('ledger.points'), t('ledger.balance'), t('ledger.reason')]}
                    rows={detail.ledger.map((entry) => [new Date(entry.createdAt).toLocaleString(), t(`ledgerType.${entry.type as (typeof LEDGER_TYPES)[number]}`), `${entry.points + entry.pending > 0 ? '+' : ''}${entry.points + entry.pending}${entry.pending ? ` (${t('customer.pending').toLowerCase()})` : ''}`, entry.balance, `${entry.reason}${entry.staffId ? ` · ${t('ledger.by', { staff: entry.staffId })}` : ''}`])}
                  />
                )}
              </BlockStack>
            </Card>
          </BlockStack>
        </Layout.Section>
        <Layout.Section variant="oneThird">
          <BlockStack gap="400">
            <Card>
              <BlockStack gap="300">
                <Text as="h2" variant="headingMd">{t('customer.adjust')}</Text>
                <FormLayout>
                  <NumberField label={t('customer.adjustPoints')} helpText={t('customer.adjustHelp')} value={points} onChange={setPoints} error={errors.points} />
                  <TextField label={t('customer.reason')} value={reason} onChange={setReason} error={errors.reason} autoComplete="off" multiline={2} />
                  <Button variant="primary" onClick={() => setConfirming(true)} disabled={!Number.isFinite(points) || points === 0 || reason.trim() === ''}>{t('customer.adjustButton')}</Button>
                </FormLayout>
              </BlockStack>
            </Card>
            <Card>
              <BlockStack gap="300">
                <Text as="h2" variant="headingMd">{t('customer.rewards')}</Text>
                <InlineStack gap="200" blockAlign="end">
                  <Select label={t('customer.issueReward')} options={program.rewards.filter((reward) => reward.enabled).map((reward) => ({ label: `${reward.name} (${reward.pointsCost})`, value: reward.id }))} value={rewardId} onChange={setRewardId} />
                  <Button onClick={issue} loading={busy}>{t('customer.issue')}</Button>
                </InlineStack>
                {detail.redemptions.length === 0 ? (
                  <Text as="p" tone="subdued">{t('customer.noRewards')}</Text>
                ) : (
                  detail.redemptions.map((redemption) => (
                    <InlineStack key={redemption.id} align="space-between">
                      <BlockStack>
                        <Text as="span" fontWeight="semibold">{redemption.code ?? t('customer.storeCredit')}</Text>
                        <Text as="span" tone="subdued" variant="bodySm">{redemption.rewardName} · {redemption.pointsSpent}</Text>
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
      <Modal open={confirming} onClose={() => setConfirming(false)} title={t('customer.confirmTitle')} primaryAction={{ content: t('customer.confirm'), onAction: adjust, loading: busy }} secondaryActions={[{ content: t('form.cancel'), onAction: () => setConfirming(false) }]}>
        <Modal.Section>
          <Text as="p">{t('customer.confirmText', { points: points > 0 ? `+${points}` : String(points), name, reason })}</Text>
        </Modal.Section>
      </Modal>
    </Page>
  );
}

/** Customers: search by name, email or id; a customer's page has the ledger, rewards and adjustments. */
export function CustomersPage({ program, notify }: { program: Program; notify: Notify }) {
  const [query, setQuery] = useState('');
  const [rows, setRows] = useState<CustomerRow[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [selected, setSelected] = useState<string | null>(null);

  useEffect(() => {
    const timer = setTimeout(() => {
      api<{ customers: CustomerRow[] }>(`/customers?query=${encodeURIComponent(query)}`).then((body) => { setRows(body.customers); setError(null); }, (failure: Error) => setError(failure.message));
    }, 200);
    return () => clearTimeout(timer);
  }, [query]);

  if (selected) return <CustomerView customerId={selected} program={program} onBack={() => setSelected(null)} notify={notify} />;
  return (
    <Page title={t('customers.title')}>
      <BlockStack gap="400">
        {error && <Banner tone="critical" title={t('customers.loadFailed')}><p>{error}</p></Banner>}
        <Card padding="0">
          <ResourceList
            resourceName={{ singular: t('customers.singular'), plural: t('customers.plural') }}
            loading={rows === null}
            items={rows ?? []}
            filterControl={<TextField label={t('customers.search')} labelHidden placeholder={t('customers.search')} value={query} onChange={setQuery} clearButton onClearButtonClick={() => setQuery('')} autoComplete="off" />}
            emptyState={rows !== null && query === '' ? <EmptyState heading={t('customers.emptyHeading')} image=""><p>{t('customers.emptyText')}</p></EmptyState> : undefined}
            renderItem={(row) => (
              <ResourceItem id={row.customerId} onClick={() => setSelected(row.customerId)} accessibilityLabel={t('customers.open', { name: row.name ?? row.customerId })}>
                <InlineStack align="space-between">
                  <BlockStack>
                    <Text as="span" fontWeight="semibold">{row.name ?? t('customer.title', { id: row.customerId })}</Text>
                    <Text as="span" tone="subdued">{row.email ?? row.customerId}</Text>
                  </BlockStack>
                  <BlockStack inlineAlign="end">
                    <Text as="span" fontWeight="semibold">{t('customers.points', { points: row.points.balance })}</Text>
                    {row.points.pending > 0 && <Text as="span" tone="subdued">{t('customers.pending', { points: row.points.pending })}</Text>}
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

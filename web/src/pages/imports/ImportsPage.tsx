import {
  Badge,
  Banner,
  BlockStack,
  Button,
  Card,
  Checkbox,
  ChoiceList,
  DropZone,
  InlineStack,
  Page,
  ProgressBar,
  Select,
  Text,
} from '@shopify/polaris';
import { useEffect, useState } from 'react';
import { api, ApiError } from '../../api.js';
import { t } from '../../i18n.js';
import { GroupSection } from '../integrations/GroupSection.js';
import { IntegrationsSection } from '../integrations/IntegrationsSection.js';
import { BackfillSection } from './BackfillSection.js';
import { figuresChanged } from '../as-of.js';
import { ResponsiveTable } from '../ResponsiveTable.js';
import { ApiKeysSection } from '../integrations/ApiKeysSection.js';

interface RowError {
  row: number;
  column: string;
  message: string;
}
interface Change {
  row: number;
  customerId: string;
  email: string | null;
  balanceBefore: number;
  points: number;
  balanceAfter: number;
  tier: string | null;
}
interface ImportStatus {
  id: string;
  dryRun: boolean;
  balances: 'set' | 'add';
  status: 'running' | 'done' | 'failed' | 'cancelled';
  message: string | null;
  processed: number;
  total: number;
  errors: RowError[];
  errorCount: number;
  summary: { customers: number; customersChanged: number; pointsAdded: number; pointsRemoved: number };
  changes: Change[];
}

const FORMATS = [
  { label: 'Smile.io export', value: 'smile' },
  { label: 'LoyaltyLion export', value: 'loyaltylion' },
  { label: 'Yotpo export', value: 'yotpo' },
  { label: 'Other CSV', value: 'generic' },
];
/** What each format's file holds, in the columns Tally reads from it (docs/imports.md). */
const FORMAT_HELP: Record<string, string> = {
  smile: 'Smile.io’s customer export: email (or customer_id), points or points_balance, and vip_tier if you use tiers.',
  loyaltylion:
    'LoyaltyLion’s customer export: merchant_id (the Shopify customer id) or email, points_approved, lifetime_points and tier. Pending points are not imported.',
  yotpo: 'Yotpo’s customer file: Email, Points Balance, Points Earned or Points Spent, and VIP Tier.',
  generic:
    'Any CSV with a header row: email or customer_id, balance (or points), and optionally lifetime_points and tier. Rows with points_change, date and description are history lines.',
};
const plural = (count: number, one: string, many: string) => `${count.toLocaleString('en')} ${count === 1 ? one : many}`;
const POLL_MS = 1000;

/** Switching from another app: upload its export, preview the changes, import with a progress bar, fix rows by line. */
export default function ImportsPage() {
  const [format, setFormat] = useState('smile');
  const [file, setFile] = useState<{ name: string; text: string } | null>(null);
  const [dryRun, setDryRun] = useState(true);
  const [balances, setBalances] = useState<'set' | 'add'>('set');
  const [current, setCurrent] = useState<ImportStatus | null>(null);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    if (!current || current.status !== 'running') return;
    const timer = setTimeout(() => {
      api<ImportStatus>(`/imports/${current.id}`).then(
        (next) => {
          if (!next.dryRun && next.status === 'done') figuresChanged();
          setCurrent(next);
        },
        (failure: Error) => setError(failure.message),
      );
    }, POLL_MS);
    return () => clearTimeout(timer);
  }, [current]);

  const start = async (asDryRun: boolean) => {
    if (!file) return;
    setError(null);
    try {
      const { id } = await api<{ id: string }>('/imports', { method: 'POST', body: { format, csv: file.text, dryRun: asDryRun, balances } });
      setCurrent(await api<ImportStatus>(`/imports/${id}`));
    } catch (failure) {
      setError((failure as Error).message);
    }
  };

  const cancel = async () => {
    if (!current) return;
    setError(null);
    try {
      await api(`/imports/${current.id}/cancel`, { method: 'POST' });
    } catch (failure) {
      // 409: it ended meanwhile; the status read below shows how.
      if (!(failure instanceof ApiError && failure.status === 409)) setError((failure as Error).message);
    }
    setCurrent(await api<ImportStatus>(`/imports/${current.id}`));
  };

  const percent = current && current.total > 0 ? Math.round((100 * current.processed) / current.total) : 0;
  return (
    <Page title={t('imports.title')} subtitle={t('imports.subtitle')}>
      <BlockStack gap="400">
        {error && (
          <Banner tone="critical" onDismiss={() => setError(null)}>
            {error}
          </Banner>
        )}
        <Card>
          <BlockStack gap="300">
            <Select label="The file comes from" options={FORMATS} value={format} onChange={setFormat} helpText={FORMAT_HELP[format]} />
            <ChoiceList
              title="Balances in the file"
              choices={[
                {
                  label: 'Set each customer’s balance to the file’s',
                  value: 'set',
                  helpText: 'A customer with 59 points and 100 in the file ends with 100. Use this when switching apps.',
                },
                {
                  label: 'Add the file’s balance to what each customer has',
                  value: 'add',
                  helpText: 'A customer with 59 points and 100 in the file ends with 159.',
                },
              ]}
              selected={[balances]}
              onChange={([chosen]) => setBalances(chosen === 'add' ? 'add' : 'set')}
            />
            <DropZone
              accept=".csv,text/csv"
              allowMultiple={false}
              onDrop={(files: File[]) => {
                const [dropped] = files;
                if (dropped) void dropped.text().then((text) => setFile({ name: dropped.name, text }));
              }}
            >
              {file ? (
                <Text as="p" alignment="center">
                  {file.name}
                </Text>
              ) : (
                <DropZone.FileUpload actionHint="A CSV export" />
              )}
            </DropZone>
            <Checkbox label="Preview first (dry run): show what would change without changing anything" checked={dryRun} onChange={setDryRun} />
            <InlineStack gap="200">
              <Button variant="primary" disabled={!file || current?.status === 'running'} onClick={() => void start(dryRun)}>
                {dryRun ? 'Preview import' : 'Import'}
              </Button>
              {current?.dryRun && current.status === 'done' && <Button onClick={() => void start(false)}>Import these changes</Button>}
            </InlineStack>
          </BlockStack>
        </Card>
        {current && (
          <Card>
            <BlockStack gap="300">
              <InlineStack gap="200" blockAlign="center">
                <Text as="h2" variant="headingMd">
                  {current.dryRun ? 'Preview' : 'Import'}
                </Text>
                <Badge
                  tone={
                    current.status === 'done'
                      ? 'success'
                      : current.status === 'failed'
                        ? 'critical'
                        : current.status === 'cancelled'
                          ? 'warning'
                          : 'info'
                  }
                >
                  {current.status}
                </Badge>
                {current.status === 'running' && (
                  <Button tone="critical" variant="plain" onClick={() => void cancel()}>
                    Cancel import
                  </Button>
                )}
              </InlineStack>
              {current.message ? (
                <Banner tone="critical" title={current.dryRun ? 'The file could not be previewed' : 'The file could not be imported'}>
                  <p>{current.message}</p>
                </Banner>
              ) : (
                <>
                  <ProgressBar progress={percent} tone="primary" />
                  <Text as="p">{`${current.processed.toLocaleString('en')} of ${plural(current.total, 'row', 'rows')} read`}</Text>
                  <Text as="p" id="import-summary">
                    {`${plural(current.summary.customersChanged, 'customer', 'customers')} of ${current.summary.customers.toLocaleString('en')} ${current.dryRun ? 'would change' : 'changed'}: +${current.summary.pointsAdded.toLocaleString('en')} / −${current.summary.pointsRemoved.toLocaleString('en')} points. Balances ${current.balances === 'set' ? 'set to the file’s' : 'added to'}.`}
                  </Text>
                </>
              )}
              {current.errorCount > 0 && (
                <BlockStack gap="200">
                  <Text as="h3" variant="headingSm">
                    {current.errorCount === 1 ? '1 row to fix in the file' : `${current.errorCount.toLocaleString('en')} rows to fix in the file`}
                  </Text>
                  <ResponsiveTable
                    label="Rows to fix"
                    columnContentTypes={['numeric', 'text', 'text']}
                    headings={['Line', 'Column', 'What to fix']}
                    rows={current.errors.map((row) => [row.row, row.column, row.message])}
                  />
                </BlockStack>
              )}
              {current.changes.length > 0 && (
                <ResponsiveTable
                  label={current.dryRun ? 'Changes the import would make' : 'Changes the import made'}
                  columnContentTypes={['numeric', 'text', 'numeric', 'numeric', 'numeric', 'text']}
                  headings={['Line', 'Customer', 'Balance now', 'Change', 'Balance after', 'Tier']}
                  rows={current.changes.map((change) => [
                    change.row,
                    change.email ?? change.customerId,
                    change.balanceBefore,
                    change.points,
                    change.balanceAfter,
                    change.tier ?? '',
                  ])}
                />
              )}
            </BlockStack>
          </Card>
        )}
        <BackfillSection />
        <IntegrationsSection />
        <ApiKeysSection />
        <GroupSection />
      </BlockStack>
    </Page>
  );
}

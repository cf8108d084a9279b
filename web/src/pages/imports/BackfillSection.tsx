import { Badge, Banner, BlockStack, Button, Card, InlineStack, ProgressBar, Text, TextField } from '@shopify/polaris';
import { useEffect, useState } from 'react';
import { api, ApiError } from '../../api.js';

interface BackfillStatus {
  id: string;
  since: string;
  pointsPerCurrencyUnit: number;
  status: 'running' | 'done' | 'failed';
  stage: 'starting' | 'querying_shopify' | 'crediting' | 'finished';
  message: string | null;
  processed: number;
  total: number | null;
  credited: number;
  alreadyCredited: number;
  skipped: number;
  points: number;
}

const POLL_MS = 2000;
const STAGES: Record<BackfillStatus['stage'], string> = {
  starting: 'Starting',
  querying_shopify: 'Shopify is gathering the orders',
  crediting: 'Crediting orders',
  finished: 'Finished',
};

/** Credit orders from before install: a start date and a rate; progress while Shopify's bulk operation runs and orders are credited. */
export function BackfillSection() {
  const [since, setSince] = useState('');
  const [rate, setRate] = useState('');
  const [current, setCurrent] = useState<BackfillStatus | null>(null);
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    if (!current || current.status !== 'running') return;
    const timer = setTimeout(() => {
      api<BackfillStatus>(`/backfills/${current.id}`).then(setCurrent, (failure: Error) => setError(failure.message));
    }, POLL_MS);
    return () => clearTimeout(timer);
  }, [current]);

  const start = async () => {
    setError(null);
    setErrors({});
    try {
      const body = { since, ...(rate.trim() === '' ? {} : { pointsPerCurrencyUnit: Number(rate) }) };
      const { id } = await api<{ id: string }>('/backfills', { method: 'POST', body });
      setCurrent(await api<BackfillStatus>(`/backfills/${id}`));
    } catch (failure) {
      if (failure instanceof ApiError) setErrors(failure.errors);
      setError((failure as Error).message);
    }
  };

  const percent = current?.total ? Math.round((100 * current.processed) / current.total) : current?.status === 'done' ? 100 : 0;
  return (
    <Card>
      <BlockStack gap="300">
        <Text as="h2" variant="headingMd">
          Credit past orders
        </Text>
        <Text as="p" tone="subdued">
          Paid orders since the date earn points once, at the rate you give (or the program's). Orders already credited, test orders, cancelled and
          unpaid orders and gift cards earn nothing; running it again credits nothing twice.
        </Text>
        {error && (
          <Banner tone="critical" onDismiss={() => setError(null)}>
            {error}
          </Banner>
        )}
        <InlineStack gap="300" blockAlign="end">
          <TextField label="Orders since" type="date" value={since} onChange={setSince} autoComplete="off" error={errors.since} />
          <TextField
            label="Points per currency unit"
            type="number"
            value={rate}
            onChange={setRate}
            autoComplete="off"
            placeholder="The program's rate"
            error={errors.pointsPerCurrencyUnit}
          />
          <Button variant="primary" disabled={since === '' || current?.status === 'running'} onClick={() => void start()}>
            Credit past orders
          </Button>
        </InlineStack>
        {current && (
          <BlockStack gap="200">
            <InlineStack gap="200" blockAlign="center">
              <Text as="h3" variant="headingSm">{`Since ${current.since}, ${current.pointsPerCurrencyUnit} points per unit`}</Text>
              <Badge tone={current.status === 'done' ? 'success' : current.status === 'failed' ? 'critical' : 'info'}>{STAGES[current.stage]}</Badge>
            </InlineStack>
            <ProgressBar progress={percent} tone={current.status === 'failed' ? 'critical' : 'primary'} />
            <Text as="p">
              {current.total === null
                ? 'Waiting for Shopify'
                : `${current.processed} of ${current.total} orders: ${current.credited} credited (${current.points} points), ${current.alreadyCredited} already credited, ${current.skipped} not eligible`}
            </Text>
            {current.message && <Banner tone={current.status === 'failed' ? 'critical' : 'info'}>{current.message}</Banner>}
          </BlockStack>
        )}
      </BlockStack>
    </Card>
  );
}

import { Badge, Banner, BlockStack, Button, Card, ChoiceList, DataTable, InlineStack, Text, TextField } from '@shopify/polaris';
import { useCallback, useEffect, useState } from 'react';
import type { OutboundEventType } from '../../../../server/outbound/events.js';
import { api, ApiError } from '../../api.js';

interface Endpoint {
  id: string;
  url: string;
  events: string[];
  createdAt: string;
}
interface Delivery {
  id: string;
  target: string;
  eventId: string;
  type: string;
  status: 'pending' | 'delivered' | 'failed';
  attempts: number;
  lastStatus: number | null;
  lastError: string | null;
  nextAttemptAt: string | null;
  createdAt: string;
}

// Keyed by the server's list of events, so a new event cannot reach the API without a label here.
const EVENT_LABELS: Record<OutboundEventType, string> = {
  'points.earned': 'Points earned',
  'points.redeemed': 'Points redeemed',
  'tier.changed': 'Tier changed',
  'points.expiring': 'Points expiring soon',
  'offer.issued': 'Offer issued (win-back, birthday month)',
};

const eventLabel = (event: string): string => (event in EVENT_LABELS ? EVENT_LABELS[event as OutboundEventType] : event);

/** Webhooks to the merchant's other tools (email, CRM): endpoints with their signing secret, and the delivery log with Flow's. */
export function IntegrationsSection() {
  const [endpoints, setEndpoints] = useState<Endpoint[]>([]);
  const [deliveries, setDeliveries] = useState<Delivery[]>([]);
  const [flowTriggers, setFlowTriggers] = useState<string[]>([]);
  const [url, setUrl] = useState('');
  const [events, setEvents] = useState<string[]>(Object.keys(EVENT_LABELS));
  const [secret, setSecret] = useState<string | null>(null);
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [error, setError] = useState<string | null>(null);

  const load = useCallback(async () => {
    const [listed, log] = await Promise.all([
      api<{ endpoints: Endpoint[] }>('/outbound/endpoints'),
      api<{ deliveries: Delivery[]; flowTriggers: string[] }>('/outbound/deliveries'),
    ]);
    setEndpoints(listed.endpoints);
    setDeliveries(log.deliveries);
    setFlowTriggers(log.flowTriggers);
  }, []);
  useEffect(() => {
    load().catch((failure: Error) => setError(failure.message));
  }, [load]);

  const add = async () => {
    setErrors({});
    setError(null);
    try {
      const created = await api<Endpoint & { secret: string }>('/outbound/endpoints', { method: 'POST', body: { url, events } });
      setSecret(created.secret);
      setUrl('');
      await load();
    } catch (failure) {
      if (failure instanceof ApiError) setErrors(failure.errors);
      setError((failure as Error).message);
    }
  };
  const remove = async (id: string) => {
    try {
      await api(`/outbound/endpoints/${id}`, { method: 'DELETE' });
      await load();
    } catch (failure) {
      setError((failure as Error).message);
    }
  };
  const endpointUrl = (target: string) =>
    target === 'flow' ? 'Shopify Flow' : (endpoints.find((endpoint) => endpoint.id === target)?.url ?? 'removed endpoint');

  return (
    <Card>
      <BlockStack gap="300">
        <Text as="h2" variant="headingMd">
          Webhooks to your other tools
        </Text>
        <Text as="p" tone="subdued">
          Each event is sent as JSON with an X-Tally-Signature header: t=&lt;time&gt;,v1=&lt;HMAC-SHA256 of time.body with the endpoint's secret&gt;;
          refuse times more than 5 minutes old. The endpoint must be a public https address (port 443 or 8443). A failed delivery is retried 7 times
          over about 11 hours. Shopify Flow gets the same events as triggers once a workflow uses them
          {flowTriggers.length > 0 ? ` (in use: ${flowTriggers.join(', ')})` : ''}.
        </Text>
        {error && (
          <Banner tone="critical" onDismiss={() => setError(null)}>
            {error}
          </Banner>
        )}
        {secret && (
          <Banner tone="warning" title="Copy the signing secret now: it is not shown again" onDismiss={() => setSecret(null)}>
            <Text as="p" fontWeight="bold">
              {secret}
            </Text>
          </Banner>
        )}
        <TextField label="Endpoint URL" value={url} onChange={setUrl} autoComplete="off" placeholder="https://" error={errors.url} />
        <ChoiceList
          allowMultiple
          title="Events"
          choices={Object.entries(EVENT_LABELS).map(([value, label]) => ({ value, label }))}
          selected={events}
          onChange={setEvents}
          error={errors.events}
        />
        <InlineStack>
          <Button variant="primary" disabled={url.trim() === '' || events.length === 0} onClick={() => void add()}>
            Add endpoint
          </Button>
        </InlineStack>
        {endpoints.length > 0 && (
          <DataTable
            columnContentTypes={['text', 'text', 'text']}
            headings={['Endpoint', 'Events', '']}
            rows={endpoints.map((endpoint) => [
              endpoint.url,
              endpoint.events.map(eventLabel).join(', '),
              <Button key={endpoint.id} variant="plain" tone="critical" onClick={() => void remove(endpoint.id)}>
                Remove
              </Button>,
            ])}
          />
        )}
        <InlineStack gap="200" blockAlign="center">
          <Text as="h3" variant="headingSm">
            Deliveries
          </Text>
          <Button variant="plain" onClick={() => void load()}>
            Refresh
          </Button>
        </InlineStack>
        {deliveries.length === 0 ? (
          <Text as="p" tone="subdued">
            No deliveries yet.
          </Text>
        ) : (
          <DataTable
            columnContentTypes={['text', 'text', 'text', 'numeric', 'text']}
            headings={['Event', 'To', 'Status', 'Attempts', 'Last answer']}
            rows={deliveries.map((delivery) => [
              `${eventLabel(delivery.type)} · ${new Date(delivery.createdAt).toLocaleString()}`,
              endpointUrl(delivery.target),
              <Badge key={delivery.id} tone={delivery.status === 'delivered' ? 'success' : delivery.status === 'failed' ? 'critical' : 'attention'}>
                {delivery.status === 'pending' && delivery.nextAttemptAt
                  ? `retry ${new Date(delivery.nextAttemptAt).toLocaleTimeString()}`
                  : delivery.status}
              </Badge>,
              delivery.attempts,
              delivery.lastError ?? (delivery.lastStatus === null ? '' : String(delivery.lastStatus)),
            ])}
          />
        )}
      </BlockStack>
    </Card>
  );
}

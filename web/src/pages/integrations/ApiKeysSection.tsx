import { Badge, Banner, BlockStack, Button, Card, ChoiceList, InlineStack, Modal, Text, TextField } from '@shopify/polaris';
import { useCallback, useEffect, useState } from 'react';
import { api, ApiError } from '../../api.js';
import { ResponsiveTable } from '../ResponsiveTable.js';

interface ApiKey {
  id: string;
  name: string;
  scopes: string[];
  prefix: string;
  createdAt: string;
}

/** The headless API's scopes (server/headless/api-keys.ts) in the merchant's words. */
const SCOPES = [
  { value: 'balances:read', label: 'Read balances', helpText: 'GET /v1/customers/{id}/balance' },
  { value: 'history:read', label: 'Read points history', helpText: 'GET /v1/customers/{id}/history' },
  { value: 'redemptions:write', label: 'Redeem rewards', helpText: 'POST /v1/customers/{id}/redemptions: spends the customer’s points' },
];
const scopeLabel = (scope: string) => SCOPES.find((candidate) => candidate.value === scope)?.label ?? scope;

/**
 * Keys for the headless API (docs/headless.md): create one with a name and the scopes a tool
 * needs, copy it once (Tally keeps only a hash), revoke it when the tool no longer needs it.
 */
export function ApiKeysSection() {
  const [keys, setKeys] = useState<ApiKey[] | null>(null);
  const [name, setName] = useState('');
  const [scopes, setScopes] = useState<string[]>(['balances:read']);
  const [created, setCreated] = useState<{ name: string; key: string } | null>(null);
  const [copied, setCopied] = useState(false);
  const [revoking, setRevoking] = useState<ApiKey | null>(null);
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [error, setError] = useState<string | null>(null);

  const load = useCallback(() => {
    api<{ keys: ApiKey[] }>('/api-keys').then(
      (body) => setKeys(body.keys),
      (failure: Error) => setError(failure.message),
    );
  }, []);
  useEffect(load, [load]);

  const create = async () => {
    setError(null);
    try {
      const answer = await api<ApiKey & { key: string }>('/api-keys', { method: 'POST', body: { name, scopes } });
      setCreated({ name: answer.name, key: answer.key });
      setCopied(false);
      setName('');
      setErrors({});
      load();
    } catch (failure) {
      if (failure instanceof ApiError && failure.status === 422) setErrors(failure.errors);
      else setError(failure instanceof Error ? failure.message : String(failure));
    }
  };
  const revoke = async (key: ApiKey) => {
    try {
      await api(`/api-keys/${key.id}`, { method: 'DELETE' });
      setRevoking(null);
      load();
    } catch (failure) {
      setRevoking(null);
      setError(failure instanceof Error ? failure.message : String(failure));
    }
  };
  const copy = async (key: string) => {
    try {
      await navigator.clipboard.writeText(key);
      setCopied(true);
    } catch {
      // Clipboard access can be refused inside the admin's frame: the key stays selectable on screen.
      setCopied(false);
    }
  };

  return (
    <Card>
      <BlockStack gap="300">
        <Text as="h2" variant="headingMd">
          Headless API keys
        </Text>
        <Text as="p" tone="subdued">
          For your own apps and tools: read balances and history, or redeem rewards, through Tally’s /v1 API. Give each tool its own key with only the
          scopes it needs.
        </Text>
        {error && (
          <Banner tone="critical" onDismiss={() => setError(null)}>
            <p>{error}</p>
          </Banner>
        )}
        {created && (
          <div id="api-key-created">
            <Banner tone="warning" title={`Copy the key for “${created.name}” now: it will not be shown again`} onDismiss={() => setCreated(null)}>
              <BlockStack gap="200">
                <TextField label="New API key" value={created.key} readOnly autoComplete="off" monospaced selectTextOnFocus />
                <InlineStack gap="200" blockAlign="center">
                  <Button onClick={() => void copy(created.key)}>Copy key</Button>
                  {copied && <Badge tone="success">Copied</Badge>}
                </InlineStack>
              </BlockStack>
            </Banner>
          </div>
        )}
        <TextField label="Key name" value={name} onChange={setName} autoComplete="off" placeholder="e.g. Mobile app" error={errors.name} />
        <ChoiceList title="What the key may do" allowMultiple choices={SCOPES} selected={scopes} onChange={setScopes} error={errors.scopes} />
        <InlineStack>
          <Button variant="primary" onClick={() => void create()} disabled={name.trim() === '' || scopes.length === 0}>
            Create key
          </Button>
        </InlineStack>
        {keys === null ? null : keys.length === 0 ? (
          <Text as="p" tone="subdued">
            No keys yet.
          </Text>
        ) : (
          <ResponsiveTable
            label="API keys"
            columnContentTypes={['text', 'text', 'text', 'text', 'text']}
            headings={['Name', 'Key', 'Scopes', 'Created', 'Action']}
            rows={keys.map((key) => [
              key.name,
              `${key.prefix}…`,
              key.scopes.map(scopeLabel).join(', '),
              new Date(key.createdAt).toLocaleDateString(),
              <Button key="revoke" size="slim" tone="critical" onClick={() => setRevoking(key)} accessibilityLabel={`Revoke ${key.name}`}>
                Revoke
              </Button>,
            ])}
          />
        )}
      </BlockStack>
      {revoking && (
        <Modal
          open
          title={`Revoke “${revoking.name}”?`}
          onClose={() => setRevoking(null)}
          primaryAction={{ content: 'Revoke key', destructive: true, onAction: () => void revoke(revoking) }}
          secondaryActions={[{ content: 'Cancel', onAction: () => setRevoking(null) }]}
        >
          <Modal.Section>
            <Text as="p">Tools using this key stop working at once. This cannot be undone; create a new key if you need one again.</Text>
          </Modal.Section>
        </Modal>
      )}
    </Card>
  );
}

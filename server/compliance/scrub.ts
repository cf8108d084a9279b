/** Keys of Shopify payloads that name or locate a person; no handler needs them once the customer is redacted. */
const PERSONAL_KEYS: ReadonlySet<string> = new Set([
  'email',
  'contact_email',
  'phone',
  'first_name',
  'last_name',
  'note',
  'birthday',
  'addresses',
  'default_address',
  'billing_address',
  'shipping_address',
  'client_details',
  'browser_ip',
]);

class SourceNumber {
  constructor(readonly text: string) {}
}

function write(value: unknown): string {
  if (value instanceof SourceNumber) return value.text;
  if (Array.isArray(value)) return `[${value.map(write).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    return `{${Object.entries(value)
      .map(([key, item]) => `${JSON.stringify(key)}:${write(item)}`)
      .join(',')}}`;
  }
  return JSON.stringify(value);
}

/**
 * A stored webhook body without its personal fields, every number exactly as Shopify wrote it
 * (ids above 2^53 included), so a delivery still waiting in the inbox can be processed after the
 * customer's redaction without bringing their data back.
 */
export function withoutPersonalFields(body: string): string {
  return write(
    JSON.parse(body, (key: string, value: unknown, context?: { source?: string }) =>
      PERSONAL_KEYS.has(key) ? undefined : typeof value === 'number' ? new SourceNumber(context?.source ?? String(value)) : value,
    ),
  );
}

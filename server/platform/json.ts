/**
 * Parses JSON without losing integers beyond 2^53: Shopify's ids (orders, customers, line items)
 * exceed Number's exact range in its own example payloads, so such an integer is kept as the exact
 * digit string it was written as. Everything else parses as JSON.parse would.
 */
export function parseJsonLosslessly(text: string): unknown {
  const reviver = (_key: string, value: unknown, context?: { source?: string }): unknown =>
    typeof value === 'number' && !Number.isSafeInteger(value) && context?.source !== undefined && /^-?\d+$/.test(context.source)
      ? context.source
      : value;
  return JSON.parse(text, reviver as (key: string, value: unknown) => unknown);
}

/** A JSON number kept as Shopify wrote it: ids above 2^53 keep every digit through parse and stringify. */
export class JsonNumber {
  constructor(readonly text: string) {}
}

export type JsonValue = null | boolean | string | JsonNumber | JsonValue[] | JsonObject;
export interface JsonObject {
  [key: string]: JsonValue;
}

/** JSON.parse, with every number kept as its source text (the reviver's `source`, Node 22+). Throws SyntaxError. */
export function parseExact(text: string): JsonValue {
  return JSON.parse(text, (_key: string, value: unknown, context?: { source?: string }) =>
    typeof value === 'number' ? new JsonNumber(context?.source ?? String(value)) : value,
  ) as JsonValue;
}

export function stringifyExact(value: JsonValue): string {
  if (value instanceof JsonNumber) return value.text;
  if (Array.isArray(value)) return `[${value.map(stringifyExact).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    return `{${Object.entries(value)
      .map(([key, item]) => `${JSON.stringify(key)}:${stringifyExact(item)}`)
      .join(',')}}`;
  }
  return JSON.stringify(value);
}

export function isJsonObject(value: JsonValue | undefined): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && !(value instanceof JsonNumber);
}

/** An id as Shopify writes it: a whole number (any size) or a string of digits. */
export function idText(value: JsonValue | undefined): string | undefined {
  if (value instanceof JsonNumber) return /^\d{1,20}$/.test(value.text) ? value.text : undefined;
  return typeof value === 'string' && /^\d{1,20}$/.test(value) ? value : undefined;
}

import { z } from 'zod';

/** The few builders the OpenAPI document is written with (openapi.ts, openapi-pos.ts). */
export type Schema = Record<string, unknown>;
export const ref = (name: string): Schema => ({ $ref: `#/components/schemas/${name}` });
export const obj = (properties: Record<string, Schema>, required: string[] = Object.keys(properties)): Schema => ({
  type: 'object',
  properties,
  required,
});
export const int: Schema = { type: 'integer' };
export const str: Schema = { type: 'string' };
export const nullable = (schema: Schema): Schema => ({ anyOf: [schema, { type: 'null' }] });
export const dateTime: Schema = { type: 'string', format: 'date-time' };
export const anyObject: Schema = { type: 'object' };

/**
 * A request body's schema, derived from the zod schema its route validates with (zod's JSON Schema
 * output for what the route accepts as input), so the document cannot say otherwise than the code:
 * unknown keys are dropped, not refused, and refinements zod cannot write down (a non-zero number)
 * are left to the route's 422.
 */
export function requestSchema(schema: z.ZodType): Schema {
  const { $schema: _dialect, ...document } = z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' }) as Schema;
  return document;
}

/**
 * `schema` with `property` refusing 0 (`not: {const: 0}`): a refinement zod's JSON Schema output
 * cannot write, so the document says it where the route checks it.
 */
export function withNonZero(schema: Schema, property: string): Schema {
  const properties = schema.properties as Record<string, Schema>;
  return { ...schema, properties: { ...properties, [property]: { ...properties[property], not: { const: 0 } } } };
}

/** The query parameters a route validates with a zod object, each with its schema derived from zod. */
export function queryParameters(schema: z.ZodObject, descriptions: Record<string, string> = {}): NonNullable<Operation['params']> {
  const document = requestSchema(schema) as { properties: Record<string, Schema>; required?: string[] };
  return Object.entries(document.properties).map(([name, property]) => ({
    name,
    in: 'query' as const,
    schema: property,
    required: document.required?.includes(name) ?? false,
    ...(descriptions[name] ? { description: descriptions[name] } : {}),
  }));
}

export interface Answer {
  description: string;
  schema?: Schema;
  example?: unknown;
  /** The same answer in other media types (a CSV download), by content type. */
  also?: Record<string, { schema: Schema; example?: unknown }>;
}
export interface Operation {
  summary: string;
  tags: string[];
  security: string;
  /** A parameter has a `schema`, or `content` when its value is JSON (`?draft=<JSON>`). */
  params?: Array<{
    name: string;
    in: 'path' | 'query';
    schema?: Schema;
    content?: Record<string, { schema: Schema }>;
    required?: boolean;
    description?: string;
  }>;
  body?: { schema: Schema; example: unknown };
  responses: Record<string, Answer>;
}

/**
 * A JSON body that does not parse is a 400 on every route, one over the route's size limit a 413
 * (the app's JSON parser); a query that makes the request head too long a 431 (Node's HTTP
 * server); a bad customer id in the path a 422.
 */
function withCommonAnswers(op: Operation): Record<string, Answer> {
  return {
    ...(op.body && op.body.schema !== anyObject ? { '400': notJson } : {}),
    ...(op.body ? { '413': tooLarge } : {}),
    ...(op.params?.some((param) => param.in === 'query') ? { '431': headTooLarge } : {}),
    ...(op.params?.some((param) => param.name === 'customerId' && param.in === 'path')
      ? { '422': invalid('customerId', 'a Shopify customer id (digits)') }
      : {}),
    ...op.responses,
  };
}

export function operation(op: Operation): Schema {
  return {
    summary: op.summary,
    tags: op.tags,
    security: op.security === 'none' ? [] : [{ [op.security]: [] }],
    ...(op.params ? { parameters: op.params.map((param) => ({ ...param, required: param.in === 'path' ? true : (param.required ?? false) })) } : {}),
    ...(op.body ? { requestBody: { required: true, content: { 'application/json': { schema: op.body.schema, example: op.body.example } } } } : {}),
    responses: Object.fromEntries(
      Object.entries(withCommonAnswers(op)).map(([status, answer]) => [
        status,
        {
          description: answer.description,
          ...(answer.schema
            ? {
                content: {
                  'application/json': { schema: answer.schema, ...(answer.example !== undefined ? { example: answer.example } : {}) },
                  ...answer.also,
                },
              }
            : {}),
        },
      ]),
    ),
  };
}

export const customerPath = {
  name: 'customerId',
  in: 'path' as const,
  schema: { type: 'string', pattern: '^\\d{1,20}$' },
  description: "Shopify's numeric customer id, as a string",
};
export const errorAnswer = (description: string, error: string, message: string): Answer => ({
  description,
  schema: ref('Error'),
  example: { error, message },
});
export const invalid = (field: string, message: string): Answer => ({
  description: 'Invalid request: errors per field',
  schema: ref('Error'),
  example: { error: 'invalid_request', message: 'The request is invalid', errors: { [field]: message } },
});
export const notJson = errorAnswer('The body is not JSON', 'bad_request', 'Unexpected token, the body is not valid JSON');
export const headTooLarge: Answer = { description: 'The URL and headers together exceed 16 KB (the HTTP server refuses them, without a body)' };
export const tooLarge = errorAnswer('The body is larger than this operation accepts', 'too_large', 'request entity too large');
export const unauthorized = errorAnswer('Missing or invalid credentials', 'unauthorized', 'Authorization: Bearer <session token> is required');

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

export interface Answer {
  description: string;
  schema?: Schema;
  example?: unknown;
}
export interface Operation {
  summary: string;
  tags: string[];
  security: string;
  params?: Array<{ name: string; in: 'path' | 'query'; schema: Schema; required?: boolean; description?: string }>;
  body?: { schema: Schema; example: unknown };
  responses: Record<string, Answer>;
}

export function operation(op: Operation): Schema {
  return {
    summary: op.summary,
    tags: op.tags,
    security: op.security === 'none' ? [] : [{ [op.security]: [] }],
    ...(op.params ? { parameters: op.params.map((param) => ({ ...param, required: param.in === 'path' ? true : (param.required ?? false) })) } : {}),
    ...(op.body ? { requestBody: { required: true, content: { 'application/json': { schema: op.body.schema, example: op.body.example } } } } : {}),
    responses: Object.fromEntries(
      Object.entries(op.responses).map(([status, answer]) => [
        status,
        {
          description: answer.description,
          ...(answer.schema
            ? { content: { 'application/json': { schema: answer.schema, ...(answer.example !== undefined ? { example: answer.example } : {}) } } }
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
export const unauthorized = errorAnswer('Missing or invalid credentials', 'unauthorized', 'Authorization: Bearer <session token> is required');

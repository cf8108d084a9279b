import type { z } from 'zod';

/** A 422's `errors`: each invalid field's path and the message a person can act on. */
export function fieldErrors(error: z.ZodError): Record<string, string> {
  return Object.fromEntries(error.issues.map((issue) => [issue.path.join('.') || '(body)', issue.message]));
}

import { idToken } from './app-bridge.js';
import { requestFailure } from './errors.js';

export class ApiError extends Error {
  constructor(
    message: string,
    readonly status: number,
    readonly errors: Record<string, string>,
  ) {
    super(message);
  }
}

/** Calls the app's /api with a fresh session token; a 4xx/5xx becomes an ApiError with its field errors. */
export async function api<T>(path: string, init: { method?: string; body?: unknown } = {}): Promise<T> {
  const response = await fetch(`/api${path}`, {
    method: init.method ?? 'GET',
    headers: { Authorization: `Bearer ${await idToken()}`, ...(init.body === undefined ? {} : { 'Content-Type': 'application/json' }) },
    body: init.body === undefined ? undefined : JSON.stringify(init.body),
  });
  const body = (await response.json().catch(() => ({}))) as { message?: string; errors?: Record<string, string> } & T;
  if (!response.ok) throw new ApiError(body.message ?? requestFailure(response.status), response.status, body.errors ?? {});
  return body;
}

/** Downloads an authenticated file (a data export) through a blob URL. */
export async function download(path: string, filename: string): Promise<void> {
  const response = await fetch(`/api${path}`, { headers: { Authorization: `Bearer ${await idToken()}` } });
  if (!response.ok) throw new ApiError(requestFailure(response.status), response.status, {});
  const url = URL.createObjectURL(await response.blob());
  const link = document.createElement('a');
  link.href = url;
  link.download = filename;
  link.click();
  URL.revokeObjectURL(url);
}

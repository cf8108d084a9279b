import type { Config } from '../platform/config.js';
import { ADMIN_API_VERSION, shopifyOrigin } from './shop-domain.js';

export interface ThrottleStatus {
  maximumAvailable: number;
  currentlyAvailable: number;
  restoreRate: number;
}

interface GraphqlResponse<T> {
  data?: T;
  errors?: Array<{ message: string; extensions?: { code?: string } }>;
  extensions?: { cost?: { requestedQueryCost?: number; actualQueryCost?: number; throttleStatus?: ThrottleStatus } };
}

export class ShopifyApiError extends Error {
  override readonly name = 'ShopifyApiError';
  constructor(
    message: string,
    readonly retryable: boolean,
    readonly status?: number,
  ) {
    super(message);
  }
}

export interface AdminGraphqlOptions {
  config: Config;
  /** The shop's offline access token. */
  accessToken: (shop: string) => Promise<string>;
  maxAttempts?: number;
  baseDelayMs?: number;
  sleep?: (ms: number) => Promise<void>;
  now?: () => number;
}

export type AdminGraphql = <T>(shop: string, query: string, variables?: Record<string, unknown>, expectedCost?: number) => Promise<T>;

interface Bucket extends ThrottleStatus {
  observedAt: number;
}

/**
 * Admin GraphQL for every shop: GraphQL only, throttled per shop from the `throttleStatus` each
 * answer reports (waits when the bucket cannot cover the next query's expected cost), and retried
 * with bounded exponential backoff and jitter on THROTTLED, 5xx and network errors.
 */
export function adminGraphqlClient(options: AdminGraphqlOptions): AdminGraphql {
  const maxAttempts = options.maxAttempts ?? 5;
  const baseDelayMs = options.baseDelayMs ?? 250;
  const sleep = options.sleep ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)));
  const now = options.now ?? Date.now;
  const buckets = new Map<string, Bucket>();

  function waitForBucket(shop: string, cost: number): number {
    const bucket = buckets.get(shop);
    if (!bucket) return 0;
    const restored = Math.min(bucket.maximumAvailable, bucket.currentlyAvailable + ((now() - bucket.observedAt) / 1000) * bucket.restoreRate);
    if (restored >= cost) return 0;
    return Math.ceil(((cost - restored) / bucket.restoreRate) * 1000);
  }

  return async <T>(shop: string, query: string, variables: Record<string, unknown> = {}, expectedCost = 10): Promise<T> => {
    let lastError: ShopifyApiError | undefined;
    for (let attempt = 1; attempt <= maxAttempts; attempt++) {
      const wait = waitForBucket(shop, expectedCost);
      if (wait > 0) await sleep(wait);
      let response: Response;
      try {
        response = await fetch(`${shopifyOrigin(options.config, shop)}/admin/api/${ADMIN_API_VERSION}/graphql.json`, {
          method: 'POST',
          headers: { 'Content-Type': 'application/json', 'X-Shopify-Access-Token': await options.accessToken(shop) },
          body: JSON.stringify({ query, variables }),
          signal: AbortSignal.timeout(20_000),
        });
      } catch (error) {
        lastError = new ShopifyApiError(`network error calling Shopify for ${shop}: ${(error as Error).message}`, true);
        await sleep(backoff(attempt, baseDelayMs));
        continue;
      }
      if (response.status >= 500 || response.status === 429) {
        lastError = new ShopifyApiError(`Shopify answered ${response.status} for ${shop}`, true, response.status);
        await sleep(backoff(attempt, baseDelayMs));
        continue;
      }
      if (!response.ok) {
        throw new ShopifyApiError(
          `Shopify answered ${response.status} for ${shop}: ${(await response.text()).slice(0, 200)}`,
          false,
          response.status,
        );
      }
      const body = (await response.json()) as GraphqlResponse<T>;
      const throttle = body.extensions?.cost?.throttleStatus;
      if (throttle) buckets.set(shop, { ...throttle, observedAt: now() });
      if (body.errors?.some((error) => error.extensions?.code === 'THROTTLED')) {
        lastError = new ShopifyApiError(`Shopify throttled ${shop}`, true, 200);
        const requested = body.extensions?.cost?.requestedQueryCost ?? expectedCost;
        await sleep(Math.max(waitForBucket(shop, requested), backoff(attempt, baseDelayMs)));
        continue;
      }
      if (body.errors?.length) {
        throw new ShopifyApiError(`Shopify GraphQL errors for ${shop}: ${body.errors.map((error) => error.message).join('; ')}`, false, 200);
      }
      if (body.data === undefined) throw new ShopifyApiError(`Shopify answered without data for ${shop}`, false, 200);
      return body.data;
    }
    throw lastError ?? new ShopifyApiError(`Shopify call for ${shop} failed`, true);
  };
}

function backoff(attempt: number, baseDelayMs: number): number {
  const ceiling = Math.min(10_000, baseDelayMs * 2 ** (attempt - 1));
  return Math.round(ceiling / 2 + Math.random() * (ceiling / 2));
}

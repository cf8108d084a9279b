import path from 'node:path';
import { z } from 'zod';

export type Mode = 'development' | 'production';

export interface Config {
  mode: Mode;
  port: number;
  /** The interface the HTTP server binds to; undefined = every interface (production's default). */
  host: string | undefined;
  appUrl: string;
  shopifyApiKey: string;
  shopifyApiSecret: string;
  /** True when the key and secret are the built-in dev values (dev mode only). */
  usingDevCredentials: boolean;
  mongodbUri: string | undefined;
  dataDir: string;
  logLevel: string;
  /** App-proxy requests a customer may make per minute (an IP may make ten times as many). */
  proxyRateLimitPerMinute: number;
  /** Proxies in front of the app whose X-Forwarded-For is trusted (the load balancer); 0 trusts none. */
  trustProxyHops: number;
  /** TOKEN_ENCRYPTION_KEY's keys (the first seals, all open); empty in dev mode without it (a key file in DATA_DIR is used). */
  tokenEncryptionKeys: Buffer[];
}

export const DEV_API_KEY = 'tally-dev-client-id';
export const DEV_API_SECRET = 'tally-dev-client-secret-not-for-production';

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

const optionalText = z
  .string()
  .trim()
  .transform((value) => (value === '' ? undefined : value))
  .optional();

function isBase64Key(value: string): boolean {
  const key = Buffer.from(value, 'base64');
  return key.length === 32 && key.toString('base64') === value;
}

const envSchema = z.object({
  NODE_ENV: z
    .enum(['production', 'development', 'test'], { message: 'expected production, development or test (or unset for development)' })
    .optional(),
  HOST: z
    .string()
    .trim()
    .regex(/^[0-9A-Za-z.:-]+$/, 'expected an address or host name to bind to, such as 127.0.0.1 or 0.0.0.0')
    .optional(),
  PORT: z
    .string()
    .trim()
    .regex(/^\d+$/, 'expected a whole number between 0 and 65535')
    .transform(Number)
    .refine((port) => port <= 65535, 'expected a whole number between 0 and 65535')
    .optional(),
  SHOPIFY_API_KEY: optionalText,
  SHOPIFY_API_SECRET: optionalText,
  SHOPIFY_APP_URL: z.url({ message: 'expected an absolute URL such as https://tally.example.com' }).optional(),
  MONGODB_URI: z
    .string()
    .trim()
    .regex(/^mongodb(\+srv)?:\/\//, 'expected a connection string starting with mongodb:// or mongodb+srv://')
    .optional(),
  DATA_DIR: optionalText,
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).optional(),
  PROXY_RATE_LIMIT: z
    .string()
    .trim()
    .regex(/^[1-9]\d{0,6}$/, 'expected a whole number of requests per minute')
    .transform(Number)
    .optional(),
  TRUST_PROXY_HOPS: z
    .string()
    .trim()
    .regex(/^\d{1,2}$/, 'expected the number of proxies in front of the app (0, 1, 2 ...)')
    .transform(Number)
    .optional(),
  TOKEN_ENCRYPTION_KEY: z
    .string()
    .transform((value) => value.split(',').map((key) => key.trim()))
    .refine(
      (keys) => keys.every(isBase64Key),
      'expected 32 random bytes in base64 (openssl rand -base64 32), several separated by commas when rotating',
    )
    .optional(),
});

/** Reads and validates the environment once; every problem is named with its variable. */
export function loadConfig(env: NodeJS.ProcessEnv, cwd = process.cwd()): Config {
  // An empty variable means "not set", as shells and .env files commonly write it.
  const given = Object.fromEntries(Object.entries(env).filter(([, value]) => value !== undefined && value.trim() !== ''));
  const parsed = envSchema.safeParse(given);
  if (!parsed.success) {
    throw new ConfigError(parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`));
  }
  const vars = parsed.data;
  // NODE_ENV=test runs as development: the tests drive the devstore.
  const mode: Mode = vars.NODE_ENV === 'production' ? 'production' : 'development';

  const problems: string[] = [];
  if (mode === 'production') {
    if (!vars.SHOPIFY_API_KEY) problems.push("SHOPIFY_API_KEY: the app's client id from the Partner Dashboard is required in production");
    if (vars.SHOPIFY_API_KEY === DEV_API_KEY) problems.push('SHOPIFY_API_KEY: the dev client id cannot be used in production');
    if (!vars.SHOPIFY_API_SECRET) problems.push("SHOPIFY_API_SECRET: the app's client secret is required in production");
    if (vars.SHOPIFY_API_SECRET === DEV_API_SECRET) problems.push('SHOPIFY_API_SECRET: the dev secret cannot be used in production');
    if (!vars.SHOPIFY_APP_URL) problems.push("SHOPIFY_APP_URL: the app's public https URL is required in production");
    else if (!vars.SHOPIFY_APP_URL.startsWith('https://'))
      problems.push('SHOPIFY_APP_URL: production requires an https URL (Shopify calls the app only over https)');
    if (!vars.MONGODB_URI)
      problems.push('MONGODB_URI: production needs an external MongoDB (replica set or Atlas); the embedded database is for dev only');
    if (!vars.TOKEN_ENCRYPTION_KEY)
      problems.push(
        'TOKEN_ENCRYPTION_KEY: production needs the key that encrypts offline access tokens (32 random bytes in base64: openssl rand -base64 32)',
      );
  } else if (vars.SHOPIFY_API_SECRET && vars.SHOPIFY_API_SECRET !== DEV_API_SECRET) {
    // Dev mode runs the devstore, which signs session tokens and webhooks with this secret for any shop.
    problems.push(
      'SHOPIFY_API_SECRET: dev mode runs the devstore, which mints session tokens with this secret; leave it unset in dev mode, or set NODE_ENV=production',
    );
  }
  if (problems.length > 0) throw new ConfigError(problems);

  const port = vars.PORT ?? 3000;
  const usingDevCredentials = !vars.SHOPIFY_API_KEY || !vars.SHOPIFY_API_SECRET;
  return {
    mode,
    port,
    host: vars.HOST ?? (mode === 'development' ? '127.0.0.1' : undefined),
    appUrl: (vars.SHOPIFY_APP_URL ?? `http://localhost:${port}`).replace(/\/$/, ''),
    shopifyApiKey: vars.SHOPIFY_API_KEY ?? DEV_API_KEY,
    shopifyApiSecret: vars.SHOPIFY_API_SECRET ?? DEV_API_SECRET,
    usingDevCredentials,
    mongodbUri: vars.MONGODB_URI,
    dataDir: path.resolve(cwd, vars.DATA_DIR ?? '.data'),
    logLevel: vars.LOG_LEVEL ?? 'info',
    proxyRateLimitPerMinute: vars.PROXY_RATE_LIMIT ?? 120,
    trustProxyHops: vars.TRUST_PROXY_HOPS ?? 0,
    tokenEncryptionKeys: (vars.TOKEN_ENCRYPTION_KEY ?? []).map((key) => Buffer.from(key, 'base64')),
  };
}

import { isIP } from 'node:net';
import path from 'node:path';
import { z } from 'zod';

export type Mode = 'development' | 'production';

/**
 * Who answers for the shops the app talks to. `devstore`: the project's stand-in for Shopify, in dev
 * mode without the app's own credentials. `shopify`: the real `https://{shop}`, in production and in
 * real-store mode (dev mode with the app's own credentials, as `shopify app dev` starts it).
 */
export type ShopifyBackend = 'devstore' | 'shopify';

export interface Config {
  mode: Mode;
  shopify: ShopifyBackend;
  /** Which mode and why, in a sentence for the start-up log. */
  modeReason: string;
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
  /** The access scopes Shopify CLI passes in SCOPES (undefined when unset: shopify.app.toml's hold). */
  scopes: string[] | undefined;
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

/** `HOST` holds a URL when Shopify CLI starts the app (the tunnel's), and a bind address otherwise. */
const isUrl = (value: string): boolean => /^https?:\/\//i.test(value);

const appUrlSchema = z.url({ message: 'expected an absolute URL such as https://tally.example.com' }).optional();

const portSchema = z
  .string()
  .trim()
  .regex(/^\d+$/, 'expected a whole number between 0 and 65535')
  .transform(Number)
  .refine((port) => port <= 65535, 'expected a whole number between 0 and 65535')
  .optional();

/** Loopback: the only interfaces the devstore, which hands out session tokens for any shop, may listen on. */
export function isLoopback(host: string): boolean {
  const address = host.replace(/^\[(.*)\]$/, '$1').toLowerCase();
  if (address === 'localhost') return true;
  if (isIP(address) === 4) return address.startsWith('127.');
  return address === '::1' || /^::ffff:127\./.test(address);
}

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
    .refine(
      (host) => (isUrl(host) ? z.url().safeParse(host).success : /^[0-9A-Za-z.:[\]-]+$/.test(host)),
      'expected an address or host name to bind to (such as 127.0.0.1), or the app URL Shopify CLI passes (such as https://example.trycloudflare.com)',
    )
    .optional(),
  PORT: portSchema,
  BACKEND_PORT: portSchema,
  SHOPIFY_API_KEY: optionalText,
  SHOPIFY_API_SECRET: optionalText,
  SHOPIFY_APP_URL: appUrlSchema,
  APP_URL: appUrlSchema,
  SCOPES: z
    .string()
    .transform((value) => value.split(',').map((scope) => scope.trim()))
    .refine(
      (scopes) => scopes.every((scope) => /^[a-z_]+$/.test(scope)),
      'expected access scopes separated by commas, such as read_orders,write_discounts',
    )
    .optional(),
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

  const hostIsUrl = vars.HOST !== undefined && isUrl(vars.HOST);
  const bindHost = hostIsUrl ? undefined : vars.HOST;
  const givenAppUrl = vars.SHOPIFY_APP_URL ?? vars.APP_URL ?? (hostIsUrl ? vars.HOST : undefined);
  // The mode follows the secret: the devstore signs session tokens and webhooks with it for any
  // shop, so it runs only with the built-in dev secret and never with an app's real one.
  const realSecret = vars.SHOPIFY_API_SECRET !== undefined && vars.SHOPIFY_API_SECRET !== DEV_API_SECRET;
  const shopify: ShopifyBackend = mode === 'production' || realSecret ? 'shopify' : 'devstore';

  const problems: string[] = [];
  if (mode === 'production') {
    if (!vars.SHOPIFY_API_KEY) problems.push("SHOPIFY_API_KEY: the app's client id from the Partner Dashboard is required in production");
    if (vars.SHOPIFY_API_KEY === DEV_API_KEY) problems.push('SHOPIFY_API_KEY: the dev client id cannot be used in production');
    if (!vars.SHOPIFY_API_SECRET) problems.push("SHOPIFY_API_SECRET: the app's client secret is required in production");
    if (vars.SHOPIFY_API_SECRET === DEV_API_SECRET) problems.push('SHOPIFY_API_SECRET: the dev secret cannot be used in production');
    if (!givenAppUrl) problems.push("SHOPIFY_APP_URL: the app's public https URL is required in production (or APP_URL, or HOST as a URL)");
    else if (!givenAppUrl.startsWith('https://'))
      problems.push('SHOPIFY_APP_URL: production requires an https URL (Shopify calls the app only over https)');
    if (!vars.MONGODB_URI)
      problems.push('MONGODB_URI: production needs an external MongoDB (replica set or Atlas); the embedded database is for dev only');
    if (!vars.TOKEN_ENCRYPTION_KEY)
      problems.push(
        'TOKEN_ENCRYPTION_KEY: production needs the key that encrypts offline access tokens (32 random bytes in base64: openssl rand -base64 32)',
      );
  } else if (shopify === 'shopify') {
    if (!vars.SHOPIFY_API_KEY)
      problems.push("SHOPIFY_API_KEY: real-store mode (SHOPIFY_API_SECRET is set to your app's secret) needs the app's client id as well");
    else if (vars.SHOPIFY_API_KEY === DEV_API_KEY)
      problems.push("SHOPIFY_API_KEY: the dev client id cannot go with a real secret; set your app's client id (real-store mode)");
  } else if (bindHost && !isLoopback(bindHost)) {
    problems.push(
      `HOST: devstore mode listens on loopback only (127.0.0.1, ::1 or localhost), because the devstore hands out session tokens for any shop to whoever reaches it; got ${bindHost}. ` +
        "To listen on other interfaces, run without the devstore: your app's own SHOPIFY_API_KEY and SHOPIFY_API_SECRET (real-store mode) or NODE_ENV=production",
    );
  }
  if (problems.length > 0) throw new ConfigError(problems);

  const port = vars.PORT ?? vars.BACKEND_PORT ?? 3000;
  const usingDevCredentials = !vars.SHOPIFY_API_KEY || !vars.SHOPIFY_API_SECRET;
  return {
    mode,
    shopify,
    modeReason: modeReason(mode, shopify, vars.SHOPIFY_API_SECRET),
    port,
    host: bindHost ?? (mode === 'development' ? '127.0.0.1' : undefined),
    appUrl: (givenAppUrl ?? `http://localhost:${port}`).replace(/\/$/, ''),
    shopifyApiKey: vars.SHOPIFY_API_KEY ?? DEV_API_KEY,
    shopifyApiSecret: vars.SHOPIFY_API_SECRET ?? DEV_API_SECRET,
    usingDevCredentials,
    mongodbUri: vars.MONGODB_URI,
    dataDir: path.resolve(cwd, vars.DATA_DIR ?? '.data'),
    logLevel: vars.LOG_LEVEL ?? 'info',
    proxyRateLimitPerMinute: vars.PROXY_RATE_LIMIT ?? 120,
    trustProxyHops: vars.TRUST_PROXY_HOPS ?? 0,
    scopes: vars.SCOPES,
    tokenEncryptionKeys: (vars.TOKEN_ENCRYPTION_KEY ?? []).map((key) => Buffer.from(key, 'base64')),
  };
}

function modeReason(mode: Mode, shopify: ShopifyBackend, secret: string | undefined): string {
  if (mode === 'production') return 'production (NODE_ENV=production): the real Shopify, no devstore';
  if (shopify === 'shopify')
    return "real-store mode: SHOPIFY_API_SECRET is the app's own secret, so the app talks to the real https://{shop} and the devstore is off";
  return secret
    ? 'devstore mode: SHOPIFY_API_SECRET is the built-in dev secret, so the devstore stands in for Shopify'
    : "devstore mode: no SHOPIFY_API_SECRET, so the devstore stands in for Shopify (set your app's SHOPIFY_API_KEY and SHOPIFY_API_SECRET for real-store mode)";
}

import path from 'node:path';
import { z } from 'zod';

export type Mode = 'development' | 'production';

export interface Config {
  mode: Mode;
  port: number;
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

const envSchema = z.object({
  NODE_ENV: optionalText,
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
  PROXY_RATE_LIMIT: z.string().trim().regex(/^[1-9]\d{0,6}$/, 'expected a whole number of requests per minute').transform(Number).optional(),
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
  const mode: Mode = vars.NODE_ENV === 'production' ? 'production' : 'development';

  if (mode === 'production') {
    const missing: string[] = [];
    if (!vars.SHOPIFY_API_KEY) missing.push('SHOPIFY_API_KEY: the app\'s client id from the Partner Dashboard is required in production');
    if (!vars.SHOPIFY_API_SECRET) missing.push('SHOPIFY_API_SECRET: the app\'s client secret is required in production');
    if (vars.SHOPIFY_API_SECRET === DEV_API_SECRET) missing.push('SHOPIFY_API_SECRET: the dev secret cannot be used in production');
    if (!vars.SHOPIFY_APP_URL) missing.push('SHOPIFY_APP_URL: the app\'s public https URL is required in production');
    if (!vars.MONGODB_URI) missing.push('MONGODB_URI: production needs an external MongoDB (replica set or Atlas); the embedded database is for dev only');
    if (missing.length > 0) throw new ConfigError(missing);
  }

  const port = vars.PORT ?? 3000;
  const usingDevCredentials = !vars.SHOPIFY_API_KEY || !vars.SHOPIFY_API_SECRET;
  return {
    mode,
    port,
    appUrl: (vars.SHOPIFY_APP_URL ?? `http://localhost:${port}`).replace(/\/$/, ''),
    shopifyApiKey: vars.SHOPIFY_API_KEY ?? DEV_API_KEY,
    shopifyApiSecret: vars.SHOPIFY_API_SECRET ?? DEV_API_SECRET,
    usingDevCredentials,
    mongodbUri: vars.MONGODB_URI,
    dataDir: path.resolve(cwd, vars.DATA_DIR ?? '.data'),
    logLevel: vars.LOG_LEVEL ?? 'info',
    proxyRateLimitPerMinute: vars.PROXY_RATE_LIMIT ?? 120,
  };
}

import '@shopify/shopify-api/adapters/node';
import { ApiVersion, shopifyApi } from '@shopify/shopify-api';
import type { Config } from '../platform/config.js';
import { isShopDomain } from './shop-domain.js';

export interface SessionTokenClaims {
  shop: string;
  /** The staff member (Shopify user id) the token was issued to. */
  userId: string;
  sessionId: string | undefined;
}

export class InvalidSessionToken extends Error {
  override readonly name = 'InvalidSessionToken';
}

type Verify = (token: string) => Promise<SessionTokenClaims>;
type JwtClaims = Record<string, unknown>;

/** Shopify's session tokens live a minute (admin) or five (checkout and customer-account extensions). */
const ADMIN_LIFETIME_SECONDS = 60;
const EXTENSION_LIFETIME_SECONDS = 300;
const SKEW_SECONDS = 10;

/**
 * Signature (HS256, app secret), `aud` and `exp`/`nbf` within 10 s, by @shopify/shopify-api; we
 * add that `exp`, `nbf` and `iat` are all present, `iat` is not in the future, and the token was
 * issued for no longer than Shopify issues its own (a token valid for a year is a forged one).
 */
function jwtDecoder(config: Config, maxLifetimeSeconds: number): (token: string) => Promise<JwtClaims> {
  const shopify = shopifyApi({
    apiKey: config.shopifyApiKey,
    apiSecretKey: config.shopifyApiSecret,
    hostName: new URL(config.appUrl).host,
    hostScheme: config.appUrl.startsWith('https') ? 'https' : 'http',
    apiVersion: ApiVersion.October26,
    isEmbeddedApp: true,
    logger: { level: 0, httpRequests: false, timestamps: false, log: async () => {} },
  });
  return async (token) => {
    let payload: JwtClaims;
    try {
      payload = (await shopify.session.decodeSessionToken(token)) as unknown as JwtClaims;
    } catch (error) {
      throw new InvalidSessionToken((error as Error).message.replace(/'[^']*'/, "'…'"));
    }
    const { exp, nbf, iat } = payload;
    if (typeof exp !== 'number' || typeof nbf !== 'number' || typeof iat !== 'number') {
      throw new InvalidSessionToken('session token must carry exp, nbf and iat');
    }
    if (iat > Date.now() / 1000 + SKEW_SECONDS) throw new InvalidSessionToken('session token is issued in the future');
    if (exp - iat > maxLifetimeSeconds || exp < iat) throw new InvalidSessionToken(`session token lifetime exceeds ${maxLifetimeSeconds} s`);
    return payload;
  };
}

/**
 * Verifies App Bridge session tokens: @shopify/shopify-api checks the HS256 signature with the
 * app secret, `aud` and `exp`/`nbf` with Shopify's 10 s tolerance; we add what it leaves out:
 * `dest` names a shop, `iss` is that shop's admin, `sub` is a Shopify user id (digits), and the
 * token lives at most 60 s, as Shopify issues them.
 */
export function sessionTokenVerifier(config: Config): Verify {
  const decode = jwtDecoder(config, ADMIN_LIFETIME_SECONDS);
  return async (token) => {
    const payload = await decode(token);
    const dest = typeof payload.dest === 'string' ? payload.dest : '';
    const shop = dest.replace(/^https:\/\//, '');
    if (!dest.startsWith('https://') || !isShopDomain(shop)) {
      throw new InvalidSessionToken('session token dest is not https://{shop}.myshopify.com');
    }
    if (payload.iss !== `${dest}/admin`) throw new InvalidSessionToken("session token iss is not its dest's admin");
    if (typeof payload.sub !== 'string' || !/^\d{1,20}$/.test(payload.sub)) throw new InvalidSessionToken('session token sub is not a user id');
    return { shop, userId: payload.sub, sessionId: typeof payload.sid === 'string' ? payload.sid : undefined };
  };
}

export interface CheckoutTokenClaims {
  shop: string;
  /** The logged-in buyer, when there is one and the app may read customers. */
  customerId: string | null;
}

/**
 * Verifies the session tokens of checkout and customer-account UI extensions. Shopify documents
 * their claims as `dest` (the shop's domain, without scheme), `aud`, `exp` (5 minutes), `nbf`,
 * `iat`, `jti` and, for a logged-in buyer, `sub` (the customer GID); there is no `iss`. So: the
 * same signature, `aud` and times as admin tokens, a lifetime of at most 300 s, `dest` a shop.
 */
export function checkoutTokenVerifier(config: Config): (token: string) => Promise<CheckoutTokenClaims> {
  const decode = jwtDecoder(config, EXTENSION_LIFETIME_SECONDS);
  return async (token) => {
    const payload = await decode(token);
    const shop = typeof payload.dest === 'string' ? payload.dest.replace(/^https:\/\//, '') : '';
    if (!isShopDomain(shop)) throw new InvalidSessionToken('session token dest is not a shop domain');
    if (payload.sub === undefined) return { shop, customerId: null };
    const customer = typeof payload.sub === 'string' ? /^gid:\/\/shopify\/Customer\/(\d{1,20})$/.exec(payload.sub) : null;
    if (!customer) throw new InvalidSessionToken('session token sub is not a customer');
    return { shop, customerId: customer[1]! };
  };
}

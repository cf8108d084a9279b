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

/** Signature (HS256, app secret), `aud` and `exp`/`nbf` within 10 s, by @shopify/shopify-api; both times required. */
function jwtDecoder(config: Config): (token: string) => Promise<JwtClaims> {
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
    if (typeof payload.exp !== 'number' || typeof payload.nbf !== 'number') {
      throw new InvalidSessionToken('session token must carry exp and nbf');
    }
    return payload;
  };
}

/**
 * Verifies App Bridge session tokens: @shopify/shopify-api checks the HS256 signature with the
 * app secret, `aud` and `exp`/`nbf` with Shopify's 10 s tolerance; we add what it leaves out:
 * both times must be present and `dest` (and `iss`) must name a shop domain.
 */
export function sessionTokenVerifier(config: Config): Verify {
  const decode = jwtDecoder(config);
  return async (token) => {
    const payload = await decode(token);
    const dest = typeof payload.dest === 'string' ? payload.dest : '';
    const shop = dest.replace(/^https:\/\//, '');
    if (!dest.startsWith('https://') || !isShopDomain(shop)) {
      throw new InvalidSessionToken('session token dest is not https://{shop}.myshopify.com');
    }
    if (typeof payload.iss === 'string' && payload.iss !== `${dest}/admin`) {
      throw new InvalidSessionToken('session token iss does not match its dest');
    }
    if (typeof payload.sub !== 'string' || payload.sub === '') {
      throw new InvalidSessionToken('session token has no sub');
    }
    return { shop, userId: payload.sub, sessionId: typeof payload.sid === 'string' ? payload.sid : undefined };
  };
}

export interface CheckoutTokenClaims {
  shop: string;
  /** The logged-in buyer, when there is one and the app may read customers. */
  customerId: string | null;
}

/**
 * Verifies the session tokens of checkout and customer-account UI extensions: the same HS256
 * signature, `aud` and times as admin tokens; `dest` names the shop (with or without https://);
 * `sub`, when present, is the buyer's customer GID.
 */
export function checkoutTokenVerifier(config: Config): (token: string) => Promise<CheckoutTokenClaims> {
  const decode = jwtDecoder(config);
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

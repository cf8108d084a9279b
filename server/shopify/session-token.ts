import '@shopify/shopify-api/adapters/node';
import { ApiVersion, shopifyApi } from '@shopify/shopify-api';
import type { Config } from '../config.js';
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

/**
 * Verifies App Bridge session tokens: @shopify/shopify-api checks the HS256 signature with the
 * app secret, `aud` and `exp`/`nbf` with Shopify's 10 s tolerance; we add what it leaves out:
 * both times must be present and `dest` (and `iss`) must name a shop domain.
 */
export function sessionTokenVerifier(config: Config): Verify {
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
    let payload;
    try {
      payload = await shopify.session.decodeSessionToken(token);
    } catch (error) {
      throw new InvalidSessionToken((error as Error).message.replace(/'[^']*'/, "'…'"));
    }
    if (typeof payload.exp !== 'number' || typeof payload.nbf !== 'number') {
      throw new InvalidSessionToken('session token must carry exp and nbf');
    }
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

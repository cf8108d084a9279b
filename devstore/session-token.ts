import { createHmac, randomUUID } from 'node:crypto';

export interface SessionTokenInput {
  shop: string;
  apiKey: string;
  apiSecret: string;
  userId?: string;
  now?: Date;
  ttlSeconds?: number;
  /** Overrides for tests that forge tokens (wrong aud, dest, times). */
  claims?: Record<string, unknown>;
}

function base64url(value: string | Buffer): string {
  return Buffer.from(value).toString('base64url');
}

/** An App Bridge session token as Shopify's admin issues it: HS256, signed with the app secret. */
export function signSessionToken(input: SessionTokenInput): string {
  const issuedAt = Math.floor((input.now ?? new Date()).getTime() / 1000);
  const payload = {
    iss: `https://${input.shop}/admin`,
    dest: `https://${input.shop}`,
    aud: input.apiKey,
    sub: input.userId ?? '9001',
    exp: issuedAt + (input.ttlSeconds ?? 60),
    nbf: issuedAt,
    iat: issuedAt,
    jti: randomUUID(),
    sid: randomUUID(),
    ...input.claims,
  };
  const unsigned = `${base64url(JSON.stringify({ alg: 'HS256', typ: 'JWT' }))}.${base64url(JSON.stringify(payload))}`;
  return `${unsigned}.${base64url(createHmac('sha256', input.apiSecret).update(unsigned).digest())}`;
}

/** Verifies an HS256 token's signature and times the way Shopify's token exchange does. */
export function verifySessionToken(token: string, apiSecret: string, now: Date): Record<string, unknown> | undefined {
  const [header, payload, signature] = token.split('.');
  if (!header || !payload || !signature) return undefined;
  const expected = base64url(createHmac('sha256', apiSecret).update(`${header}.${payload}`).digest());
  if (expected !== signature) return undefined;
  const claims = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as Record<string, unknown>;
  const seconds = now.getTime() / 1000;
  if (typeof claims.exp !== 'number' || claims.exp + 10 < seconds) return undefined;
  if (typeof claims.nbf === 'number' && claims.nbf - 10 > seconds) return undefined;
  return claims;
}

import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

export const API_KEY_SCOPES = ['balances:read', 'history:read', 'redemptions:write'] as const;
export type ApiKeyScope = (typeof API_KEY_SCOPES)[number];

/** What a merchant's tool sends: `tly_<id>_<secret>`; the id finds the key, the secret proves it. */
export interface IssuedKey {
  id: string;
  secret: string;
  token: string;
}

export function issueKey(): IssuedKey {
  const id = randomBytes(9).toString('hex');
  const secret = randomBytes(32).toString('base64url');
  return { id, secret, token: `tly_${id}_${secret}` };
}

export function parseKey(token: string): { id: string; secret: string } | null {
  const match = /^tly_([0-9a-f]{18})_([\w-]{43})$/.exec(token);
  return match ? { id: match[1]!, secret: match[2]! } : null;
}

/**
 * The pepper: a key derived from the app secret, kept out of the database, so a copy of the
 * database alone cannot test guesses. Each key also has its own salt.
 */
export function pepperFrom(appSecret: string): Buffer {
  return createHmac('sha256', appSecret).update('tally headless api key pepper').digest();
}

/** The stored form of a secret. Secrets are 256 random bits, so one keyed hash is enough (no slow hash needed). */
export function hashSecret(pepper: Buffer, salt: string, secret: string): string {
  return createHmac('sha256', pepper).update(`${salt}:${secret}`).digest('hex');
}

export function secretMatches(pepper: Buffer, salt: string, secret: string, storedHash: string): boolean {
  const given = Buffer.from(hashSecret(pepper, salt, secret), 'hex');
  const stored = Buffer.from(storedHash, 'hex');
  return given.length === stored.length && timingSafeEqual(given, stored);
}

export function newSalt(): string {
  return randomBytes(16).toString('hex');
}

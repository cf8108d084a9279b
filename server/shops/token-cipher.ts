import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';
import { linkSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { Config } from '../platform/config.js';

/**
 * Offline access tokens at rest: AES-256-GCM with the shop's domain as associated data, so a sealed
 * token copied onto another shop's record does not open. Sealed form:
 * `v1:<key id>:<iv>:<tag>:<ciphertext>` (base64), the key id being the first 8 hex digits of the
 * key's SHA-256, so the key that sealed it is found without trying each.
 */
export interface TokenCipher {
  seal(shop: string, token: string): string;
  /** The token, and whether it was sealed with a key other than the current one (it should be sealed again). */
  open(shop: string, sealed: string): { token: string; stale: boolean };
  /** The id of the key that seals (the first one). */
  currentKeyId: string;
}

export class TokenDecryptionError extends Error {
  override readonly name = 'TokenDecryptionError';
}

export function tokenKeyId(key: Buffer): string {
  return createHash('sha256').update(key).digest('hex').slice(0, 8);
}

/** A cipher over `keys`: the first seals, every one opens (key rotation). */
export function tokenCipher(keys: readonly Buffer[]): TokenCipher {
  const [current] = keys;
  if (!current || keys.some((key) => key.length !== 32)) throw new Error('token encryption needs at least one 32-byte key');
  const byId = new Map(keys.map((key) => [tokenKeyId(key), key]));
  const currentKeyId = tokenKeyId(current);
  return {
    currentKeyId,
    seal(shop, token) {
      const iv = randomBytes(12);
      const cipher = createCipheriv('aes-256-gcm', current, iv);
      cipher.setAAD(Buffer.from(shop, 'utf8'));
      const ciphertext = Buffer.concat([cipher.update(token, 'utf8'), cipher.final()]);
      return ['v1', currentKeyId, iv.toString('base64'), cipher.getAuthTag().toString('base64'), ciphertext.toString('base64')].join(':');
    },
    open(shop, sealed) {
      const [version, keyId, iv, tag, ciphertext] = sealed.split(':');
      if (version !== 'v1' || !keyId || !iv || !tag || ciphertext === undefined) throw new TokenDecryptionError('not a sealed token');
      const key = byId.get(keyId);
      if (!key) throw new TokenDecryptionError(`sealed with key ${keyId}, which is not among TOKEN_ENCRYPTION_KEY's keys`);
      try {
        const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(iv, 'base64'));
        decipher.setAAD(Buffer.from(shop, 'utf8'));
        decipher.setAuthTag(Buffer.from(tag, 'base64'));
        const token = Buffer.concat([decipher.update(Buffer.from(ciphertext, 'base64')), decipher.final()]).toString('utf8');
        return { token, stale: keyId !== currentKeyId };
      } catch {
        throw new TokenDecryptionError(`the token of ${shop} does not open with key ${keyId}`);
      }
    },
  };
}

/**
 * The dev-mode key: generated once into `DATA_DIR/token-encryption.key` (mode 0600). Written to a
 * temporary file and linked into place, so processes starting together agree on one key.
 */
export function devTokenKey(dataDir: string): Buffer {
  const file = path.join(dataDir, 'token-encryption.key');
  const read = (): Buffer | undefined => {
    try {
      const key = Buffer.from(readFileSync(file, 'utf8').trim(), 'base64');
      return key.length === 32 ? key : undefined;
    } catch {
      return undefined;
    }
  };
  const existing = read();
  if (existing) return existing;
  mkdirSync(dataDir, { recursive: true });
  const temporary = `${file}.${process.pid}.${randomBytes(4).toString('hex')}`;
  writeFileSync(temporary, `${randomBytes(32).toString('base64')}\n`, { mode: 0o600 });
  try {
    linkSync(temporary, file);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
  } finally {
    rmSync(temporary, { force: true });
  }
  const key = read();
  if (!key)
    throw new Error(
      `${file} does not hold a base64 32-byte key; delete it to have a new one generated (stored tokens are then re-exchanged at each shop's next visit)`,
    );
  return key;
}

const ciphers = new Map<string, TokenCipher>();

/** The process's cipher: TOKEN_ENCRYPTION_KEY's keys when set (always in production), else the dev key in DATA_DIR. */
export function tokenCipherFor(config: Config): TokenCipher {
  const source =
    config.tokenEncryptionKeys.length > 0 ? config.tokenEncryptionKeys.map((key) => key.toString('base64')).join(',') : `file:${config.dataDir}`;
  let cipher = ciphers.get(source);
  if (!cipher) {
    cipher = tokenCipher(config.tokenEncryptionKeys.length > 0 ? config.tokenEncryptionKeys : [devTokenKey(config.dataDir)]);
    ciphers.set(source, cipher);
  }
  return cipher;
}

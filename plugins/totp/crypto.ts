import { createCipheriv, createDecipheriv, createHash, randomBytes, randomInt, timingSafeEqual } from 'node:crypto';

const VERSION = 'v1';

/**
 * Seals a secret with AES-256-GCM: a fresh 12-byte nonce per seal, the account id as additional
 * data (a sealed secret copied to another account's row does not open), stored as
 * `v1.<nonce>.<tag>.<ciphertext>` in base64url.
 */
export function seal(key: Buffer, plaintext: string, boundTo: string): string {
  const nonce = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', key, nonce);
  cipher.setAAD(Buffer.from(boundTo, 'utf8'));
  const body = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
  return [VERSION, nonce, cipher.getAuthTag(), body].map((part) => (typeof part === 'string' ? part : part.toString('base64url'))).join('.');
}

/** Opens a sealed secret; throws when it was changed, sealed under another key or for another account. */
export function unseal(key: Buffer, sealed: string, boundTo: string): string {
  const [version, nonce, tag, body] = sealed.split('.');
  if (version !== VERSION || !nonce || !tag || body === undefined) throw new Error('unknown sealed-secret format');
  const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(nonce, 'base64url'));
  decipher.setAAD(Buffer.from(boundTo, 'utf8'));
  decipher.setAuthTag(Buffer.from(tag, 'base64url'));
  return Buffer.concat([decipher.update(Buffer.from(body, 'base64url')), decipher.final()]).toString('utf8');
}

// Crockford-style alphabet without look-alikes (0/O, 1/I/L, U): easy to read off paper.
const ALPHABET = 'ABCDEFGHJKMNPQRSTVWXYZ23456789';

/**
 * A recovery code: 16 characters of a 30-letter alphabet (~78 bits), shown as XXXX-XXXX-XXXX-XXXX.
 * With that much entropy a plain SHA-256 is enough to store it (nothing to brute-force).
 */
export function newRecoveryCode(): string {
  const chars = Array.from({ length: 16 }, () => ALPHABET[randomInt(ALPHABET.length)]!);
  return [0, 4, 8, 12].map((i) => chars.slice(i, i + 4).join('')).join('-');
}

/** Whether the input looks like a recovery code (as opposed to a 6-digit TOTP code). */
export function looksLikeRecoveryCode(input: string): boolean {
  return normaliseRecoveryCode(input).length === 16;
}

/** Upper-cased, without separators and spaces, so "abcd efgh-…" matches what was printed. */
export function normaliseRecoveryCode(input: string): string {
  const cleaned = input.toUpperCase().replace(/[\s-]/g, '');
  return [...cleaned].every((ch) => ALPHABET.includes(ch)) ? cleaned : '';
}

/** The stored form of a recovery code: hex SHA-256 of its normalised form. */
export function hashRecoveryCode(code: string): string {
  return createHash('sha256').update(normaliseRecoveryCode(code)).digest('hex');
}

/** Constant-time comparison of two hex digests of equal length. */
export function digestsEqual(a: string, b: string): boolean {
  const left = Buffer.from(a, 'hex');
  const right = Buffer.from(b, 'hex');
  return left.length === right.length && left.length > 0 && timingSafeEqual(left, right);
}

import { createPrivateKey, createPublicKey, generateKeyPairSync, sign, verify, type KeyObject } from 'node:crypto';

/**
 * Join tickets: short-lived, single-use passes the broker signs (Ed25519) and the relay checks.
 * The relay holds only the public key, so a compromised relay cannot mint tickets.
 * Format: base64url(JSON payload) "." base64url(signature).
 */
export interface TicketPayload {
  v: 1;
  /** Support session id: who gets paired with whom. */
  sid: string;
  role: 'technician' | 'customer';
  /** Unique id: the relay accepts each ticket once. */
  jti: string;
  /** Expiry, epoch milliseconds. */
  exp: number;
}

/** A key pair for signing tickets (and permission grants), kept as PEM in the data dir. */
export function generateSigningKey(): { privatePem: string; publicPem: string } {
  const { privateKey, publicKey } = generateKeyPairSync('ed25519');
  return { privatePem: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(), publicPem: publicKey.export({ type: 'spki', format: 'pem' }).toString() };
}

/** Signs any JSON payload into a compact token (tickets, permission grants). */
export function signToken(payload: object, privateKey: KeyObject | string): string {
  const key = typeof privateKey === 'string' ? createPrivateKey(privateKey) : privateKey;
  const body = Buffer.from(JSON.stringify(payload)).toString('base64url');
  return `${body}.${sign(null, Buffer.from(body), key).toString('base64url')}`;
}

/** Verifies a compact token's signature and returns its payload, or null. */
export function verifyToken(token: string, publicKey: KeyObject | string): unknown {
  if (token.length > 4096) return null;
  const [body, signature, extra] = token.split('.');
  if (!body || !signature || extra !== undefined) return null;
  // Node's base64url decoder also takes '+', '/', '=' and ignores a last character's spare
  // bits, so one signature has many spellings (found by fuzzing). Only the canonical one counts:
  // a token is exactly one string, whatever later code keys on it.
  const signatureBytes = Buffer.from(signature, 'base64url');
  if (signatureBytes.toString('base64url') !== signature) return null;
  const key = typeof publicKey === 'string' ? createPublicKey(publicKey) : publicKey;
  try {
    if (!verify(null, Buffer.from(body), key, signatureBytes)) return null;
    return JSON.parse(Buffer.from(body, 'base64url').toString('utf8')) as unknown;
  } catch {
    return null;
  }
}

/** Checks a join ticket: signature, shape and expiry (single use is the relay's job). */
export function verifyTicket(token: string, publicKey: KeyObject | string, now: number): TicketPayload | null {
  const payload = verifyToken(token, publicKey) as Partial<TicketPayload> | null;
  if (!payload || payload.v !== 1 || typeof payload.sid !== 'string' || typeof payload.jti !== 'string' || typeof payload.exp !== 'number') return null;
  if (payload.role !== 'technician' && payload.role !== 'customer') return null;
  if (payload.exp <= now) return null;
  return payload as TicketPayload;
}

import { ed25519 } from '@noble/curves/ed25519.js';
import type { Capability } from './messages.js';
import { equalBytes, fromUtf8, utf8 } from './bytes.js';

/**
 * The broker's signed permission grants, checked by every customer client (the agent in Node,
 * the browser page) with one implementation: @noble's Ed25519 runs in both, so the check does
 * not depend on node:crypto or on a browser's WebCrypto Ed25519 support.
 * Token format (relay/tickets.ts): base64url(JSON payload) "." base64url(signature).
 */

/** Why a grant was not accepted (stable keys: shown to the customer, sent nowhere else). */
export type GrantRefusal = 'malformed' | 'bad_signature' | 'not_a_grant' | 'wrong_session' | 'wrong_capability' | 'expired' | 'reused';

/** The outcome of checking a grant. */
export type GrantCheck = { ok: true } | { ok: false; reason: GrantRefusal };

// DER SubjectPublicKeyInfo of an Ed25519 key: this 12-byte header, then the 32-byte key.
const ED25519_SPKI_HEADER = Uint8Array.of(0x30, 0x2a, 0x30, 0x05, 0x06, 0x03, 0x2b, 0x65, 0x70, 0x03, 0x21, 0x00);

/** Base64 or base64url text → bytes (atob exists in browsers and Node 16+). */
export function fromBase64(text: string): Uint8Array {
  const b64 = text.replace(/-/g, '+').replace(/_/g, '/');
  const binary = atob(b64 + '='.repeat((4 - (b64.length % 4)) % 4));
  return Uint8Array.from(binary, (c) => c.charCodeAt(0));
}

/** The raw 32-byte Ed25519 key of a PEM "PUBLIC KEY"; throws for anything else. */
export function ed25519KeyFromPem(pem: string): Uint8Array {
  const body = pem.replace(/-----(BEGIN|END) PUBLIC KEY-----/g, '').replace(/\s+/g, '');
  const der = fromBase64(body);
  if (der.length !== 44 || !equalBytes(der.subarray(0, 12), ED25519_SPKI_HEADER)) throw new Error('Not an Ed25519 public key.');
  return der.subarray(12);
}

/** Verifies a compact token's Ed25519 signature (strict RFC 8032) and returns its payload, or null. */
export function verifyCompactToken(token: string, publicKey: Uint8Array): unknown {
  if (token.length > 4096) return null;
  const [body, signature, extra] = token.split('.');
  if (!body || !signature || extra !== undefined) return null;
  try {
    if (!ed25519.verify(fromBase64(signature), utf8.encode(body), publicKey, { zip215: false })) return null;
    return JSON.parse(fromUtf8.decode(fromBase64(body))) as unknown;
  } catch {
    return null;
  }
}

/**
 * Checks grants: signature with the bootstrap's grant key, `kind: 'grant'`, this session, the
 * requested capability, not expired (broker time), and a `jti` never seen before. Without all
 * of that the customer is not even asked.
 */
export class GrantVerifier {
  private readonly key: Uint8Array;
  /** Used grant ids and their expiry, forgotten once expired (they can no longer pass anyway). */
  private readonly seen = new Map<string, number>();

  constructor(grantKeyPem: string, private readonly sessionId: string, private readonly now: () => number = Date.now) {
    this.key = ed25519KeyFromPem(grantKeyPem);
  }

  check(grant: string, capability: Capability): GrantCheck {
    if (!/^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/.test(grant)) return { ok: false, reason: 'malformed' };
    const payload = verifyCompactToken(grant, this.key) as Record<string, unknown> | null;
    if (!payload || typeof payload !== 'object') return { ok: false, reason: 'bad_signature' };
    if (payload.kind !== 'grant' || payload.v !== 1 || typeof payload.jti !== 'string' || typeof payload.exp !== 'number') return { ok: false, reason: 'not_a_grant' };
    if (payload.sid !== this.sessionId) return { ok: false, reason: 'wrong_session' };
    if (payload.capability !== capability) return { ok: false, reason: 'wrong_capability' };
    const now = this.now();
    if (payload.exp <= now) return { ok: false, reason: 'expired' };
    this.forgetExpired(now);
    if (this.seen.has(payload.jti)) return { ok: false, reason: 'reused' };
    this.seen.set(payload.jti, payload.exp);
    return { ok: true };
  }

  private forgetExpired(now: number): void {
    for (const [jti, exp] of this.seen) if (exp <= now) this.seen.delete(jti);
  }
}

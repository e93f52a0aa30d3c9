import { createHash, createPublicKey, verify } from 'node:crypto';

/** Verifies a device's Ed25519 signature over `text` with its raw base64url public key; false on any malformation. */
export function verifyDeviceSignature(publicKey: string, text: string, signature: string): boolean {
  try {
    const key = createPublicKey({ key: { kty: 'OKP', crv: 'Ed25519', x: publicKey }, format: 'jwk' });
    const bytes = Buffer.from(signature, 'base64url');
    // Only the canonical spelling counts (see relay/tickets.ts: one signature, one string).
    if (bytes.length !== 64 || bytes.toString('base64url') !== signature) return false;
    return verify(null, Buffer.from(text), key, bytes);
  } catch {
    return false;
  }
}

/** SHA-256 of text or bytes, as hex. */
export const sha256Hex = (data: string | Uint8Array): string => createHash('sha256').update(data).digest('hex');

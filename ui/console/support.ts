/**
 * Whether this browser can run the end-to-end handshake: WebCrypto exists only in secure
 * contexts (HTTPS or localhost), and X25519 in WebCrypto needs a current browser (Chrome 133,
 * Firefox 130, Safari 17). Checked before connecting, so an old browser gets a clear message
 * instead of a handshake failure that looks like tampering.
 */
export type CryptoSupport = 'ok' | 'insecure' | 'outdated';

/** Checks once what the browser offers. */
export async function checkCryptoSupport(): Promise<CryptoSupport> {
  const subtle = globalThis.crypto?.subtle;
  if (!subtle || globalThis.isSecureContext === false) return 'insecure';
  try {
    await subtle.generateKey({ name: 'X25519' }, false, ['deriveBits']);
    return 'ok';
  } catch {
    return 'outdated';
  }
}

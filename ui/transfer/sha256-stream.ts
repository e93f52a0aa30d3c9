import { sha256 } from '@noble/hashes/sha2.js';
import { toHex } from '../../protocol/bytes.js';

/**
 * SHA-256 over a file in pieces. WebCrypto only digests one whole buffer, which would hold a
 * file of any size in memory; @noble's incremental hash takes it chunk by chunk.
 */

/** Slice size for reading a local file while hashing it. */
const READ_BYTES = 1024 * 1024;

/** An incremental SHA-256: update() with every piece, hex() once at the end. */
export function sha256Stream(): { update(bytes: Uint8Array): void; hex(): string } {
  const hash = sha256.create();
  return { update: (bytes) => void hash.update(bytes), hex: () => toHex(hash.digest()) };
}

/** Lowercase hex SHA-256 of a Blob (a picked File), read 1 MiB at a time. */
export async function sha256OfBlob(blob: Blob, onProgress: (bytes: number) => void = () => {}): Promise<string> {
  const hash = sha256Stream();
  for (let offset = 0; offset < blob.size; offset += READ_BYTES) {
    hash.update(new Uint8Array(await blob.slice(offset, offset + READ_BYTES).arrayBuffer()));
    onProgress(Math.min(offset + READ_BYTES, blob.size));
  }
  return hash.hex();
}

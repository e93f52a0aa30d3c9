import { sha256Stream } from './sha256-stream.js';

/** Pieces are folded into the Blob after this many bytes (the page holds at most about this much). */
const FOLD_BYTES = 4 * 1024 * 1024;

/** Why a piece does not fit the announced file. */
export type SinkRefusal = 'bad_offset' | 'size_mismatch';

/**
 * A received file that is never held whole in the page: pieces are hashed as they come and
 * folded into a Blob every few MiB, which the browser keeps outside the page's memory (and
 * pages to disk when it is large). At the end the hash is compared with the announced one.
 */
export class BlobSink {
  private blob = new Blob([]);
  private pending: Uint8Array<ArrayBuffer>[] = [];
  private pendingBytes = 0;
  private readonly hash = sha256Stream();
  /** Bytes taken so far (the next piece's expected offset). */
  bytes = 0;

  constructor(readonly size: number, private readonly type = 'application/octet-stream') {}

  /** Takes the piece at `offset`; returns why it does not fit, or null. */
  append(offset: number, piece: Uint8Array): SinkRefusal | null {
    if (offset !== this.bytes) return 'bad_offset';
    if (this.bytes + piece.length > this.size) return 'size_mismatch';
    const copy = new Uint8Array(piece);
    this.hash.update(copy);
    this.pending.push(copy);
    this.pendingBytes += copy.length;
    this.bytes += copy.length;
    if (this.pendingBytes >= FOLD_BYTES) this.fold();
    return null;
  }

  /** The whole file once every byte arrived and the SHA-256 matches; else the reason. */
  finish(expectedSha256: string): { ok: true; blob: Blob } | { ok: false; reason: 'size_mismatch' | 'hash_mismatch' } {
    if (this.bytes !== this.size) return { ok: false, reason: 'size_mismatch' };
    if (this.hash.hex() !== expectedSha256) return { ok: false, reason: 'hash_mismatch' };
    this.fold();
    return { ok: true, blob: this.blob };
  }

  private fold(): void {
    this.blob = new Blob([this.blob, ...this.pending], { type: this.type });
    this.pending = [];
    this.pendingBytes = 0;
  }
}

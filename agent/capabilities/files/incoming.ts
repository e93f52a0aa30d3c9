import { createHash, randomBytes, type Hash } from 'node:crypto';
import { mkdir, open, unlink, type FileHandle } from 'node:fs/promises';
import { join } from 'node:path';
import { placeUnique } from './safe-name.js';

/** Why a transfer did not complete (stable keys, sent as `reason` and shown translated). */
export type TransferFailure =
  | 'too_large' | 'size_mismatch' | 'bad_offset' | 'hash_mismatch' | 'write_failed' | 'aborted'
  | 'not_consented' | 'offer_mismatch' | 'read_failed' | 'file_changed' | 'refused' | 'stopped' | 'session_ended';

/** A transfer failed for a known reason. */
export class TransferError extends Error {
  override name = 'TransferError';
  constructor(readonly reason: TransferFailure, message: string = reason) {
    super(message);
  }
}

/** What the technician announced. */
export interface FileOffer {
  transferId: string;
  name: string;
  size: number;
  sha256: string;
}

/**
 * One file arriving from the technician. Bytes go to a private temp file in the download
 * directory; only when the announced size and SHA-256 match is it moved to a safe, unique
 * name. Anything else — too large, a gap or overlap, a wrong hash, an abort — deletes the temp
 * file, so nothing half-written or unverified is left behind.
 */
export class IncomingFile {
  private received = 0;
  private readonly hash: Hash = createHash('sha256');
  private handle: FileHandle | null;
  private settled = false;

  private constructor(readonly offer: FileOffer, readonly dir: string, readonly tempPath: string, handle: FileHandle) {
    this.handle = handle;
  }

  /** Checks the offer against the limit and creates the temp file. */
  static async open(dir: string, offer: FileOffer, maxBytes: number): Promise<IncomingFile> {
    if (offer.size > maxBytes) throw new TransferError('too_large', `${offer.size} bytes is more than the ${maxBytes} allowed.`);
    await mkdir(dir, { recursive: true, mode: 0o700 });
    const tempPath = join(dir, `.rescuebox-${randomBytes(8).toString('hex')}.part`);
    const handle = await open(tempPath, 'wx', 0o600);
    return new IncomingFile(offer, dir, tempPath, handle);
  }

  /** Bytes received so far. */
  get bytes(): number {
    return this.received;
  }

  /** Writes the next chunk; chunks must arrive in order and stay within the announced size. */
  async write(offset: number, data: Uint8Array): Promise<void> {
    if (this.settled || !this.handle) throw new TransferError('aborted');
    if (offset !== this.received) return this.fail(new TransferError('bad_offset', `Chunk at ${offset}, expected ${this.received}.`));
    if (this.received + data.length > this.offer.size) return this.fail(new TransferError('size_mismatch', 'More data than announced.'));
    try {
      await this.handle.write(data, 0, data.length, offset);
    } catch (error) {
      return this.fail(new TransferError('write_failed', (error as Error).message));
    }
    this.hash.update(data);
    this.received += data.length;
  }

  /** Verifies size and hash, then places the file; returns its final path. */
  async finish(): Promise<string> {
    if (this.settled || !this.handle) throw new TransferError('aborted');
    if (this.received !== this.offer.size) return this.fail(new TransferError('size_mismatch', `Got ${this.received} of ${this.offer.size} bytes.`));
    if (this.hash.digest('hex') !== this.offer.sha256) return this.fail(new TransferError('hash_mismatch', 'The SHA-256 does not match.'));
    try {
      await this.handle.close();
      this.handle = null;
      const path = await placeUnique(this.tempPath, this.dir, this.offer.name);
      this.settled = true;
      return path;
    } catch (error) {
      return this.fail(new TransferError('write_failed', (error as Error).message));
    }
  }

  /** Stops and deletes the temp file (idempotent). */
  async discard(): Promise<void> {
    if (this.settled) return;
    this.settled = true;
    await this.handle?.close().catch(() => {});
    this.handle = null;
    await unlink(this.tempPath).catch((error: NodeJS.ErrnoException) => {
      if (error.code !== 'ENOENT') throw error;
    });
  }

  private async fail(error: TransferError): Promise<never> {
    await this.discard();
    throw error;
  }
}

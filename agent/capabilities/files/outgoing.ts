import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { constants } from 'node:fs';
import { access, stat } from 'node:fs/promises';
import { basename } from 'node:path';
import type { Message } from '../../../protocol/messages.js';
import { transferWait, type TransferWait } from '../../../protocol/transfer-wait.js';
import { safeFileName } from './safe-name.js';
import { TransferError, type TransferFailure } from './incoming.js';

/** The protocol's chunk size. */
export const CHUNK_BYTES = 64 * 1024;

type Waiting = TransferWait;

/** The technician's answers to files the customer sends, by transfer id. */
export class OutgoingTransfers {
  private readonly waiting = new Map<string, Waiting>();

  /** Starts waiting for a transfer's file.accept and file.received. */
  open(transferId: string): Waiting {
    const entry = transferWait();
    this.waiting.set(transferId, entry);
    return entry;
  }

  /** file.accept */
  accepted(transferId: string): void {
    this.waiting.get(transferId)?.accept({ ok: true });
  }

  /** file.received */
  received(transferId: string, ok: boolean, reason = 'failed'): void {
    const entry = this.waiting.get(transferId);
    entry?.accept(ok ? { ok: true } : { ok: false, reason: reason || 'refused' });
    entry?.receive(ok ? { ok: true } : { ok: false, reason });
  }

  /** file.abort from the technician, or a local stop. */
  abort(transferId: string, reason: string): boolean {
    const entry = this.waiting.get(transferId);
    if (!entry) return false;
    entry.aborted = reason;
    entry.accept({ ok: false, reason });
    entry.receive({ ok: false, reason });
    return true;
  }

  /** Aborts every transfer (capability stopped, session over). */
  abortAll(reason: string): string[] {
    const ids = [...this.waiting.keys()];
    for (const id of ids) this.abort(id, reason);
    return ids;
  }

  close(transferId: string): void {
    this.waiting.delete(transferId);
  }
}

/** What a send needs from the session. */
export interface SendDeps {
  send(message: Message, payload?: Uint8Array): Promise<void>;
  drain(): Promise<void>;
  transfers: OutgoingTransfers;
  onProgress(bytes: number, total: number): void;
}

/** How a customer's send ended. */
export interface SendResult {
  outcome: 'delivered' | 'refused' | 'failed';
  reason: string | null;
  name: string;
  size: number;
  sha256: string;
}

/** Null when `path` is a readable regular file, else why not (for re-asking the customer). */
export async function whyNotReadable(path: string): Promise<string | null> {
  try {
    if (!(await stat(path)).isFile()) return `${path} is not a file.`;
    await access(path, constants.R_OK);
    return null;
  } catch (error) {
    return (error as Error).message;
  }
}

/** The size and SHA-256 of a readable regular file (TransferError read_failed otherwise). */
export async function inspectFile(path: string): Promise<{ size: number; sha256: string }> {
  try {
    const info = await stat(path);
    if (!info.isFile()) throw new TransferError('read_failed', `${path} is not a file.`);
    const hash = createHash('sha256');
    let size = 0;
    for await (const chunk of createReadStream(path)) {
      hash.update(chunk as Buffer);
      size += (chunk as Buffer).length;
    }
    return { size, sha256: hash.digest('hex') };
  } catch (error) {
    if (error instanceof TransferError) throw error;
    throw new TransferError('read_failed', (error as Error).message);
  }
}

/**
 * Sends one file: file.offer, wait for file.accept, 64 KiB file.chunk messages with a drain
 * between them (the end-to-end window), file.done, then wait for the technician's
 * file.received verdict. A file that changes while being sent is aborted.
 */
export async function sendFile(deps: SendDeps, path: string, ids: { transferId: string; requestId?: string }): Promise<SendResult> {
  const name = safeFileName(basename(path));
  const { size, sha256 } = await inspectFile(path);
  const result = (outcome: SendResult['outcome'], reason: string | null): SendResult => ({ outcome, reason, name, size, sha256 });
  const waiting = deps.transfers.open(ids.transferId);
  try {
    await deps.send({ type: 'file.offer', transferId: ids.transferId, name, size, sha256, ...(ids.requestId && { requestId: ids.requestId }) });
    const accepted = await waiting.accepted;
    if (!accepted.ok) return result('refused', accepted.reason);
    const failure = await streamChunks(deps, path, ids.transferId, size, sha256, () => waiting.aborted);
    if (failure) {
      if (failure !== 'aborted') await deps.send({ type: 'file.abort', transferId: ids.transferId, reason: failure });
      return result('failed', failure);
    }
    await deps.send({ type: 'file.done', transferId: ids.transferId });
    const verdict = await waiting.received;
    return verdict.ok ? result('delivered', null) : result('failed', verdict.reason);
  } finally {
    deps.transfers.close(ids.transferId);
  }
}

async function streamChunks(deps: SendDeps, path: string, transferId: string, size: number, sha256: string, aborted: () => string | null): Promise<TransferFailure | null> {
  const hash = createHash('sha256');
  let offset = 0;
  deps.onProgress(0, size);
  try {
    for await (const chunk of createReadStream(path, { highWaterMark: CHUNK_BYTES })) {
      if (aborted()) return 'aborted';
      const bytes = chunk as Buffer;
      if (offset + bytes.length > size) return 'file_changed';
      hash.update(bytes);
      await deps.send({ type: 'file.chunk', transferId, offset }, bytes);
      offset += bytes.length;
      deps.onProgress(offset, size);
      await deps.drain();
    }
  } catch {
    return 'read_failed';
  }
  if (aborted()) return 'aborted';
  return offset === size && hash.digest('hex') === sha256 ? null : 'file_changed';
}

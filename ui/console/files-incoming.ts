import type { Message } from '../../protocol/messages.js';
import { BlobSink } from '../transfer/blob-sink.js';
import { MAX_FILE_BYTES, type FileDeps } from './files-common.js';
import { patchTransfer } from './state.js';

interface Arriving {
  offer: Message<'file.offer'>;
  /** Hashes the chunks as they come and keeps them in a Blob, never in one buffer. */
  sink: BlobSink;
}

/**
 * Files from the customer. Every offer is accepted (up to MAX_FILE_BYTES): the customer chose
 * to send it, and nothing is saved on the technician's computer until the technician clicks
 * the download link, which appears only after the SHA-256 matched.
 */
export class IncomingFiles {
  private readonly arriving = new Map<string, Arriving>();
  private readonly urls: string[] = [];

  constructor(readonly deps: FileDeps) {}

  async offer(offer: Message<'file.offer'>): Promise<void> {
    const { store } = this.deps;
    if (store.get().transfers.some((t) => t.transferId === offer.transferId)) return; // a repeated offer changes nothing
    store.update((s) => ({
      ...s,
      transfers: [...s.transfers, { transferId: offer.transferId, direction: 'from-customer', name: offer.name, size: offer.size, bytes: 0, state: 'receiving' }],
    }));
    if (offer.size > MAX_FILE_BYTES) return this.refuse(offer.transferId, 'too_large');
    this.arriving.set(offer.transferId, { offer, sink: new BlobSink(offer.size) });
    await this.deps.send({ type: 'file.accept', transferId: offer.transferId });
  }

  async chunk(chunk: Message<'file.chunk'>, payload: Uint8Array): Promise<void> {
    const file = this.arriving.get(chunk.transferId);
    if (!file) return;
    const refusal = file.sink.append(chunk.offset, payload);
    if (refusal) return this.refuse(chunk.transferId, refusal);
    const bytes = file.sink.bytes;
    this.deps.store.update((s) => patchTransfer(s, chunk.transferId, { bytes }));
  }

  async done(done: Message<'file.done'>): Promise<void> {
    const file = this.arriving.get(done.transferId);
    if (!file) return;
    this.deps.store.update((s) => patchTransfer(s, done.transferId, { state: 'verifying' }));
    const result = file.sink.finish(file.offer.sha256);
    if (!result.ok) return this.refuse(done.transferId, result.reason);
    this.arriving.delete(done.transferId);
    const url = URL.createObjectURL(result.blob);
    this.urls.push(url);
    this.deps.store.update((s) => patchTransfer(s, done.transferId, { state: 'done', url }));
    await this.deps.send({ type: 'file.received', transferId: done.transferId, ok: true });
  }

  /** Drops a transfer the customer (or the technician) aborted; true if it was running. */
  abort(transferId: string, reason: string): boolean {
    if (!this.arriving.delete(transferId)) return false;
    this.deps.store.update((s) => patchTransfer(s, transferId, { state: 'failed', reason }));
    return true;
  }

  abortAll(reason: string): void {
    for (const transferId of [...this.arriving.keys()]) this.abort(transferId, reason);
  }

  revokeAll(): void {
    for (const url of this.urls.splice(0)) URL.revokeObjectURL(url);
  }

  /** Ends a transfer that cannot complete and tells the agent why. */
  private async refuse(transferId: string, reason: string): Promise<void> {
    this.arriving.delete(transferId);
    this.deps.store.update((s) => patchTransfer(s, transferId, { state: 'failed', reason }));
    await this.deps.send({ type: 'file.received', transferId, ok: false, reason });
  }
}

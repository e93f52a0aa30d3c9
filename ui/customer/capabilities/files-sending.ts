import { transferWait, type TransferWait } from '../../../protocol/transfer-wait.js';
import { protocolName } from '../../console/files-outgoing.js';
import { MAX_FILE_BYTES } from '../../console/files-common.js';
import { sha256OfBlob } from '../../transfer/sha256-stream.js';
import { streamChunks } from '../../transfer/stream-file.js';
import type { PageContext } from '../session.js';
import { patchCustomerTransfer } from '../state.js';

/**
 * Files from the customer to the technician — on the technician's `file.receive` request (the
 * customer picked the file in the prompt) or on the customer's own choice: hashed in slices,
 * file.offer, the technician's file.accept, 64 KiB chunks within the end-to-end window,
 * file.done, and the technician's file.received verdict.
 */
export class PageSending {
  private readonly waiting = new Map<string, TransferWait>();

  constructor(private readonly ctx: PageContext) {}

  /** Sends one file; never throws (the outcome shows in the file area and the audit log). */
  async send(file: File, requestId?: string): Promise<void> {
    const transferId = `b-${crypto.randomUUID()}`;
    const name = protocolName(file.name);
    const patch = (p: Parameters<typeof patchCustomerTransfer>[2]) => this.ctx.store.update((s) => patchCustomerTransfer(s, transferId, p));
    this.ctx.store.update((s) => ({ ...s, transfers: [...s.transfers, { transferId, direction: 'from-customer', name, size: file.size, bytes: 0, state: 'waiting' }] }));
    if (file.size > MAX_FILE_BYTES) return patch({ state: 'failed', reason: 'too_large' });
    const entry = transferWait();
    this.waiting.set(transferId, entry);
    let sha256 = '';
    try {
      sha256 = await sha256OfBlob(file);
      await this.ctx.send({ type: 'file.offer', transferId, name, size: file.size, sha256, ...(requestId && { requestId }) });
      const accepted = await entry.accepted;
      if (!accepted.ok) return this.finish(patch, { name, size: file.size, sha256 }, accepted.reason, 'refused');
      patch({ state: 'sending' });
      const failure = await streamChunks(this.ctx, file, transferId, entry, (bytes) => patch({ bytes }));
      // An abort was already said by whoever aborted (streamChunks says a read failure itself).
      if (failure) return this.finish(patch, { name, size: file.size, sha256 }, failure, 'failed');
      await this.ctx.send({ type: 'file.done', transferId });
      const verdict = await entry.received;
      this.finish(patch, { name, size: file.size, sha256 }, verdict.ok ? null : verdict.reason, verdict.ok ? 'delivered' : 'failed');
    } catch {
      this.finish(patch, { name, size: file.size, sha256 }, 'session_ended', 'failed');
    } finally {
      this.waiting.delete(transferId);
    }
  }

  /** file.accept from the technician. */
  accepted(transferId: string): void {
    this.waiting.get(transferId)?.accept({ ok: true });
  }

  /** file.received from the technician (also a refusal before any chunk). */
  received(transferId: string, ok: boolean, reason = 'failed'): void {
    const entry = this.waiting.get(transferId);
    const verdict = ok ? { ok: true as const } : { ok: false as const, reason: reason || 'failed' };
    entry?.accept(verdict);
    entry?.receive(verdict);
  }

  /** Stops an outgoing transfer; true if it was one and running. */
  abort(transferId: string, reason: string): boolean {
    const entry = this.waiting.get(transferId);
    if (!entry) return false;
    entry.aborted = reason;
    entry.accept({ ok: false, reason });
    entry.receive({ ok: false, reason });
    return true;
  }

  abortAll(reason: string): void {
    for (const transferId of [...this.waiting.keys()]) this.abort(transferId, reason);
  }

  private finish(patch: (p: Parameters<typeof patchCustomerTransfer>[2]) => void, file: { name: string; size: number; sha256: string }, failure: string | null, outcome: 'delivered' | 'refused' | 'failed'): void {
    patch(failure ? { state: 'failed', reason: failure } : { state: 'done', bytes: file.size });
    if (file.sha256) this.ctx.broker.report({ event: 'file', direction: 'from_customer', ...file, outcome });
  }
}

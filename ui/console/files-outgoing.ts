import { transferWait, type TransferVerdict, type TransferWait } from '../../protocol/transfer-wait.js';
import type { ConsentRequests } from './consent.js';
import { newId } from './consent.js';
import { sha256OfBlob } from '../transfer/sha256-stream.js';
import { streamChunks } from '../transfer/stream-file.js';
import { MAX_FILE_BYTES, type FileDeps } from './files-common.js';
import { patchTransfer, type Transfer } from './state.js';

type Verdict = TransferVerdict;
type Waiting = TransferWait;

/** A name the protocol takes (1–255 characters), keeping the extension when shortening. */
export function protocolName(name: string): string {
  const clean = name.replace(/[\u0000-\u001f]/g, '').trim() || 'file';
  if (clean.length <= 255) return clean;
  const dot = clean.lastIndexOf('.');
  const ext = dot > 0 && clean.length - dot <= 16 ? clean.slice(dot) : '';
  return clean.slice(0, 255 - ext.length) + ext;
}

/** Files the technician sends to the customer, each after the customer said yes. */
export class OutgoingFiles {
  private readonly waiting = new Map<string, Waiting>();

  constructor(private readonly deps: FileDeps, private readonly consents: ConsentRequests) {}

  /** Hashes the file, asks for consent, then sends it; the outcome shows in the transfer list. */
  async send(file: File): Promise<void> {
    const transferId = `t-${newId()}`;
    const name = protocolName(file.name);
    this.add({ transferId, direction: 'to-customer', name, size: file.size, bytes: 0, state: 'hashing' });
    if (file.size > MAX_FILE_BYTES) return this.fail(transferId, 'too_large');
    let sha256: string;
    try {
      sha256 = await sha256OfBlob(file);
    } catch {
      return this.fail(transferId, 'read_failed');
    }
    this.patch(transferId, { state: 'consent' });
    const requestId = newId();
    if (!(await this.consents.ask('file.send', { name, size: file.size }, requestId))) return this.fail(transferId, 'not_granted');
    const entry = transferWait();
    this.waiting.set(transferId, entry);
    try {
      this.patch(transferId, { state: 'offered' });
      await this.deps.send({ type: 'file.offer', transferId, name, size: file.size, sha256, requestId });
      const accepted = await entry.accepted;
      if (!accepted.ok) return this.fail(transferId, accepted.reason);
      this.patch(transferId, { state: 'sending' });
      const failure = await streamChunks(this.deps, file, transferId, entry, (bytes) => this.patch(transferId, { bytes }));
      if (failure) return this.fail(transferId, failure);
      await this.deps.send({ type: 'file.done', transferId });
      const verdict = await entry.received;
      if (verdict.ok) this.patch(transferId, { state: 'done', bytes: file.size });
      else this.fail(transferId, verdict.reason);
    } catch {
      this.fail(transferId, 'session_ended');
    } finally {
      this.waiting.delete(transferId);
    }
  }

  /** file.accept from the agent. */
  accepted(transferId: string): void {
    this.waiting.get(transferId)?.accept({ ok: true });
  }

  /** file.received from the agent: also a refusal before any chunk was sent. */
  received(transferId: string, ok: boolean, reason = 'failed'): void {
    const entry = this.waiting.get(transferId);
    const verdict: Verdict = ok ? { ok: true } : { ok: false, reason: reason || 'failed' };
    entry?.accept(verdict);
    entry?.receive(verdict);
  }

  /** Stops a transfer (file.abort, cancel, session over); true if it was ours and running. */
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

  private add(transfer: Transfer): void {
    this.deps.store.update((s) => ({ ...s, transfers: [...s.transfers, transfer] }));
  }

  private patch(transferId: string, patch: Partial<Transfer>): void {
    this.deps.store.update((s) => patchTransfer(s, transferId, patch));
  }

  private fail(transferId: string, reason: string): void {
    this.patch(transferId, { state: 'failed', reason });
  }
}

import type { Message } from '../../../protocol/messages.js';
import type { CapabilityContext } from '../types.js';
import { IncomingFile, TransferError } from './incoming.js';

/** Shows a transfer's progress (throttled by the caller). */
export type ProgressFn = (transferId: string, direction: 'send' | 'receive', name: string, bytes: number, total: number) => void;

/**
 * Files from the technician to the customer. An offer is taken only under an unused yes for
 * `file.send` (matching the name and size the customer saw); each failure deletes the temp
 * file, answers `file.received {ok: false, reason}`, tells the customer and the broker.
 */
export class Receiving {
  /** Consented requests (by request id) not yet used by an offer, with what the customer saw. */
  private readonly consented = new Map<string, Message<'consent.request'>['detail']>();
  private readonly files = new Map<string, { file: IncomingFile; offer: Message<'file.offer'> }>();

  constructor(private readonly ctx: CapabilityContext, private readonly progress: ProgressFn) {}

  /** The customer said yes to a `file.send` request. */
  consent(request: Message<'consent.request'>): void {
    this.consented.set(request.requestId, request.detail);
  }

  async offer(offer: Message<'file.offer'>): Promise<void> {
    if (offer.requestId === undefined || !this.consented.has(offer.requestId)) return this.fail(offer, new TransferError('not_consented'), 'refused');
    const seen = this.consented.get(offer.requestId);
    this.consented.delete(offer.requestId);
    if ((seen?.name !== undefined && seen.name !== offer.name) || (seen?.size !== undefined && seen.size !== offer.size)) {
      return this.fail(offer, new TransferError('offer_mismatch'), 'refused');
    }
    try {
      this.files.set(offer.transferId, { file: await IncomingFile.open(this.ctx.settings.downloadDir, offer, this.ctx.settings.maxFileBytes), offer });
    } catch (error) {
      return this.fail(offer, error, 'refused');
    }
    this.progress(offer.transferId, 'receive', offer.name, 0, offer.size);
    await this.ctx.send({ type: 'file.accept', transferId: offer.transferId });
  }

  async chunk(chunk: Message<'file.chunk'>, payload: Uint8Array): Promise<void> {
    const entry = this.files.get(chunk.transferId);
    if (!entry) return;
    try {
      await entry.file.write(chunk.offset, payload);
      this.progress(chunk.transferId, 'receive', entry.offer.name, entry.file.bytes, entry.offer.size);
    } catch (error) {
      await this.fail(entry.offer, error, 'failed');
    }
  }

  async done(done: Message<'file.done'>): Promise<void> {
    const entry = this.files.get(done.transferId);
    if (!entry) return;
    const { offer } = entry;
    try {
      const path = await entry.file.finish();
      this.files.delete(done.transferId);
      await this.ctx.send({ type: 'file.received', transferId: offer.transferId, ok: true });
      this.ctx.ui.notify({ event: 'file-received', transferId: offer.transferId, name: offer.name, path, sha256: offer.sha256, size: offer.size });
      this.report(offer, 'delivered');
    } catch (error) {
      await this.fail(offer, error, 'failed');
    }
  }

  /** The technician aborted; returns whether the transfer was an incoming one. */
  async abort(transferId: string): Promise<boolean> {
    const entry = this.files.get(transferId);
    if (!entry) return false;
    this.files.delete(transferId);
    await entry.file.discard();
    this.ctx.ui.notify({ event: 'file-failed', transferId, direction: 'receive', name: entry.offer.name, reason: 'aborted' });
    this.report(entry.offer, 'failed');
    return true;
  }

  /** `capability.stop` for file.send: unused consents lapse, running transfers fail. */
  async stop(): Promise<void> {
    this.consented.clear();
    for (const { offer } of [...this.files.values()]) await this.fail(offer, new TransferError('stopped'), 'failed');
  }

  /** The session is over: delete every temp file. */
  async dispose(): Promise<void> {
    for (const { file } of this.files.values()) await file.discard();
    this.files.clear();
  }

  private async fail(offer: Message<'file.offer'>, error: unknown, outcome: 'refused' | 'failed'): Promise<void> {
    const reason = error instanceof TransferError ? error.reason : 'write_failed';
    await this.files.get(offer.transferId)?.file.discard();
    this.files.delete(offer.transferId);
    await this.ctx.send({ type: 'file.received', transferId: offer.transferId, ok: false, reason });
    this.ctx.ui.notify({ event: 'file-failed', transferId: offer.transferId, direction: 'receive', name: offer.name, reason });
    this.report(offer, outcome);
  }

  private report(offer: Message<'file.offer'>, outcome: 'delivered' | 'refused' | 'failed'): void {
    this.ctx.events.report({ event: 'file', direction: 'to_customer', name: offer.name, size: offer.size, sha256: offer.sha256, outcome });
  }
}

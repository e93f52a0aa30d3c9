import type { Message } from '../../../protocol/messages.js';
import { BlobSink } from '../../transfer/blob-sink.js';
import type { PageContext } from '../session.js';
import { patchCustomerTransfer } from '../state.js';

/**
 * Files from the technician to the customer, as the agent takes them
 * (agent/capabilities/files/receiving.ts): an offer only under an unused yes for `file.send`
 * matching the name and size the customer saw; chunks hashed and kept in a Blob as they come;
 * the SHA-256 compared at the end; then a download link. Nothing is saved on the computer
 * until the customer clicks it.
 */
export class PageReceiving {
  private readonly consented = new Map<string, Message<'consent.request'>['detail']>();
  private readonly files = new Map<string, { sink: BlobSink; offer: Message<'file.offer'> }>();
  private readonly urls: string[] = [];

  constructor(private readonly ctx: PageContext) {}

  /** The customer said yes to a `file.send` request. */
  consent(request: Message<'consent.request'>): void {
    this.consented.set(request.requestId, request.detail);
  }

  async offer(offer: Message<'file.offer'>): Promise<void> {
    if (offer.requestId === undefined || !this.consented.has(offer.requestId)) return this.refuse(offer, 'not_consented');
    const seen = this.consented.get(offer.requestId);
    this.consented.delete(offer.requestId);
    if ((seen?.name !== undefined && seen.name !== offer.name) || (seen?.size !== undefined && seen.size !== offer.size)) return this.refuse(offer, 'offer_mismatch');
    this.files.set(offer.transferId, { sink: new BlobSink(offer.size), offer });
    this.ctx.store.update((s) => ({ ...s, transfers: [...s.transfers, { transferId: offer.transferId, direction: 'to-customer', name: offer.name, size: offer.size, bytes: 0, state: 'receiving' }] }));
    await this.ctx.send({ type: 'file.accept', transferId: offer.transferId });
  }

  async chunk(chunk: Message<'file.chunk'>, payload: Uint8Array): Promise<void> {
    const entry = this.files.get(chunk.transferId);
    if (!entry) return;
    const refusal = entry.sink.append(chunk.offset, payload);
    if (refusal) return this.fail(entry.offer, refusal);
    const bytes = entry.sink.bytes;
    this.ctx.store.update((s) => patchCustomerTransfer(s, chunk.transferId, { bytes }));
  }

  async done(done: Message<'file.done'>): Promise<void> {
    const entry = this.files.get(done.transferId);
    if (!entry) return;
    const result = entry.sink.finish(entry.offer.sha256);
    if (!result.ok) return this.fail(entry.offer, result.reason);
    this.files.delete(done.transferId);
    const url = URL.createObjectURL(result.blob);
    this.urls.push(url);
    this.ctx.store.update((s) => patchCustomerTransfer(s, done.transferId, { state: 'done', url, bytes: entry.offer.size }));
    await this.ctx.send({ type: 'file.received', transferId: done.transferId, ok: true });
    this.report(entry.offer, 'delivered');
  }

  /** Stops an incoming transfer (the technician's file.abort, or the customer's cancel); true if it was one. */
  abort(transferId: string, reason: string): boolean {
    const entry = this.files.get(transferId);
    if (!entry) return false;
    this.files.delete(transferId);
    this.ctx.store.update((s) => patchCustomerTransfer(s, transferId, { state: 'failed', reason }));
    this.report(entry.offer, 'failed');
    return true;
  }

  /** `capability.stop` for file.send or the session's end: unused yeses lapse, running transfers fail. */
  stop(reason: string): void {
    this.consented.clear();
    for (const transferId of [...this.files.keys()]) this.abort(transferId, reason);
  }

  /** The page is left: received files' memory is released. */
  dispose(): void {
    this.stop('session_ended');
    for (const url of this.urls.splice(0)) URL.revokeObjectURL(url);
  }

  private async refuse(offer: Message<'file.offer'>, reason: string): Promise<void> {
    await this.ctx.send({ type: 'file.received', transferId: offer.transferId, ok: false, reason });
    this.report(offer, 'refused');
  }

  private async fail(offer: Message<'file.offer'>, reason: string): Promise<void> {
    this.files.delete(offer.transferId);
    this.ctx.store.update((s) => patchCustomerTransfer(s, offer.transferId, { state: 'failed', reason }));
    await this.ctx.send({ type: 'file.received', transferId: offer.transferId, ok: false, reason });
    this.report(offer, 'failed');
  }

  private report(offer: Message<'file.offer'>, outcome: 'delivered' | 'refused' | 'failed'): void {
    this.ctx.broker.report({ event: 'file', direction: 'to_customer', name: offer.name, size: offer.size, sha256: offer.sha256, outcome });
  }
}

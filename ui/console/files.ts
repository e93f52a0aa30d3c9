import type { ConsentRequests } from './consent.js';
import type { FileDeps } from './files-common.js';
import type { HandlerMap } from './handlers.js';
import { IncomingFiles } from './files-incoming.js';
import { OutgoingFiles } from './files-outgoing.js';

/**
 * File transfers both ways, as the agent runs them (agent/capabilities/files.ts):
 * - to the customer: grant `file.send` → consent.request {name, size} → file.offer → the
 *   agent's file.accept → 64 KiB file.chunk messages (drain between them) → file.done → the
 *   agent's file.received verdict;
 * - from the customer (on our `file.receive` request or the customer's own choice): file.offer
 *   → file.accept → chunks → file.done → SHA-256 check → file.received, and a download link.
 */

/** The transfers of one session: one owner for every file.* message. */
export class FileTransfers {
  readonly incoming: IncomingFiles;
  readonly outgoing: OutgoingFiles;

  constructor(private readonly deps: FileDeps, consents: ConsentRequests) {
    this.incoming = new IncomingFiles(deps);
    this.outgoing = new OutgoingFiles(deps, consents);
  }

  readonly handlers: HandlerMap = {
    'file.offer': (offer) => this.incoming.offer(offer),
    'file.chunk': (chunk, payload) => this.incoming.chunk(chunk, payload),
    'file.done': (done) => this.incoming.done(done),
    'file.accept': (accept) => this.outgoing.accepted(accept.transferId),
    'file.received': (received) => this.outgoing.received(received.transferId, received.ok, received.reason),
    // An abort may concern either direction; the transfer id says which.
    'file.abort': (abort) => {
      if (!this.outgoing.abort(abort.transferId, abort.reason || 'aborted')) this.incoming.abort(abort.transferId, abort.reason || 'aborted');
    },
  };

  /** The technician cancels a running transfer. */
  async cancel(transferId: string): Promise<void> {
    if (this.outgoing.abort(transferId, 'aborted') || this.incoming.abort(transferId, 'aborted')) {
      await this.deps.send({ type: 'file.abort', transferId, reason: 'aborted' }).catch(() => undefined);
    }
  }

  /** The session is over: running transfers fail; received files stay downloadable until the page closes. */
  end(): void {
    this.outgoing.abortAll('session_ended');
    this.incoming.abortAll('session_ended');
  }

  /** The page is left: release the received files' memory. */
  dispose(): void {
    this.end();
    this.incoming.revokeAll();
  }
}

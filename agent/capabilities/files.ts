import { randomUUID } from 'node:crypto';
import { basename } from 'node:path';
import { TransferError } from './files/incoming.js';
import { OutgoingTransfers, sendFile, whyNotReadable } from './files/outgoing.js';
import { Receiving, type ProgressFn } from './files/receiving.js';
import { safeFileName } from './files/safe-name.js';
import type { AgentCapability, CapabilityContext } from './types.js';

/** At most this many progress events per second per transfer (plus the first and the last). */
const PROGRESS_INTERVAL_MS = 250;

/**
 * Files both ways.
 * - To the customer (`file.send`): the technician asks with consent.request (name, size); after
 *   a yes it sends file.offer with that requestId, the agent answers file.accept, then come
 *   file.chunk messages (bytes at `offset`) and file.done. The agent checks size and SHA-256
 *   and answers file.received {ok, reason?}. An offer without a matching yes is refused.
 * - From the customer: on request (`file.receive`: the customer names a path, or refuses) or
 *   by the customer's own `/send <path>`: file.offer, wait for file.accept, chunks, file.done,
 *   wait for file.received.
 * Every outcome is reported to the broker as a `file` event.
 */
export function filesCapability(ctx: CapabilityContext): AgentCapability {
  const outgoing = new OutgoingTransfers();
  const progress = throttledProgress(ctx);
  const receiving = new Receiving(ctx, progress);

  /** Sends a file of the customer's; never throws (the outcome is shown and reported). */
  const send = async (path: string, requestId?: string): Promise<void> => {
    const transferId = `c-${randomUUID()}`;
    const name = safeFileName(basename(path));
    try {
      const deps = { send: ctx.send, drain: ctx.drain, transfers: outgoing, onProgress: (bytes: number, total: number) => progress(transferId, 'send', name, bytes, total) };
      const result = await sendFile(deps, path, { transferId, ...(requestId && { requestId }) });
      ctx.events.report({ event: 'file', direction: 'from_customer', name: result.name, size: result.size, sha256: result.sha256, outcome: result.outcome });
      if (result.outcome === 'delivered') ctx.ui.notify({ event: 'file-sent', transferId, name: result.name, sha256: result.sha256, size: result.size });
      else ctx.ui.notify({ event: 'file-failed', transferId, direction: 'send', name: result.name, reason: result.outcome === 'refused' ? 'refused' : result.reason ?? 'failed' });
    } catch (error) {
      ctx.ui.notify({ event: 'file-failed', transferId, direction: 'send', name, reason: error instanceof TransferError ? error.reason : (error as Error).message });
    }
  };

  return {
    id: 'files',
    consents: {
      'file.send': {
        kind: 'confirm',
        precheck: (request) => ((request.detail?.size ?? 0) > ctx.settings.maxFileBytes ? 'too_large' : null),
        granted: (request) => receiving.consent(request),
      },
      'file.receive': {
        kind: 'path',
        check: async (answer) => (answer.granted && answer.path ? whyNotReadable(answer.path) : 'no path given'),
        granted: (request, answer) => void send(answer.path!, request.requestId),
      },
    },
    handlers: {
      'file.offer': (offer) => receiving.offer(offer),
      'file.chunk': (chunk, payload) => receiving.chunk(chunk, payload),
      'file.done': (done) => receiving.done(done),
      'file.abort': async (abort) => {
        if (!outgoing.abort(abort.transferId, 'aborted')) await receiving.abort(abort.transferId);
      },
      'file.accept': (accept) => outgoing.accepted(accept.transferId),
      'file.received': (received) => outgoing.received(received.transferId, received.ok, received.reason),
    },
    commands: {
      send: ({ path }) => void send(path),
    },
    stop: async (capability) => {
      if (capability === 'file.receive') outgoing.abortAll('stopped');
      if (capability === 'file.send') await receiving.stop();
    },
    dispose: async () => {
      outgoing.abortAll('session_ended');
      await receiving.dispose();
    },
  };
}

/** Progress events: the first and the last of a transfer, and at most one per interval between. */
function throttledProgress(ctx: CapabilityContext): ProgressFn {
  const last = new Map<string, number>();
  return (transferId, direction, name, bytes, total) => {
    const now = Date.now();
    if (bytes > 0 && bytes < total && now - (last.get(transferId) ?? 0) < PROGRESS_INTERVAL_MS) return;
    if (bytes >= total) last.delete(transferId);
    else last.set(transferId, now);
    ctx.ui.notify({ event: 'progress', transferId, direction, name, bytes, total });
  };
}

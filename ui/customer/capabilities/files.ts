import { MAX_FILE_BYTES } from '../../console/files-common.js';
import type { PageCapability, PageContext } from '../session.js';
import { PageReceiving } from './files-receiving.js';
import { PageSending } from './files-sending.js';

/** The page's file module: both directions, the customer's own sends and cancels. */
export interface PageFiles extends PageCapability {
  /** The customer sends a file of their own choice. */
  send(file: File): Promise<void>;
  /** The customer cancels a running transfer either way. */
  cancel(transferId: string): Promise<void>;
}

/** Files both ways with the agent's rules, limits and audit events. */
export function filesCapability(ctx: PageContext): PageFiles {
  const receiving = new PageReceiving(ctx);
  const sending = new PageSending(ctx);
  return {
    offers: {
      'file.send': {
        precheck: (request) => ((request.detail?.size ?? 0) > MAX_FILE_BYTES ? 'too_large' : null),
        granted: (request) => receiving.consent(request),
      },
      'file.receive': {
        granted: (request, answer) => {
          if (answer.file) void sending.send(answer.file, request.requestId);
        },
      },
    },
    handlers: {
      'file.offer': (offer) => receiving.offer(offer),
      'file.chunk': (chunk, payload) => receiving.chunk(chunk, payload),
      'file.done': (done) => receiving.done(done),
      'file.accept': (accept) => sending.accepted(accept.transferId),
      'file.received': (received) => sending.received(received.transferId, received.ok, received.reason),
      'file.abort': (abort) => {
        if (!sending.abort(abort.transferId, 'aborted')) receiving.abort(abort.transferId, 'aborted');
      },
    },
    send: (file) => sending.send(file),
    cancel: async (transferId) => {
      if (sending.abort(transferId, 'aborted') || receiving.abort(transferId, 'aborted')) {
        await ctx.send({ type: 'file.abort', transferId, reason: 'aborted' }).catch(() => undefined);
      }
    },
    stop: (capability) => {
      if (capability === 'file.receive') sending.abortAll('stopped');
      if (capability === 'file.send') receiving.stop('stopped');
    },
    dispose: () => {
      sending.abortAll('session_ended');
      receiving.dispose();
    },
  };
}

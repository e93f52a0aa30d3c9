import type { RawData, WebSocket } from 'ws';
import { admit } from './admit.js';
import { CloseCode, CloseReason } from './close-codes.js';
import type { ExpiringSet } from './expiring-set.js';
import { forward } from './forward.js';
import type { RelaySettings } from './options.js';
import type { Peer } from './peer.js';
import { otherRole, type SessionTable } from './sessions.js';
import type { TicketPayload } from './tickets.js';

/** The relay state a socket's handlers work on, built once by createRelay(). */
export interface RelayContext {
  settings: RelaySettings;
  sessions: SessionTable;
  usedTickets: ExpiringSet;
  endedSessions: ExpiringSet;
  /** Sockets that have not sent a valid ticket yet, with what stops their auth timer. */
  pending: Map<WebSocket, () => void>;
  counters: { framesForwarded: number; bytesForwarded: number; framesDropped: number };
}

/**
 * A socket's life has two states, each with its own message handler: pending (one text
 * message, the ticket, within authTimeoutMs) and joined (binary frames only, forwarded).
 */
export function acceptConnection(ctx: RelayContext, ws: WebSocket, ip: string | undefined): void {
  const { settings, pending } = ctx;
  const timer = setTimeout(() => refuse(CloseCode.unauthorized, CloseReason.ticketMissing), settings.authTimeoutMs);
  const stop = (): void => {
    clearTimeout(timer);
    pending.delete(ws);
    ws.off('message', onPendingMessage);
    ws.off('close', stop);
  };
  const refuse = (code: number, reason: string): void => {
    stop();
    settings.logger.warn({ reason, ip }, 'relay join refused');
    ws.close(code, reason);
  };
  const onPendingMessage = guard(ctx, ws, (data: RawData, isBinary: boolean): void => {
    if (isBinary) return refuse(CloseCode.policy, CloseReason.binaryBeforeAuth);
    const admission = admit(joinText(data), {
      publicKey: settings.publicKey,
      now: settings.now(),
      usedTickets: ctx.usedTickets,
      endedSessions: ctx.endedSessions,
      hasRoomFor: (sid) => ctx.sessions.hasRoomFor(sid),
    });
    if (!admission.ok) return refuse(admission.reason === CloseReason.relayFull ? CloseCode.full : CloseCode.unauthorized, admission.reason);
    stop();
    onAdmitted(ctx, ws, admission.ticket);
  });
  pending.set(ws, stop);
  ws.on('error', (error: Error & { code?: string }) => settings.logger.warn({ err: error.code ?? error.message, ip }, 'relay socket error'));
  ws.on('message', onPendingMessage);
  ws.on('close', stop);
}

function onAdmitted(ctx: RelayContext, ws: WebSocket, ticket: TicketPayload): void {
  const peer = ctx.sessions.join(ws, ticket);
  ws.on('message', guard(ctx, ws, (data: RawData, isBinary: boolean) => onPeerMessage(ctx, peer, data, isBinary)));
  ws.on('pong', () => {
    peer.alive = true;
  });
  ws.on('close', guard(ctx, ws, () => ctx.sessions.leave(peer)));
}

/** A joined socket's message: binary is forwarded untouched (the relay is blind), text is a violation. */
function onPeerMessage(ctx: RelayContext, peer: Peer, data: RawData, isBinary: boolean): void {
  if (peer.closing) return;
  peer.alive = true;
  if (!isBinary) return peer.close(CloseCode.policy, CloseReason.textAfterAuth);
  const { settings, counters } = ctx;
  const session = peer.session;
  const bytes = rawBytes(data);
  session.lastTraffic = settings.now();
  if (!forward(peer, session[otherRole(peer.role)], bytes, settings.highWaterBytes)) {
    counters.framesDropped++;
    return;
  }
  counters.framesForwarded++;
  counters.bytesForwarded += bytes.length;
  settings.tap?.(session.sid, peer.role, bytes);
}

/**
 * A listener that cannot throw out of an event: a failure closes only that socket. Fixed arity
 * (no rest parameters): it wraps the per-frame handler, which must not allocate per call.
 */
function guard<A, B>(ctx: RelayContext, ws: WebSocket, listener: (a: A, b: B) => void): (a: A, b: B) => void {
  return (a: A, b: B) => {
    try {
      listener(a, b);
    } catch (error) {
      ctx.settings.logger.warn({ err: (error as Error)?.message }, 'relay handler failed');
      ws.close(CloseCode.internal, CloseReason.internal);
    }
  };
}

function rawBytes(data: RawData): Buffer {
  if (Buffer.isBuffer(data)) return data;
  return Array.isArray(data) ? Buffer.concat(data) : Buffer.from(data);
}

/** The join text, without decoding a large frame that cannot hold a ticket anyway. */
function joinText(data: RawData): string {
  const bytes = rawBytes(data);
  return bytes.length > 16 * 1024 ? '' : bytes.toString('utf8');
}

import type { KeyObject } from 'node:crypto';
import { CloseReason, type DenyReason } from './close-codes.js';
import type { ExpiringSet } from './expiring-set.js';
import { verifyTicket, type TicketPayload } from './tickets.js';

/** The relay's only admission policy: a valid, unused ticket for a session that may be joined. */
export type Admission = { ok: true; ticket: TicketPayload } | { ok: false; reason: DenyReason };

/** What the admission check reads; owned by the relay. */
export interface AdmissionContext {
  publicKey: KeyObject;
  now: number;
  usedTickets: ExpiringSet;
  endedSessions: ExpiringSet;
  /** Whether the relay has room for this session (always true for one it already holds). */
  hasRoomFor(sid: string): boolean;
}

// A join message is `{"ticket":"..."}` with a ticket under 4 KiB; anything longer is not one.
const MAX_JOIN_TEXT = 8 * 1024;

/** Reads the ticket out of the first text message; never throws. */
export function parseJoin(text: string): string | null {
  if (text.length > MAX_JOIN_TEXT) return null;
  try {
    const message = JSON.parse(text) as unknown;
    if (typeof message !== 'object' || message === null || Array.isArray(message)) return null;
    const ticket = (message as { ticket?: unknown }).ticket;
    return typeof ticket === 'string' ? ticket : null;
  } catch {
    return null;
  }
}

/**
 * Checks a join message. Deny beats allow: a bad signature, an expired or reused ticket, or an
 * ended session is refused. The ticket id is spent only when the join is admitted, so a client
 * refused for lack of room may retry with the same ticket.
 */
export function admit(text: string, ctx: AdmissionContext): Admission {
  const token = parseJoin(text);
  const ticket = token === null ? null : verifyTicket(token, ctx.publicKey, ctx.now);
  if (!ticket) return { ok: false, reason: CloseReason.ticketInvalid };
  if (ctx.usedTickets.has(ticket.jti, ctx.now)) return { ok: false, reason: CloseReason.ticketReused };
  if (ctx.endedSessions.has(ticket.sid, ctx.now)) return { ok: false, reason: CloseReason.sessionEnded };
  if (!ctx.hasRoomFor(ticket.sid)) return { ok: false, reason: CloseReason.relayFull };
  if (!ctx.usedTickets.add(ticket.jti, ticket.exp, ctx.now)) return { ok: false, reason: CloseReason.relayFull };
  return { ok: true, ticket };
}

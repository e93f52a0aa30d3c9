import type { WebSocket } from 'ws';
import { CloseCode, CloseReason } from './close-codes.js';
import type { ExpiringSet } from './expiring-set.js';
import type { RelayEvents, RelaySettings, Role } from './options.js';
import { Peer, type Session } from './peer.js';
import type { TicketPayload } from './tickets.js';

export type { Session } from './peer.js';

/** How a session ends: the reason endpoints and hooks see, the close code and whether to say `ended`. */
interface Ending {
  reason: string;
  closeReason: string;
  code: number;
  announce: boolean;
}

// The broker may still hold unused tickets for a session it ended; they live 60 s.
const ENDED_SESSION_MEMORY_MS = 10 * 60_000;

/** The other role of a session. */
export function otherRole(role: Role): Role {
  return role === 'technician' ? 'customer' : 'technician';
}

/** All sessions of one relay: joining, pairing, leaving, ending, and the idle/grace sweep. */
export class SessionTable {
  private readonly sessions = new Map<string, Session>();

  constructor(private readonly settings: RelaySettings, private readonly endedSessions: ExpiringSet) {}

  get size(): number {
    return this.sessions.size;
  }

  /** Whether a join for this session fits under maxSessions. */
  hasRoomFor(sid: string): boolean {
    return this.sessions.has(sid) || this.sessions.size < this.settings.maxSessions;
  }

  /** Puts an admitted socket into its session's slot, replacing an older socket of the same role. */
  join(ws: WebSocket, ticket: TicketPayload): Peer {
    const { sid, role } = ticket;
    let session = this.sessions.get(sid);
    if (!session) {
      session = { sid, technician: null, customer: null, everPaired: false, lastTraffic: this.settings.now(), halfSince: 0 };
      this.sessions.set(sid, session);
    }
    const peer = new Peer(ws, role, session);
    const old = session[role];
    session[role] = peer;
    const other = session[otherRole(role)];
    if (old) {
      old.close(CloseCode.replaced, CloseReason.replaced);
      // The other side may be paused waiting for the old socket to drain: it never will.
      other?.resume();
    }
    this.settings.logger.info({ sid, role, replaced: Boolean(old) }, 'relay joined');
    if (other) this.pair(session, other, peer);
    else peer.control({ type: 'waiting' });
    return peer;
  }

  /** A joined socket closed: free its slot and tell the other side (unless it was replaced). */
  leave(peer: Peer): void {
    const session = peer.session;
    if (session[peer.role] !== peer) return;
    session[peer.role] = null;
    if (session.halfSince === 0) session.halfSince = this.settings.now();
    const other = session[otherRole(peer.role)];
    if (other) {
      other.resume();
      other.control({ type: 'peer-left' });
    }
    this.settings.logger.info({ sid: session.sid, role: peer.role }, 'relay left');
    this.emit('onLeft', session.sid, peer.role);
  }

  /** Ends a session for the broker: tells both sides, closes them, refuses its leftover tickets. */
  closeSession(sid: string, reason: string): boolean {
    const now = this.settings.now();
    this.endedSessions.add(sid, now + ENDED_SESSION_MEMORY_MS, now, true);
    return this.end(sid, { reason, closeReason: CloseReason.ended, code: CloseCode.ended, announce: true });
  }

  /** Closes every session without `ended`: the sessions live on, endpoints reconnect elsewhere. */
  closeAll(): void {
    const ending = { reason: CloseReason.shutdown, closeReason: CloseReason.shutdown, code: CloseCode.goingAway, announce: false };
    for (const sid of [...this.sessions.keys()]) this.end(sid, ending);
  }

  /** Ends idle sessions and half sessions whose other side did not come back in time. */
  sweep(now: number): void {
    const { idleTimeoutMs, reconnectGraceMs } = this.settings;
    for (const session of this.sessions.values()) {
      if (now - session.lastTraffic >= idleTimeoutMs) this.end(session.sid, relayEnding(CloseReason.idle));
      else if (session.halfSince !== 0 && now - session.halfSince >= reconnectGraceMs) this.end(session.sid, relayEnding(CloseReason.peerGone));
    }
  }

  /** Every joined socket (for the heartbeat). */
  *peers(): Generator<Peer> {
    for (const session of this.sessions.values()) {
      if (session.technician) yield session.technician;
      if (session.customer) yield session.customer;
    }
  }

  /** Counts for stats(); walks all sessions, so not for hot paths. */
  counts(): { sessions: number; pairedSessions: number; sockets: number; pausedSockets: number; bufferedBytes: number } {
    let pairedSessions = 0;
    let sockets = 0;
    let pausedSockets = 0;
    let bufferedBytes = 0;
    for (const session of this.sessions.values()) {
      if (session.technician && session.customer) pairedSessions++;
      for (const peer of [session.technician, session.customer]) {
        if (!peer) continue;
        sockets++;
        if (peer.paused) pausedSockets++;
        bufferedBytes += peer.ws.bufferedAmount;
      }
    }
    return { sessions: this.sessions.size, pairedSessions, sockets, pausedSockets, bufferedBytes };
  }

  private pair(session: Session, first: Peer, second: Peer): void {
    const resumed = session.everPaired;
    session.everPaired = true;
    session.halfSince = 0;
    session.lastTraffic = this.settings.now();
    first.control({ type: 'paired', resumed });
    second.control({ type: 'paired', resumed });
    this.settings.logger.info({ sid: session.sid, resumed }, 'relay paired');
    this.emit('onPaired', session.sid, resumed);
  }

  private end(sid: string, ending: Ending): boolean {
    const session = this.sessions.get(sid);
    if (!session) return false;
    this.sessions.delete(sid);
    for (const peer of [session.technician, session.customer]) {
      if (!peer) continue;
      session[peer.role] = null;
      if (ending.announce) peer.control({ type: 'ended', reason: ending.reason });
      peer.close(ending.code, ending.closeReason);
    }
    this.settings.logger.info({ sid, reason: ending.closeReason }, 'relay session closed');
    this.emit('onClosed', sid, ending.reason);
    return true;
  }

  private emit<K extends keyof RelayEvents>(name: K, ...args: Parameters<NonNullable<RelayEvents[K]>>): void {
    const hook = this.settings.events[name] as ((...a: unknown[]) => void) | undefined;
    if (!hook) return;
    try {
      hook.apply(this.settings.events, args);
    } catch (error) {
      this.settings.logger.warn({ hook: name, err: (error as Error)?.message }, 'relay event hook failed');
    }
  }
}

/** An end the relay decides on its own (idle, peer gone): announced with its reason key. */
function relayEnding(reason: string): Ending {
  return { reason, closeReason: reason, code: CloseCode.ended, announce: true };
}

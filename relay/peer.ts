import type { Duplex } from 'node:stream';
import { WebSocket } from 'ws';
import type { ControlMessage } from './close-codes.js';
import type { Role } from './options.js';

// The session record lives here, beside the peers it holds, so sessions.ts (the table) imports
// downwards only.

/** One support session as the relay sees it: two socket slots and a few clocks. */
export interface Session {
  readonly sid: string;
  technician: Peer | null;
  customer: Peer | null;
  /** Both sides have been connected at some point: a later pairing is a resume. */
  everPaired: boolean;
  /** Last binary frame (or pairing), for the idle timeout. */
  lastTraffic: number;
  /** When a side last left while the session was not yet re-paired (0: none): the grace clock. */
  halfSince: number;
}

/**
 * One joined endpoint socket. Kept tiny on purpose: a relay holds tens of thousands of them,
 * so it carries flags and a back-reference, never buffers.
 */
export class Peer {
  /** Answered the last ping (or showed other signs of life) since the last heartbeat. */
  alive = true;
  /** Reading from this socket is paused because its destination is over the high-water mark. */
  paused = false;
  /** Bumped on every pause and resume: a drain callback resumes only the pause it belongs to. */
  pauseToken = 0;
  /** The destination's bufferedAmount at the last heartbeat: a drop means it is draining. */
  bufferedAtPing = 0;
  /** close() was called: ignore whatever else this socket sends. */
  closing = false;

  /** Writes to this socket are corked until the end of the current tick (see batchWrites). */
  corked = false;
  /** The TCP or TLS socket under ws, corked to batch frames; null once ws has let go of it. */
  private readonly socket: Duplex | null;

  constructor(readonly ws: WebSocket, readonly role: Role, readonly session: Session) {
    // ws keeps its socket in a private field; the relay needs it only to cork. If a future ws
    // renames it, batching is skipped and frames go out one write each, as before.
    const socket = (ws as unknown as { _socket?: unknown })._socket;
    this.socket = socket && typeof (socket as Duplex).cork === 'function' ? (socket as Duplex) : null;
  }

  /**
   * Holds back this socket's writes until the current tick ends, so every frame forwarded while
   * ws parses one incoming chunk leaves in one writev (one TLS record) instead of one syscall each.
   * Backpressure is unchanged: corked bytes count in ws.bufferedAmount.
   */
  batchWrites(): void {
    if (this.corked || !this.socket) return;
    this.corked = true;
    this.socket.cork();
    process.nextTick(uncork, this);
  }

  /** Sends what batchWrites() held back. */
  flushWrites(): void {
    this.corked = false;
    this.socket?.uncork();
  }

  /** Sends a control message (text) if the socket is open. */
  control(message: ControlMessage): void {
    if (this.ws.readyState === WebSocket.OPEN) this.ws.send(JSON.stringify(message));
  }

  /** Starts the closing handshake once; ws terminates it after closeTimeout if the client stalls. */
  close(code: number, reason: string): void {
    if (this.closing) return;
    this.closing = true;
    this.resume();
    try {
      this.ws.close(code, reason);
    } catch {
      this.ws.terminate();
    }
  }

  /** Stops reading from this socket (its destination is backed up). */
  pause(): number {
    this.paused = true;
    this.ws.pause();
    return ++this.pauseToken;
  }

  /** Reads again; with a token, only if no later pause or resume happened. */
  resume(token?: number): void {
    if (!this.paused || (token !== undefined && token !== this.pauseToken)) return;
    this.paused = false;
    this.pauseToken++;
    // Its pong may still sit unread in the socket: do not let the next heartbeat count it missed.
    this.alive = true;
    this.ws.resume();
  }
}

function uncork(peer: Peer): void {
  peer.flushWrites();
}

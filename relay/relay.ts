import type { IncomingMessage, Server as HttpServer } from 'node:http';
import type { Server as HttpsServer } from 'node:https';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type ServerOptions } from 'ws';
import { MAX_FRAME_BYTES } from '../protocol/frames.js';
import { CloseCode, CloseReason } from './close-codes.js';
import { acceptConnection, type RelayContext } from './connection.js';
import { ExpiringSet } from './expiring-set.js';
import { heartbeat } from './heartbeat.js';
import { resolveOptions, type RelayOptions, type RelaySettings } from './options.js';
import { SessionTable } from './sessions.js';

export type { RelayEvents, RelayLogger, RelayOptions, Role } from './options.js';
export { CloseCode, CloseReason, type ControlMessage } from './close-codes.js';

/** What createRelay() returns: the upgrade entry points and the broker's controls. */
export interface Relay {
  /** Takes over an HTTP upgrade request (the caller already chose the path). */
  handleUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer): void;
  /** Serves upgrades for `path` on a server; other paths are left to other listeners. */
  attach(server: HttpServer | HttpsServer, path?: string): void;
  /** Ends a session: both sides get `ended` and are closed; leftover tickets for it are refused. */
  closeSession(sid: string, reason: string): boolean;
  stats(): RelayStats;
  /** Stops timers, detaches from servers and closes every socket (1001: reconnect elsewhere). */
  close(): Promise<void>;
}

/** Counters for health checks and tests; never anything about payloads beyond their sizes. */
export interface RelayStats {
  sessions: number;
  pairedSessions: number;
  sockets: number;
  pendingSockets: number;
  pausedSockets: number;
  bufferedBytes: number;
  usedTickets: number;
  framesForwarded: number;
  bytesForwarded: number;
  framesDropped: number;
}

// A closing handshake the client does not finish is cut after this (ws's default is 30 s).
const CLOSE_TIMEOUT_MS = 5_000;
// ws buffers incoming chunks until a frame is complete: a max frame over a slow link is about
// 750 segments; a client dribbling tiny chunks must not hold 256 Ki Buffer objects.
const MAX_BUFFERED_CHUNKS = 8_192;
const MAX_FRAGMENTS = 1_024;
const ENDED_SESSIONS_REMEMBERED = 100_000;
const SHUTDOWN_GRACE_MS = 2_000;

type UpgradeListener = (req: IncomingMessage, socket: Duplex, head: Buffer) => void;

/** Creates the blind relay: pairs a technician and a customer per session and forwards their frames. */
export function createRelay(options: RelayOptions): Relay {
  const settings = resolveOptions(options);
  const { logger } = settings;
  const endedSessions = new ExpiringSet(ENDED_SESSIONS_REMEMBERED);
  const ctx: RelayContext = {
    settings,
    sessions: new SessionTable(settings, endedSessions),
    usedTickets: new ExpiringSet(settings.maxUsedTickets),
    endedSessions,
    pending: new Map(),
    counters: { framesForwarded: 0, bytesForwarded: 0, framesDropped: 0 },
  };
  const serverOptions: ServerOptions & { closeTimeout: number } = {
    noServer: true,
    maxPayload: MAX_FRAME_BYTES,
    perMessageDeflate: false,
    closeTimeout: CLOSE_TIMEOUT_MS,
    maxBufferedChunks: MAX_BUFFERED_CHUNKS,
    maxFragments: MAX_FRAGMENTS,
  };
  const wss = new WebSocketServer(serverOptions);
  wss.on('error', (error) => logger.warn({ err: error.message }, 'relay server error'));
  const attached: [HttpServer | HttpsServer, UpgradeListener][] = [];
  let closed = false;

  const guarded = (task: () => void) => () => {
    try {
      task();
    } catch (error) {
      logger.warn({ err: (error as Error)?.message }, 'relay timer task failed');
    }
  };
  // Not unref'd: a relay keeps its process alive until close(), which clears both.
  const heartbeatTimer = setInterval(guarded(() => heartbeat(ctx.sessions.peers(), logger)), settings.heartbeatMs);
  const sweepTimer = setInterval(guarded(() => {
    const now = settings.now();
    ctx.sessions.sweep(now);
    ctx.usedTickets.purge(now);
    endedSessions.purge(now);
  }), sweepInterval(settings));

  function handleUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer): void {
    socket.on('error', ignore);
    if (closed || ctx.pending.size >= settings.maxPendingSockets) return refuseUpgrade(socket, '503 Service Unavailable');
    const ip = req.socket.remoteAddress;
    wss.handleUpgrade(req, socket, head, (ws) => acceptConnection(ctx, ws, ip));
  }

  function attach(server: HttpServer | HttpsServer, path = '/relay'): void {
    const listener: UpgradeListener = (req, socket, head) => {
      if ((req.url ?? '').split('?', 1)[0] === path) return handleUpgrade(req, socket, head);
      // Nobody else serves upgrades here: answer instead of leaving the client hanging.
      if (server.listenerCount('upgrade') === 1) refuseUpgrade(socket, '404 Not Found');
    };
    server.on('upgrade', listener);
    attached.push([server, listener]);
  }

  function close(): Promise<void> {
    if (!closed) {
      closed = true;
      clearInterval(heartbeatTimer);
      clearInterval(sweepTimer);
      for (const [server, listener] of attached) server.off('upgrade', listener);
      for (const [ws, stop] of [...ctx.pending]) {
        stop();
        ws.close(CloseCode.goingAway, CloseReason.shutdown);
      }
      ctx.sessions.closeAll();
    }
    return new Promise((resolve) => {
      const force = setTimeout(() => {
        for (const ws of wss.clients) ws.terminate();
      }, SHUTDOWN_GRACE_MS);
      wss.close(() => {
        clearTimeout(force);
        resolve();
      });
    });
  }

  return {
    handleUpgrade,
    attach,
    closeSession: (sid, reason) => ctx.sessions.closeSession(sid, reason),
    stats: () => ({ ...ctx.sessions.counts(), pendingSockets: ctx.pending.size, usedTickets: ctx.usedTickets.size, ...ctx.counters }),
    close,
  };
}

/** The idle and grace sweep runs often enough for short test timeouts, at most once a second. */
function sweepInterval(settings: RelaySettings): number {
  return Math.max(5, Math.min(1_000, Math.min(settings.idleTimeoutMs, settings.reconnectGraceMs) / 4));
}

function refuseUpgrade(socket: Duplex, status: string): void {
  socket.on('error', ignore);
  socket.end(`HTTP/1.1 ${status}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
}

function ignore(): void {}

import type { ClientRequest } from 'node:http';
import { WebSocket, type ClientOptions, type RawData } from 'ws';
import type { SecureEndpoint, Transport } from '../../protocol/endpoint.js';
import { MAX_FRAME_BYTES } from '../../protocol/frames.js';
import { proxyAgentFor } from './proxy.js';
import { tlsOptions, whenTrusted, type Trust } from './trust.js';

/**
 * The agent's connection to the relay: every port at once (the first WebSocket to open wins),
 * then, whenever it drops, again with a fresh ticket and a backoff of 0.5 s doubling to 15 s.
 * The endpoint keeps its keys across reconnects and resumes where the peer stopped.
 * Outbound only: nothing here listens.
 */

/** Relay close codes the agent acts on (see relay/close-codes.ts). */
const CLOSE_ENDED = 4000;
const CLOSE_REPLACED = 4409;

/** The broker will not issue tickets any more (session ended, token revoked, policy). */
export class SessionGone extends Error {
  override name = 'SessionGone';
}

/** One relay URL per port, on the server's host; wss for an https server. */
export function relayUrls(server: URL, path: string, ports: number[]): string[] {
  const scheme = server.protocol === 'https:' ? 'wss' : 'ws';
  return ports.map((port) => `${scheme}://${server.hostname}:${port}${path}`);
}

/** Opens one relay WebSocket with the agent's trust and proxy; sends nothing before trust. */
export function openRelaySocket(url: string, trust: Trust, env: NodeJS.ProcessEnv, handshakeTimeoutMs = 10_000): WebSocket {
  const target = new URL(url);
  const secure = target.protocol === 'wss:';
  const agent = proxyAgentFor(target, env);
  const options: ClientOptions & { protocol: string } = {
    // agent-base reads `protocol` to decide whether the tunnel needs TLS.
    protocol: secure ? 'https:' : 'http:',
    handshakeTimeout: handshakeTimeoutMs,
    maxPayload: MAX_FRAME_BYTES + 1024,
    perMessageDeflate: false,
    followRedirects: false,
    ...(agent && { agent }),
    ...((secure ? tlsOptions(trust) : {}) as ClientOptions),
    finishRequest: (request: ClientRequest) => whenTrusted(request, secure ? trust : { caPem: null, fingerprint: null }, () => request.end()),
  };
  return new WebSocket(url, options);
}

/**
 * Opens every URL in parallel and resolves with the first socket that opens; all others are
 * terminated at once. Rejects when all failed, none opened within `timeoutMs`, or `signal` aborts.
 */
export function openFirst(urls: string[], open: (url: string) => WebSocket, timeoutMs: number, signal?: AbortSignal): Promise<{ socket: WebSocket; url: string }> {
  return new Promise((resolve, reject) => {
    const sockets = new Map<WebSocket, string>();
    const failures: string[] = [];
    let settled = false;
    const finish = (winner: WebSocket | null, error?: Error): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      for (const socket of sockets.keys()) if (socket !== winner) socket.terminate();
      if (winner) resolve({ socket: winner, url: sockets.get(winner)! });
      else reject(error);
    };
    const timer = setTimeout(() => finish(null, new Error(`No relay port answered within ${timeoutMs / 1000} s (${urls.join(', ')}).`)), timeoutMs);
    if (signal?.aborted) return finish(null, new Error('Stopped.'));
    signal?.addEventListener('abort', () => finish(null, new Error('Stopped.')), { once: true });
    for (const url of urls) {
      let socket: WebSocket;
      try {
        socket = open(url);
      } catch (error) {
        failures.push(`${url}: ${(error as Error).message}`);
        continue;
      }
      sockets.set(socket, url);
      socket.once('open', () => finish(socket));
      socket.on('error', (error) => {
        if (settled) return;
        failures.push(`${url}: ${error.message}`);
        if (failures.length === urls.length) finish(null, new Error(`Cannot reach the relay: ${failures.join('; ')}`));
      });
    }
    if (failures.length === urls.length) finish(null, new Error(`Cannot reach the relay: ${failures.join('; ')}`));
  });
}

/** What the link tells the session. */
export interface RelayLinkEvents {
  /** A socket is open and the endpoint attached; `again` after a drop. */
  onConnected(url: string, again: boolean): void;
  /** The connection dropped; the link is trying again. */
  onReconnecting(): void;
  /** The relay or broker says the session is over: stop, do not reconnect. */
  onGone(reason: 'ended' | 'replaced' | 'revoked'): void;
}

/** Settings of a RelayLink; timings are overridable for tests. */
export interface RelayLinkOptions {
  urls: string[];
  open: (url: string) => WebSocket;
  /** A fresh single-use ticket; throws SessionGone when the broker refuses for good. */
  freshTicket: () => Promise<string>;
  endpoint: Pick<SecureEndpoint, 'attach' | 'detach' | 'handleText' | 'handleBinary'>;
  events: RelayLinkEvents;
  initialBackoffMs?: number;
  maxBackoffMs?: number;
  connectTimeoutMs?: number;
  heartbeatMs?: number;
}

/** The relay connection of one session, reconnecting until stopped or told the session is over. */
export class RelayLink {
  private current: WebSocket | null = null;
  /** The current socket answered (pong or data) since the last heartbeat ping. */
  private alive = true;
  private stopped = false;
  /** Aborts a connection attempt in flight when the link is closed. */
  private readonly stopping = new AbortController();
  private reconnecting = false;
  private wake: (() => void) | null = null;
  private heartbeat: ReturnType<typeof setInterval> | null = null;
  private readonly initialBackoffMs: number;
  private readonly maxBackoffMs: number;
  private readonly connectTimeoutMs: number;

  constructor(private readonly options: RelayLinkOptions) {
    this.initialBackoffMs = options.initialBackoffMs ?? 500;
    this.maxBackoffMs = options.maxBackoffMs ?? 15_000;
    this.connectTimeoutMs = options.connectTimeoutMs ?? 10_000;
  }

  /** Connects with the bootstrap ticket, retrying with fresh ones until `deadlineMs` passed. */
  async start(firstTicket: string, deadlineMs: number): Promise<void> {
    const deadline = Date.now() + deadlineMs;
    let delay = this.initialBackoffMs;
    let ticket: string | null = firstTicket;
    for (;;) {
      try {
        ticket ??= await this.options.freshTicket();
        const { socket, url } = await openFirst(this.options.urls, this.options.open, this.connectTimeoutMs, this.stopping.signal);
        this.use(socket, ticket);
        this.options.events.onConnected(url, false);
        this.startHeartbeat();
        return;
      } catch (error) {
        ticket = null;
        if (error instanceof SessionGone || this.stopped || Date.now() + delay > deadline) throw error;
        await this.sleep(delay);
        delay = Math.min(delay * 2, this.maxBackoffMs);
      }
    }
  }

  /** Bytes written to the current socket but not yet sent. */
  get bufferedAmount(): number {
    return this.current?.bufferedAmount ?? 0;
  }

  /** Stops for good: no more reconnects; the socket is closed. */
  close(code = 1000, reason = 'bye'): void {
    this.stopped = true;
    this.stopping.abort();
    this.wake?.();
    if (this.heartbeat) clearInterval(this.heartbeat);
    this.heartbeat = null;
    const socket = this.current;
    this.current = null;
    if (socket && socket.readyState === WebSocket.OPEN) socket.close(code, reason);
    else socket?.terminate();
  }

  /** Drops the current socket as if the network failed (tests, and a dead heartbeat). */
  dropConnection(): void {
    this.current?.terminate();
  }

  private use(socket: WebSocket, ticket: string): void {
    this.current = socket;
    this.alive = true;
    const transport: Transport = {
      send: (data) => {
        if (socket.readyState === WebSocket.OPEN) socket.send(data);
      },
      close: (code, reason) => socket.close(code, reason),
    };
    socket.on('pong', () => {
      if (socket === this.current) this.alive = true;
    });
    socket.on('message', (data: RawData, isBinary: boolean) => {
      if (socket !== this.current) return;
      this.alive = true;
      if (isBinary) this.options.endpoint.handleBinary(toBytes(data));
      else this.options.endpoint.handleText(toBytes(data).toString());
    });
    socket.on('close', (code) => this.onClose(socket, code));
    this.options.endpoint.attach(transport, ticket);
  }

  private onClose(socket: WebSocket, code: number): void {
    if (socket !== this.current || this.stopped) return;
    this.current = null;
    this.options.endpoint.detach();
    if (code === CLOSE_ENDED) return this.gone('ended');
    if (code === CLOSE_REPLACED) return this.gone('replaced');
    this.options.events.onReconnecting();
    void this.reconnect();
  }

  private gone(reason: 'ended' | 'replaced' | 'revoked'): void {
    if (this.stopped) return;
    this.close();
    this.options.events.onGone(reason);
  }

  private async reconnect(): Promise<void> {
    if (this.reconnecting) return;
    this.reconnecting = true;
    let delay = this.initialBackoffMs;
    try {
      while (!this.stopped) {
        await this.sleep(delay);
        if (this.stopped) return;
        try {
          const ticket = await this.options.freshTicket();
          const { socket, url } = await openFirst(this.options.urls, this.options.open, this.connectTimeoutMs, this.stopping.signal);
          if (this.stopped) {
            socket.terminate();
            return;
          }
          this.use(socket, ticket);
          this.options.events.onConnected(url, true);
          return;
        } catch (error) {
          if (error instanceof SessionGone) return this.gone('revoked');
          delay = Math.min(delay * 2, this.maxBackoffMs);
        }
      }
    } finally {
      this.reconnecting = false;
    }
  }

  /** Pings every heartbeatMs; a socket that did not answer the previous ping is dropped. */
  private startHeartbeat(): void {
    const every = this.options.heartbeatMs ?? 20_000;
    this.heartbeat = setInterval(() => {
      const socket = this.current;
      if (!socket || socket.readyState !== WebSocket.OPEN) return;
      if (!this.alive) {
        socket.terminate();
        return;
      }
      this.alive = false;
      socket.ping();
    }, every);
    this.heartbeat.unref();
  }

  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(done, ms);
      function done(): void {
        clearTimeout(timer);
        resolve();
      }
      this.wake = done;
    });
  }
}

function toBytes(data: RawData): Buffer {
  if (Buffer.isBuffer(data)) return data;
  if (Array.isArray(data)) return Buffer.concat(data);
  return Buffer.from(data);
}

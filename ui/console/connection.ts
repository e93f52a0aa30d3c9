import type { SecureEndpoint, Transport } from '../../protocol/endpoint.js';

/**
 * The console's WebSocket to the relay. Every (re)connect uses a fresh single-use ticket from
 * the broker; a dropped socket is reopened with a backoff of 0.5 s doubling to 15 s, and the
 * endpoint resumes where the customer's side stopped. The relay saying the session is over
 * (close 4000) or that another window took it over (4409) stops it for good.
 */

/** A relay ticket from `POST /api/v1/sessions/:id/join`. */
export interface RelayTicket {
  ticket: string;
  relayPath: string;
}

/** The broker will not give tickets any more (session ended or not ours): stop trying. */
export class TicketRefused extends Error {
  override name = 'TicketRefused';
}

/** Why the connection stopped for good. */
export type GoneReason = 'ended' | 'replaced' | 'refused';

/** What the connection tells its owner. */
export interface ConnectionEvents {
  /** The relay joined us with the customer (keys are agreed next). */
  onPaired(): void;
  /** Our socket dropped; a new one is on its way. */
  onReconnecting(): void;
  onGone(reason: GoneReason, detail: string): void;
}

/** Settings of a RelayConnection; timings can be shortened in tests. */
export interface ConnectionOptions {
  endpoint: Pick<SecureEndpoint, 'attach' | 'detach' | 'handleText' | 'handleBinary'>;
  /** A fresh ticket; throws TicketRefused when the broker refuses for good. */
  ticket(): Promise<RelayTicket>;
  events: ConnectionEvents;
  initialBackoffMs?: number;
  maxBackoffMs?: number;
}

// Relay close codes the console acts on (relay/close-codes.ts).
const CLOSE_ENDED = 4000;
const CLOSE_REPLACED = 4409;

/** ws:// or wss:// on the page's own host (the CSP allows only 'self'). */
export function relayUrl(path: string, page: Pick<Location, 'protocol' | 'host'> = location): string {
  return `${page.protocol === 'https:' ? 'wss:' : 'ws:'}//${page.host}${path}`;
}

/** One session's relay connection, reconnecting until stopped or told the session is over. */
export class RelayConnection {
  private socket: WebSocket | null = null;
  private stopped = false;
  private delay: number;
  private retryTimer: ReturnType<typeof setTimeout> | null = null;

  constructor(private readonly options: ConnectionOptions) {
    this.delay = options.initialBackoffMs ?? 500;
  }

  start(): void {
    void this.connect();
  }

  /** Bytes the browser has not sent yet. */
  get bufferedAmount(): number {
    return this.socket?.bufferedAmount ?? 0;
  }

  /** Closes for good (session over or page left). */
  stop(code = 1000, reason = 'closed'): void {
    this.stopped = true;
    if (this.retryTimer) clearTimeout(this.retryTimer);
    const socket = this.socket;
    this.socket = null;
    if (socket && socket.readyState <= WebSocket.OPEN) socket.close(code, reason);
    this.options.endpoint.detach();
  }

  private async connect(): Promise<void> {
    if (this.stopped) return;
    let ticket: RelayTicket;
    try {
      ticket = await this.options.ticket();
    } catch (error) {
      if (error instanceof TicketRefused) return this.gone('refused', error.message);
      return this.retry();
    }
    if (this.stopped) return;
    const socket = new WebSocket(relayUrl(ticket.relayPath));
    socket.binaryType = 'arraybuffer';
    this.socket = socket;
    const transport: Transport = {
      send: (data) => {
        if (this.socket === socket && socket.readyState === WebSocket.OPEN) socket.send(data);
      },
      close: (code, reason) => socket.close(code, reason),
    };
    socket.onopen = () => this.options.endpoint.attach(transport, ticket.ticket);
    socket.onmessage = (event: MessageEvent<string | ArrayBuffer>) => this.onMessage(event.data);
    socket.onclose = (event) => {
      if (this.socket !== socket) return;
      this.socket = null;
      this.options.endpoint.detach();
      if (this.stopped) return;
      if (event.code === CLOSE_ENDED) return this.gone('ended', event.reason);
      if (event.code === CLOSE_REPLACED) return this.gone('replaced', event.reason);
      this.options.events.onReconnecting();
      this.retry();
    };
  }

  private onMessage(data: string | ArrayBuffer): void {
    if (typeof data !== 'string') {
      this.options.endpoint.handleBinary(new Uint8Array(data));
      return;
    }
    // The relay accepted our ticket: the next drop starts the backoff from the beginning.
    this.delay = this.options.initialBackoffMs ?? 500;
    if (/"type"\s*:\s*"paired"/.test(data)) this.options.events.onPaired();
    this.options.endpoint.handleText(data);
  }

  private retry(): void {
    if (this.stopped) return;
    const wait = this.delay;
    this.delay = Math.min(this.delay * 2, this.options.maxBackoffMs ?? 15_000);
    this.retryTimer = setTimeout(() => void this.connect(), wait);
  }

  private gone(reason: GoneReason, detail: string): void {
    if (this.stopped) return;
    this.stopped = true;
    this.options.events.onGone(reason, detail);
  }
}

import { WebSocket } from 'ws';
import { SecureEndpoint } from '../../protocol/endpoint.js';
import type { Message, MessageType } from '../../protocol/messages.js';

/** Something the test technician received. */
export interface Received {
  message: Message;
  payload: Uint8Array;
}

/**
 * The technician's side in the agent's end-to-end test: a real SecureEndpoint over a real
 * `ws` WebSocket to the relay, as the browser console will run it.
 */
export class TestTechnician {
  readonly endpoint: SecureEndpoint;
  readonly received: Received[] = [];
  readonly sas: string[] = [];
  readonly alerts: string[] = [];
  ended: string | null = null;
  private socket: WebSocket | null = null;

  constructor(sessionId: string, pin: string) {
    this.endpoint = new SecureEndpoint('technician', sessionId, pin);
    this.endpoint
      .on('message', (message, payload) => this.received.push({ message, payload: new Uint8Array(payload) }))
      .on('ready', ({ sas }) => this.sas.push(sas))
      .on('alert', (error) => this.alerts.push(error.code))
      .on('ended', (reason) => {
        this.ended = reason;
      });
  }

  /** Connects to the relay (the appliance's self-signed certificate is pinned by the caller's ca). */
  connect(url: string, ticket: string, ca: string): Promise<void> {
    return new Promise((resolve, reject) => {
      const socket = new WebSocket(url, { ca, perMessageDeflate: false });
      this.socket = socket;
      socket.once('open', () => {
        this.endpoint.attach({ send: (data) => socket.readyState === WebSocket.OPEN && socket.send(data), close: (code, reason) => socket.close(code, reason) }, ticket);
        resolve();
      });
      socket.once('error', reject);
      socket.on('message', (data, isBinary) => {
        const bytes = Buffer.isBuffer(data) ? data : Buffer.from(data as ArrayBuffer);
        if (isBinary) this.endpoint.handleBinary(bytes);
        else this.endpoint.handleText(bytes.toString());
      });
      socket.on('close', () => this.endpoint.detach());
    });
  }

  /** Messages of one type received so far. */
  messages<T extends MessageType>(type: T): Message<T>[] {
    return this.received.filter((r) => r.message.type === type).map((r) => r.message as Message<T>);
  }

  close(): void {
    this.endpoint.dispose();
    this.socket?.terminate();
  }
}

/** Polls until `check` holds, or fails the test with `what`. */
export async function until(check: () => boolean, what: string, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/** Polls an async check (a database query, say) until it holds, or fails with `what`. */
export async function eventually(check: () => Promise<boolean>, what: string, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

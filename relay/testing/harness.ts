/** Test factories for the relay: a relay on a real HTTP server, signed tickets, recording clients. */
import { randomUUID } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { WebSocket, type ClientOptions, type RawData } from 'ws';
import type { ControlMessage } from '../close-codes.js';
import type { Role } from '../options.js';
import { createRelay, type Relay, type RelayOptions } from '../relay.js';
import { generateSigningKey, signToken, type TicketPayload } from '../tickets.js';

/** One key pair per test process: generating is cheap, but tests read better without it. */
export const keys = generateSigningKey();

/** A fresh ticket for a session side; override fields to make it bad. */
export function buildTicket(sid: string, role: Role, overrides: Partial<TicketPayload> = {}, privatePem = keys.privatePem): string {
  return signToken({ v: 1, sid, role, jti: randomUUID(), exp: Date.now() + 60_000, ...overrides }, privatePem);
}

/** A relay attached to an HTTP server on 127.0.0.1, port 0. */
export interface TestRelay {
  relay: Relay;
  server: Server;
  url: string;
  close(): Promise<void>;
}

export async function startRelay(options: Partial<RelayOptions> = {}): Promise<TestRelay> {
  const relay = createRelay({ publicKey: keys.publicPem, ...options });
  const server = createServer((_req, res) => res.writeHead(426).end());
  relay.attach(server, '/relay');
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `ws://127.0.0.1:${(server.address() as AddressInfo).port}/relay`;
  const close = async (): Promise<void> => {
    await relay.close();
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  };
  return { relay, server, url, close };
}

/** How a client's socket closed. */
export interface Closed {
  code: number;
  reason: string;
}

/** A real ws client that queues what the relay sends, for `await next...()` in tests. */
export class TestClient {
  readonly controls: ControlMessage[] = [];
  readonly binaries: Buffer[] = [];
  readonly closed: Promise<Closed>;
  private readonly waiters = new Set<() => void>();

  private constructor(readonly ws: WebSocket) {
    ws.on('message', (data: RawData, isBinary: boolean) => {
      const bytes = Buffer.isBuffer(data) ? data : Buffer.from(data as ArrayBuffer);
      if (isBinary) this.binaries.push(bytes);
      else this.controls.push(JSON.parse(bytes.toString('utf8')) as ControlMessage);
      this.notify();
    });
    ws.on('error', () => {});
    this.closed = new Promise((resolve) => ws.on('close', (code, reason) => {
      this.notify();
      resolve({ code, reason: reason.toString() });
    }));
  }

  /** Opens a socket to the relay without sending anything. */
  static async connect(url: string, options: ClientOptions = {}): Promise<TestClient> {
    const client = new TestClient(new WebSocket(url, options));
    await new Promise<void>((resolve, reject) => {
      client.ws.once('open', resolve);
      client.ws.once('error', reject);
    });
    return client;
  }

  /** Opens a socket and sends the join message. */
  static async join(url: string, ticket: string, options: ClientOptions = {}): Promise<TestClient> {
    const client = await TestClient.connect(url, options);
    client.ws.send(JSON.stringify({ ticket }));
    return client;
  }

  /** The next control message (text) from the relay. */
  nextControl(timeoutMs = 3_000): Promise<ControlMessage> {
    return this.take(this.controls, 'control message', timeoutMs);
  }

  /** The next forwarded binary frame. */
  nextBinary(timeoutMs = 3_000): Promise<Buffer> {
    return this.take(this.binaries, 'binary frame', timeoutMs);
  }

  send(data: Uint8Array | string): void {
    this.ws.send(data);
  }

  close(): void {
    this.ws.close();
  }

  private notify(): void {
    for (const wake of [...this.waiters]) wake();
  }

  private async take<T>(queue: T[], what: string, timeoutMs: number): Promise<T> {
    const deadline = Date.now() + timeoutMs;
    while (queue.length === 0) {
      if (this.ws.readyState === WebSocket.CLOSED) throw new Error(`socket closed while waiting for a ${what}`);
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`no ${what} within ${timeoutMs} ms`);
      await new Promise<void>((resolve) => {
        const wake = (): void => {
          clearTimeout(timer);
          this.waiters.delete(wake);
          resolve();
        };
        const timer = setTimeout(wake, left);
        this.waiters.add(wake);
      });
    }
    return queue.shift()!;
  }
}

/** Joins both sides of a new session and checks the waiting/paired sequence. */
export async function pair(url: string, sid = randomUUID()): Promise<{ sid: string; technician: TestClient; customer: TestClient }> {
  const technician = await TestClient.join(url, buildTicket(sid, 'technician'));
  await expectControl(technician, { type: 'waiting' });
  const customer = await TestClient.join(url, buildTicket(sid, 'customer'));
  await expectControl(customer, { type: 'paired', resumed: false });
  await expectControl(technician, { type: 'paired', resumed: false });
  return { sid, technician, customer };
}

/** Awaits the next control message and compares it. */
export async function expectControl(client: TestClient, expected: ControlMessage): Promise<void> {
  const actual = await client.nextControl();
  if (JSON.stringify(actual) !== JSON.stringify(expected)) throw new Error(`expected ${JSON.stringify(expected)}, got ${JSON.stringify(actual)}`);
}

/** Polls until the condition holds. */
export async function waitFor(condition: () => boolean, timeoutMs = 3_000, what = 'condition'): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`${what} not met within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

/** Resolves after ms. */
export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

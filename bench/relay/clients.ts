/**
 * Bench child that plays the endpoints: pairs of ws clients through the relay, or pairs of raw
 * TCP sockets through the plain pipe. Driven by bench/relay/run.ts over IPC.
 */
import { createPrivateKey, randomBytes, randomUUID, type KeyObject } from 'node:crypto';
import { once } from 'node:events';
import { connect, type Socket } from 'node:net';
import { performance } from 'node:perf_hooks';
import { WebSocket, type RawData } from 'ws';
import { signToken } from '../../relay/tickets.js';
import { serve } from './ipc.js';
import { maskedFrame, RawClient, serverFrameBytes } from './raw-ws.js';

type Role = 'technician' | 'customer';
interface RelayTarget {
  url: string;
  privatePem: string;
  /** The certificate to trust for wss: URLs. */
  ca?: string;
}

let signingKey: KeyObject | null = null;
function ticket(privatePem: string, sid: string, role: Role): string {
  signingKey ??= createPrivateKey(privatePem);
  return signToken({ v: 1, sid, role, jti: randomUUID(), exp: Date.now() + 600_000 }, signingKey);
}

/** Opens one ws client, sends its ticket and resolves on the relay's first control message. */
async function join(target: RelayTarget, sid: string, role: Role): Promise<WebSocket> {
  const ws = new WebSocket(target.url, { perMessageDeflate: false });
  ws.on('error', () => {});
  await once(ws, 'open');
  ws.send(JSON.stringify({ ticket: ticket(target.privatePem, sid, role) }));
  await nextMessage(ws);
  return ws;
}

/** Resolves on the socket's next message; rejects if it closes first. */
function nextMessage(ws: WebSocket): Promise<void> {
  return new Promise((resolve, reject) => {
    const onClose = (code: number): void => reject(new Error(`closed with ${code}`));
    ws.once('close', onClose);
    ws.once('message', () => {
      ws.off('close', onClose);
      resolve();
    });
  });
}

async function relayPair(target: RelayTarget): Promise<[WebSocket, WebSocket]> {
  const sid = randomUUID();
  const a = await join(target, sid, 'technician');
  const pairedA = nextMessage(a);
  const b = await join(target, sid, 'customer');
  await pairedA;
  return [a, b];
}

async function pipePair(port: number): Promise<[Socket, Socket]> {
  const open = async (role: string): Promise<Socket> => {
    const socket = connect({ port, host: '127.0.0.1', noDelay: true });
    await once(socket, 'connect');
    socket.write(role);
    return socket;
  };
  const a = await open('A');
  const b = await open('B');
  await Promise.all([once(a, 'data'), once(b, 'data')]);
  return [a, b];
}

/** Sends `frames` frames of `frameBytes` from a to b through the relay; keeps at most 64 unflushed. */
async function throughputRelay(args: RelayTarget & { frames: number; frameBytes: number }): Promise<{ ms: number }> {
  const [a, b] = await relayPair(args);
  const frame = randomBytes(args.frameBytes);
  let received = 0;
  const done = new Promise<void>((resolve) => b.on('message', () => ++received === args.frames && resolve()));
  const started = performance.now();
  let sent = 0;
  let inFlight = 0;
  const pump = (): void => {
    while (sent < args.frames && inFlight < 64) {
      sent++;
      inFlight++;
      a.send(frame, () => {
        inFlight--;
        pump();
      });
    }
  };
  pump();
  await done;
  const ms = performance.now() - started;
  a.terminate();
  b.terminate();
  return { ms };
}

/**
 * Like throughputPipe, but through the relay with bare WebSocket clients writing one pre-masked
 * frame: the client side costs what a TCP client costs, so the figure is the relay's.
 */
async function throughputRaw(args: RelayTarget & { frames: number; frameBytes: number; zeroMask: boolean }): Promise<{ ms: number }> {
  const sid = randomUUID();
  const a = await RawClient.join(args.url, ticket(args.privatePem, sid, 'technician'), args.ca);
  await a.nextText();
  const b = await RawClient.join(args.url, ticket(args.privatePem, sid, 'customer'), args.ca);
  await Promise.all([a.nextText(), b.nextText()]);
  a.release();
  // Small frames go out batched up to 64 KiB per write, so the client's syscalls stay few.
  const perWrite = Math.max(1, Math.floor(65_536 / args.frameBytes));
  const frame = maskedFrame(0x2, randomBytes(args.frameBytes), args.zeroMask);
  const batch = Buffer.concat(Array.from({ length: perWrite }, () => frame));
  const total = args.frames * serverFrameBytes(args.frameBytes);
  let received = b.release().length;
  const done = new Promise<void>((resolve) => b.socket.on('data', (chunk: Buffer) => (received += chunk.length) >= total && resolve()));
  const started = performance.now();
  for (let i = 0; i < args.frames; i += perWrite) {
    const data = args.frames - i >= perWrite ? batch : batch.subarray(0, (args.frames - i) * frame.length);
    if (!a.socket.write(data)) await once(a.socket, 'drain');
  }
  await done;
  const ms = performance.now() - started;
  a.socket.destroy();
  b.socket.destroy();
  return { ms };
}

async function throughputPipe(args: { port: number; frames: number; frameBytes: number }): Promise<{ ms: number }> {
  const [a, b] = await pipePair(args.port);
  const frame = randomBytes(args.frameBytes);
  const total = args.frames * args.frameBytes;
  let received = 0;
  const done = new Promise<void>((resolve) => b.on('data', (chunk: Buffer) => (received += chunk.length) >= total && resolve()));
  const started = performance.now();
  for (let i = 0; i < args.frames; i++) if (!a.write(frame)) await once(a, 'drain');
  await done;
  const ms = performance.now() - started;
  a.destroy();
  b.destroy();
  return { ms };
}

/** Sends one message per tick (~rate/s) for `seconds`, b echoes, a records round trips (ms). */
async function measureRoundTrips(send: (message: Buffer) => void, args: { rate: number; seconds: number; bytes: number }, sentAt: number[]): Promise<void> {
  const total = Math.round(args.rate * args.seconds);
  let id = 0;
  await new Promise<void>((resolve) => {
    const timer = setInterval(() => {
      const message = Buffer.alloc(args.bytes, 1);
      message.writeUInt32BE(id, 0);
      sentAt[id] = performance.now();
      send(message);
      if (++id === total) {
        clearInterval(timer);
        resolve();
      }
    }, 1000 / args.rate);
  });
  await new Promise((resolve) => setTimeout(resolve, 500));
}

async function latencyRelay(args: RelayTarget & { rate: number; seconds: number; bytes: number }): Promise<{ rtts: number[] }> {
  const [a, b] = await relayPair(args);
  const sentAt: number[] = [];
  const rtts: number[] = [];
  b.on('message', (data: RawData) => b.send(data as Buffer));
  a.on('message', (data: RawData) => rtts.push(performance.now() - sentAt[(data as Buffer).readUInt32BE(0)]!));
  await measureRoundTrips((message) => a.send(message), args, sentAt);
  a.terminate();
  b.terminate();
  return { rtts };
}

async function latencyPipe(args: { port: number; rate: number; seconds: number; bytes: number }): Promise<{ rtts: number[] }> {
  const [a, b] = await pipePair(args.port);
  const sentAt: number[] = [];
  const rtts: number[] = [];
  b.on('data', (chunk: Buffer) => b.write(chunk));
  let pending = Buffer.alloc(0);
  a.on('data', (chunk: Buffer) => {
    pending = Buffer.concat([pending, chunk]);
    while (pending.length >= args.bytes) {
      rtts.push(performance.now() - sentAt[pending.readUInt32BE(0)]!);
      pending = pending.subarray(args.bytes);
    }
  });
  await measureRoundTrips((message) => a.write(message), args, sentAt);
  a.destroy();
  b.destroy();
  return { rtts };
}

const idle: WebSocket[] = [];

/** Joins `count` sessions as one role (another child joins the other role), `concurrency` at a time. */
async function idleOpen(args: RelayTarget & { role: Role; count: number; concurrency: number }): Promise<{ opened: number; failed: number }> {
  let next = 0;
  let failed = 0;
  const worker = async (): Promise<void> => {
    while (next < args.count) {
      const index = next++;
      try {
        idle.push(await join(args, `idle-${index}`, args.role));
      } catch {
        failed++;
      }
    }
  };
  await Promise.all(Array.from({ length: args.concurrency }, worker));
  return { opened: idle.length, failed };
}

serve({
  throughputRelay,
  throughputRaw,
  throughputPipe,
  latencyRelay,
  latencyPipe,
  idleOpen,
  idleClose: () => {
    for (const ws of idle.splice(0)) ws.terminate();
    return null;
  },
});

process.on('SIGTERM', () => process.exit(0));

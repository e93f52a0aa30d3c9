/**
 * Bench child that hosts what is measured: the relay (on a plain HTTP or HTTPS server), the minimal
 * ws relay or a plain TCP forwarder, alone in its process so its memory and CPU time are its own.
 * Driven by bench/relay/run.ts.
 */
import { createServer as createHttpServer, type Server as HttpServer } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import { createServer as createNetServer, type Server, type Socket } from 'node:net';
import type { AddressInfo } from 'node:net';
import { createRelay, type Relay } from '../../relay/relay.js';
import { serve } from './ipc.js';
import { attachMinimalRelay } from './minimal-relay.js';

/** PEM certificate and key: the server speaks TLS (as the standalone relay with RELAY_TLS_*). */
interface TlsArgs {
  tls?: { cert: string; key: string };
}

const gc = (globalThis as { gc?: () => void }).gc ?? (() => {});
let relay: Relay | null = null;
const servers: (Server | HttpServer)[] = [];

function listen(server: Server | HttpServer): Promise<number> {
  servers.push(server);
  // A deep backlog: the idle phase opens thousands of connections at once.
  return new Promise((resolve) => server.listen({ port: 0, host: '127.0.0.1', backlog: 4096 }, () => resolve((server.address() as AddressInfo).port)));
}

/** The plain-pipe baseline: pairs connections by their first byte ('A' or 'B') and pipes them both ways. */
function startPipe(): Promise<number> {
  const slots: Partial<Record<'A' | 'B', Socket>> = {};
  const server = createNetServer((socket) => {
    socket.setNoDelay(true);
    socket.on('error', () => {});
    socket.once('data', (chunk: Buffer) => {
      socket.pause();
      if (chunk.length > 1) socket.unshift(chunk.subarray(1));
      slots[chunk[0] === 0x41 ? 'A' : 'B'] = socket;
      const { A: a, B: b } = slots;
      if (!a || !b) return;
      delete slots.A;
      delete slots.B;
      a.write('k');
      b.write('k');
      a.pipe(b);
      b.pipe(a);
    });
  });
  return listen(server);
}

function memory(): NodeJS.MemoryUsage {
  for (let i = 0; i < 3; i++) gc();
  return process.memoryUsage();
}

function httpServer({ tls }: TlsArgs): HttpServer {
  const onRequest: Parameters<typeof createHttpServer>[1] = (_req, res) => res.writeHead(426).end();
  return tls ? createHttpsServer(tls, onRequest) : createHttpServer(onRequest);
}

serve({
  relay: async ({ publicPem, tls }: { publicPem: string } & TlsArgs) => {
    relay ??= createRelay({ publicKey: publicPem, maxSessions: 20_000 });
    const server = httpServer({ tls });
    relay.attach(server, '/relay');
    return { port: await listen(server) };
  },
  minimal: async ({ tls }: TlsArgs) => {
    const server = httpServer({ tls });
    attachMinimalRelay(server);
    return { port: await listen(server) };
  },
  pipe: async () => ({ port: await startPipe() }),
  /** This process's CPU time so far (user + system), in microseconds. */
  cpu: () => {
    const { user, system } = process.cpuUsage();
    return user + system;
  },
  memory: () => memory(),
  stats: () => relay?.stats() ?? null,
});

process.on('SIGTERM', () => {
  void relay?.close();
  for (const server of servers) server.close();
  process.exit(0);
});

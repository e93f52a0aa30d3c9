import { createServer as createHttpServer } from 'node:http';
import { createServer, connect, type AddressInfo, type Server, type Socket } from 'node:net';

/** A TCP forwarder the test can cut: every open connection is destroyed at once. */
export interface CuttableProxy {
  port: number;
  /** Connections forwarded so far. */
  connections: number;
  cut(): void;
  close(): Promise<void>;
}

/**
 * Forwards 127.0.0.1:<port> to the target port (a getter, so the proxy can exist before the
 * server it forwards to); `cut()` simulates a network failure.
 */
export async function startCuttableProxy(targetPort: () => number): Promise<CuttableProxy> {
  const pairs = new Set<[Socket, Socket]>();
  const state = { connections: 0 };
  const server = createServer((client) => {
    state.connections += 1;
    const upstream = connect(targetPort(), '127.0.0.1');
    const pair: [Socket, Socket] = [client, upstream];
    pairs.add(pair);
    client.pipe(upstream).pipe(client);
    const drop = () => {
      pairs.delete(pair);
      client.destroy();
      upstream.destroy();
    };
    client.on('error', drop).on('close', drop);
    upstream.on('error', drop).on('close', drop);
  });
  await listen(server);
  const cut = (): void => {
    for (const [client, upstream] of pairs) {
      client.destroy();
      upstream.destroy();
    }
    pairs.clear();
  };
  return {
    port: (server.address() as AddressInfo).port,
    get connections() {
      return state.connections;
    },
    cut,
    close() {
      cut();
      return new Promise((resolve) => server.close(() => resolve()));
    },
  };
}

/** A port that accepts TCP connections and never answers (a firewall that swallows packets). */
export interface BlackHole {
  port: number;
  /** Connections accepted, and how many of them the client has closed again. */
  accepted: number;
  closedByClient: number;
  close(): Promise<void>;
}

export async function startBlackHole(): Promise<BlackHole> {
  const sockets = new Set<Socket>();
  const state = { accepted: 0, closedByClient: 0 };
  const server = createServer((socket) => {
    state.accepted += 1;
    sockets.add(socket);
    // Read (and drop) what arrives, so the client's FIN is noticed.
    socket.resume();
    socket.on('error', () => {});
    socket.on('close', () => {
      if (sockets.delete(socket)) state.closedByClient += 1;
    });
  });
  await listen(server);
  return {
    port: (server.address() as AddressInfo).port,
    get accepted() {
      return state.accepted;
    },
    get closedByClient() {
      return state.closedByClient;
    },
    close() {
      for (const socket of sockets) {
        sockets.delete(socket);
        socket.destroy();
      }
      return new Promise((resolve) => server.close(() => resolve()));
    },
  };
}

function listen(server: Server): Promise<void> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
}

/** An HTTP CONNECT proxy (what HTTPS_PROXY points at) that records the host:port of each tunnel. */
export interface ConnectProxy {
  port: number;
  tunnels: string[];
  close(): Promise<void>;
}

export async function startConnectProxy(): Promise<ConnectProxy> {
  const tunnels: string[] = [];
  const sockets = new Set<Socket>();
  const server = createHttpServer((_req, res) => res.writeHead(405).end());
  server.on('connect', (req, client: Socket, head: Buffer) => {
    const target = req.url ?? '';
    tunnels.push(target);
    const separator = target.lastIndexOf(':');
    const upstream = connect(Number(target.slice(separator + 1)), target.slice(0, separator).replace(/^\[|\]$/g, ''), () => {
      client.write('HTTP/1.1 200 Connection Established\r\n\r\n');
      upstream.write(head);
      upstream.pipe(client).pipe(upstream);
    });
    for (const socket of [client, upstream]) {
      sockets.add(socket);
      socket.on('error', () => {}).on('close', () => {
        sockets.delete(socket);
        client.destroy();
        upstream.destroy();
      });
    }
  });
  await listen(server);
  return {
    port: (server.address() as AddressInfo).port,
    tunnels,
    close() {
      for (const socket of sockets) socket.destroy();
      return new Promise((resolve) => server.close(() => resolve()));
    },
  };
}

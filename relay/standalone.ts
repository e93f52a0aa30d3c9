/**
 * Runs the relay on its own (for a relay host separate from the broker):
 *   RELAY_PUBLIC_KEY_FILE=broker-public.pem node --import tsx relay/standalone.ts
 * Env: RELAY_PORT (8200), RELAY_HOST (0.0.0.0), RELAY_PUBLIC_KEY_FILE (required),
 * RELAY_TLS_CERT / RELAY_TLS_KEY (PEM files: HTTPS when both are given), RELAY_IDLE_MINUTES (30),
 * LOG_LEVEL (info). Serves WebSockets on /relay and `GET /healthz`; logs JSON; SIGTERM is graceful.
 */
import { readFileSync } from 'node:fs';
import { createServer as createHttpServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { pino } from 'pino';
import { createRelay } from './relay.js';

const logger = pino({ name: 'relay', level: process.env.LOG_LEVEL ?? 'info' });

function envNumber(name: string, fallback: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 0) throw new Error(`${name} must be a non-negative integer`);
  return value;
}

function requiredFile(name: string): string {
  const path = process.env[name];
  if (!path) throw new Error(`${name} is required`);
  return readFileSync(path, 'utf8');
}

function onRequest(req: IncomingMessage, res: ServerResponse): void {
  const healthy = req.method === 'GET' && req.url === '/healthz';
  res.writeHead(healthy ? 200 : 426, { 'content-type': 'application/json' });
  res.end(healthy ? '{"ok":true}' : '{"error":"websocket_only"}');
}

function start(): void {
  const relay = createRelay({
    publicKey: requiredFile('RELAY_PUBLIC_KEY_FILE'),
    idleTimeoutMs: envNumber('RELAY_IDLE_MINUTES', 30) * 60_000,
    logger,
  });
  const certFile = process.env.RELAY_TLS_CERT;
  const keyFile = process.env.RELAY_TLS_KEY;
  const tls = Boolean(certFile && keyFile);
  const server = tls ? createHttpsServer({ cert: readFileSync(certFile!), key: readFileSync(keyFile!) }, onRequest) : createHttpServer(onRequest);
  server.on('clientError', (_error, socket) => socket.destroy());
  server.on('error', (error) => {
    logger.error({ err: error.message }, 'relay server failed');
    process.exit(1);
  });
  relay.attach(server, '/relay');
  const host = process.env.RELAY_HOST || '0.0.0.0';
  server.listen(envNumber('RELAY_PORT', 8200), host, () => {
    logger.info({ host, port: (server.address() as AddressInfo).port, tls }, 'relay listening');
  });

  let stopping = false;
  const stop = (signal: string): void => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'relay stopping');
    server.close();
    server.closeIdleConnections();
    void relay.close().then(() => {
      logger.info({}, 'relay stopped');
      logger.flush();
      process.exitCode = 0;
      server.closeAllConnections();
    });
  };
  process.on('SIGTERM', () => stop('SIGTERM'));
  process.on('SIGINT', () => stop('SIGINT'));
}

try {
  start();
} catch (error) {
  logger.error({ err: (error as Error).message }, 'relay failed to start');
  process.exitCode = 1;
}

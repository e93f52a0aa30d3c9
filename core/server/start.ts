import { X509Certificate } from 'node:crypto';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import { serve, type ServerType } from '@hono/node-server';
import type { Config } from '../../config/schema.js';
import { createRelay, type Relay, type RelayOptions } from '../../relay/relay.js';
import { startCheckpointTimer } from '../audit/checkpoints.js';
import { AuditForwarder } from '../audit/forward/forwarder.js';
import { forwardTargetsFromConfig } from '../audit/forward/from-config.js';
import { bootAppliance, type Appliance, type BootOptions } from '../boot.js';
import { settleNotifications } from '../desk/notify.js';
import { createApp } from '../http/app.js';
import type { Services } from '../http/env.js';
import { endSupportSession } from '../sessions/end.js';
import { loadTls, type TlsFiles } from './tls.js';

/** Longest a shutdown waits for e-mail notifications still being sent. */
const MAIL_SETTLE_MS = 10_000;

/** A listening appliance: its URL, its parts, and a graceful close. */
export interface RunningAppliance extends Appliance {
  url: string;
  /** Port of the extra relay listener (RELAY_PORT), or null when there is none. */
  relayPort: number | null;
  relay: Relay;
  close(): Promise<void>;
}

/** Options for starting; tests may tap the relay to record what it forwards. */
export interface StartOptions extends BootOptions {
  publicDir?: string;
  relayTap?: RelayOptions['tap'];
}

/** Where the built UI lives: dist/public beside the compiled or source tree. */
export const defaultPublicDir = fileURLToPath(new URL(import.meta.url.includes('/dist/') ? '../../public' : '../../dist/public', import.meta.url));

/** Starts one listener (HTTPS or HTTP) serving the app, with the relay on /relay. */
function listen(fetch: (req: Request) => Response | Promise<Response>, host: string, port: number, tls: TlsFiles | null, relay: Relay): Promise<ServerType> {
  return new Promise((resolve, reject) => {
    const server = serve({
      fetch, hostname: host, port,
      ...(tls && { createServer: createHttpsServer, serverOptions: { cert: tls.cert, key: tls.key, minVersion: 'TLSv1.2' } }),
    }, () => resolve(server));
    server.once('error', reject);
    // A response that ends after close() began leaves a keep-alive connection idle, and Node
    // would keep it (and close()) waiting for keepAliveTimeout: end such connections at once.
    server.on('request', (_req, res) => res.once('finish', () => {
      if (!server.listening) setImmediate(() => (server as { closeIdleConnections?: () => void }).closeIdleConnections?.());
    }));
    relay.attach(server as never, '/relay');
  });
}

/** The relay in this process, wired to the broker: ended sessions close, idle ones end. */
function startRelay(services: Services, tap: RelayOptions['tap']): Relay {
  const { config, clock, logger } = services;
  const relay = createRelay({
    publicKey: services.signing.publicPem,
    now: () => clock.now(),
    idleTimeoutMs: config.relayIdleMinutes * 60_000,
    logger,
    ...(tap && { tap }),
    events: {
      onClosed: (sid, reason) => {
        // The broker learns of closes it did not start (idle timeout, peer gone for good).
        void endSupportSession(services, sid, 'system', `relay: ${reason}`).catch((error: unknown) => logger.warn({ err: error, sid }, 'could not end session'));
      },
    },
  });
  services.relay = relay;
  return relay;
}

/** Forwards the audit log to the configured syslog/SIEM targets; returns the stop function. */
function startAuditForwarding(services: Services): () => void {
  const targets = forwardTargetsFromConfig(services.config);
  if (targets.length === 0) return () => {};
  const forwarder = new AuditForwarder(services.db, services.logger, targets);
  const unsubscribe = services.audit.onAppend(() => forwarder.wake());
  const stop = forwarder.start();
  return () => {
    unsubscribe();
    stop();
  };
}

/** Signs the audit chain head every AUDIT_CHECKPOINT_MINUTES (when it moved); returns the stop function. */
function startCheckpoints(services: Services): () => void {
  const { config, db, audit, checkpointKey, clock, logger } = services;
  if (config.auditCheckpointMinutes === 0) return () => {};
  return startCheckpointTimer(db, audit, checkpointKey, () => clock.now(), config.auditCheckpointMinutes * 60_000, (error) => logger.error({ err: error }, 'audit checkpoint failed'));
}

/**
 * Boots the appliance and listens: HTTPS by default, plain HTTP with TLS=off; the relay shares
 * the port (path /relay) and also gets RELAY_PORT for agents. close() stops accepting, lets
 * in-flight requests finish (idle keep-alive connections close at once), closes the relay,
 * then the database.
 */
export async function startAppliance(config: Config, options: StartOptions = {}): Promise<RunningAppliance> {
  const appliance = await bootAppliance(config, options);
  const servers: ServerType[] = [];
  let relay: Relay | null = null;
  let stopBackgroundWork = () => {};
  const stopAll = async () => {
    stopBackgroundWork();
    await relay?.close();
    await Promise.all(servers.map((server) => new Promise<void>((resolve) => {
      server.close(() => resolve());
      (server as { closeIdleConnections?: () => void }).closeIdleConnections?.();
    })));
    // Mails the last requests started (incident updates) go out before the database closes,
    // but a mail server that hangs must not hold the shutdown for long.
    await Promise.race([settleNotifications(appliance.services), new Promise((resolve) => setTimeout(resolve, MAIL_SETTLE_MS).unref())]);
    await appliance.services.db.destroy();
  };
  try {
    const { app } = createApp(appliance.services, appliance.plugins, { publicDir: options.publicDir ?? defaultPublicDir });
    const tls = config.tls === 'on' ? await loadTls(config, { db: appliance.services.db, vault: appliance.services.vault, now: appliance.services.clock.now() }) : null;
    if (tls) appliance.services.tlsFingerprint = new X509Certificate(tls.cert).fingerprint256.replace(/:/g, '').toLowerCase();
    relay = startRelay(appliance.services, options.relayTap);
    servers.push(await listen(app.fetch, config.host, config.port, tls, relay));
    const port = (servers[0]!.address() as AddressInfo).port;
    if (config.relayPort !== 0 && config.relayPort !== port) servers.push(await listen(app.fetch, config.host, config.relayPort, tls, relay));
    const relayPort = servers[1] ? (servers[1].address() as AddressInfo).port : null;

    const host = config.host === '0.0.0.0' || config.host === '::' ? 'localhost' : config.host;
    const url = `${tls ? 'https' : 'http'}://${host.includes(':') ? `[${host}]` : host}:${port}`;
    const { logger, setup } = appliance.services;
    logger.info({ url, relayPort, tls: tls ? (tls.selfSigned ? 'self-signed' : 'configured') : 'off' }, 'appliance listening');
    if (setup.token) {
      const base = config.publicUrl ?? url;
      logger.warn({ setupUrl: `${base.replace(/\/$/, '')}/setup?token=${setup.token}` }, 'no account admin yet: open the one-time setup link to create one');
    }
    const stopPlugins = appliance.plugins.startBackgroundWork();
    const stopForwarding = startAuditForwarding(appliance.services);
    const stopCheckpoints = startCheckpoints(appliance.services);
    stopBackgroundWork = () => {
      stopPlugins();
      stopForwarding();
      stopCheckpoints();
    };
    let closing: Promise<void> | null = null;
    return { ...appliance, url, relayPort, relay, close: () => (closing ??= stopAll()) };
  } catch (error) {
    // A failed start (port taken, bad TLS files) must not leave a listener, the relay or the DB open.
    await stopAll().catch(() => undefined);
    throw error;
  }
}

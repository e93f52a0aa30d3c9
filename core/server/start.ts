import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import { serve, type ServerType } from '@hono/node-server';
import type { Config } from '../../config/schema.js';
import { bootAppliance, type Appliance, type BootOptions } from '../boot.js';
import { createApp } from '../http/app.js';
import { loadTls } from './tls.js';

/** A listening appliance: its URL, its parts, and a graceful close. */
export interface RunningAppliance extends Appliance {
  url: string;
  close(): Promise<void>;
}

/** Where the built UI lives: dist/public beside the compiled or source tree. */
export const defaultPublicDir = fileURLToPath(new URL(import.meta.url.includes('/dist/') ? '../../public' : '../../dist/public', import.meta.url));

/**
 * Boots the appliance and listens: HTTPS by default, plain HTTP with TLS=off. close() stops
 * accepting, lets in-flight requests finish (idle keep-alive connections are closed at once),
 * then closes the database.
 */
export async function startAppliance(config: Config, options: BootOptions & { publicDir?: string } = {}): Promise<RunningAppliance> {
  const appliance = await bootAppliance(config, options);
  const { app } = createApp(appliance.services, appliance.plugins, { publicDir: options.publicDir ?? defaultPublicDir });
  const tls = config.tls === 'on' ? await loadTls(config) : null;
  const server: ServerType = await new Promise((resolve, reject) => {
    const s = serve({
      fetch: app.fetch,
      hostname: config.host,
      port: config.port,
      ...(tls && { createServer: createHttpsServer, serverOptions: { cert: tls.cert, key: tls.key, minVersion: 'TLSv1.2' } }),
    }, () => resolve(s));
    s.once('error', reject);
  });
  const port = (server.address() as AddressInfo).port;
  const host = config.host === '0.0.0.0' || config.host === '::' ? 'localhost' : config.host;
  const url = `${tls ? 'https' : 'http'}://${host.includes(':') ? `[${host}]` : host}:${port}`;
  const { logger, setup } = appliance.services;
  logger.info({ url, tls: tls ? (tls.selfSigned ? 'self-signed' : 'configured') : 'off' }, 'appliance listening');
  if (setup.token) {
    const base = config.publicUrl ?? url;
    logger.warn({ setupUrl: `${base.replace(/\/$/, '')}/setup?token=${setup.token}` }, 'no account admin yet: open the one-time setup link to create one');
  }
  let closing: Promise<void> | null = null;
  const close = () => (closing ??= (async () => {
    await new Promise<void>((resolve) => {
      server.close(() => resolve());
      (server as { closeIdleConnections?: () => void }).closeIdleConnections?.();
    });
    await appliance.services.db.destroy();
  })());
  return { ...appliance, url, close };
}

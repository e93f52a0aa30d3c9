import { X509Certificate } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { WebSocket } from 'ws';
import { loadConfig } from '../../config/load.js';
import { createApp } from '../../core/http/app.js';
import { startAppliance, type RunningAppliance } from '../../core/server/start.js';
import { loggedInAs, TestClient, type TestAppliance } from '../../core/testing/appliance.js';

/** A real appliance over HTTPS for the agent's end-to-end tests, with a relay and a technician. */
export interface AgentTestBed {
  appliance: RunningAppliance;
  url: string;
  /** The self-signed certificate (PEM) and its SHA-256 fingerprint (hex). */
  cert: string;
  fingerprint: string;
  /** The appliance's port, which also serves the relay on /relay. */
  relayPort: number;
  technician: TestClient;
  /** Opens a support session; returns its id and PIN. */
  createSession(): Promise<{ id: string; pin: string }>;
  close(): Promise<void>;
}

/** Whether the appliance already answers WebSocket upgrades on /relay. */
function servesRelay(url: string): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = new WebSocket(`${url.replace(/^http/, 'ws')}/relay`, { rejectUnauthorized: false, handshakeTimeout: 3_000 });
    socket.once('open', () => {
      socket.terminate();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

/**
 * Starts the real appliance (TLS on, self-signed, random port, data in a temp dir, its relay on
 * /relay of the same port) and a technician in a group allowed diagnostics and file transfer.
 * `env` adds configuration (e.g. AGENT_PORTS, which the bootstrap hands to the agent).
 */
export async function startAgentTestBed(options: { publicDir?: string; env?: Record<string, string> } = {}): Promise<AgentTestBed> {
  const dataDir = mkdtempSync(join(tmpdir(), 'rescuebox-agent-test-'));
  const appliance = await startAppliance(loadConfig({
    DATA_DIR: dataDir, PORT: '0', HOST: '127.0.0.1', TLS: 'on', RELAY_PORT: '0', LOG_LEVEL: 'silent',
    PIN_RATE_LIMIT_PER_IP: '1000', PIN_RATE_LIMIT_GLOBAL: '100000', LOGIN_RATE_LIMIT: '1000', ...options.env,
  }), options.publicDir ? { publicDir: options.publicDir } : {});
  const cert = readFileSync(join(dataDir, 'tls', 'cert.pem'), 'utf8');
  const fingerprint = new X509Certificate(cert).fingerprint256.replace(/:/g, '').toLowerCase();
  const relayPort = Number(new URL(appliance.url).port);
  if (!(await servesRelay(appliance.url))) {
    await appliance.close();
    throw new Error('The appliance does not serve /relay: the agent tests need the real relay.');
  }
  // The technician's API calls go in-process (same services and database as the HTTPS server).
  const { app, routes } = createApp(appliance.services, appliance.plugins);
  const t = { ...appliance, app, routes, close: async () => {} } as unknown as TestAppliance;
  const admin = (await loggedInAs(t, 'account_admin')).client;
  const group = (await (await admin.request('POST', '/api/v1/groups', { name: 'Support', permissions: ['diagnostics', 'file_transfer'] })).json()) as { group: { id: string } };
  const technician = (await loggedInAs(t, 'technician', { groups: [group.group.id] })).client;
  return {
    appliance, url: appliance.url, cert, fingerprint, relayPort, technician,
    async createSession() {
      const res = await technician.request('POST', '/api/v1/sessions', {});
      if (res.status !== 201) throw new Error(`create session: ${res.status} ${await res.text()}`);
      return (await res.json()) as { id: string; pin: string };
    },
    async close() {
      await appliance.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

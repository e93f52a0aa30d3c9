import assert from 'node:assert/strict';
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { after, describe, it } from 'node:test';
import { CloseCode, CloseReason } from './close-codes.js';
import { expectControl, keys, pair, TestClient, buildTicket } from './testing/harness.js';

const dir = mkdtempSync(join(tmpdir(), 'relay-standalone-'));
const keyFile = join(dir, 'broker-public.pem');
writeFileSync(keyFile, keys.publicPem);

/** Starts relay/standalone.ts as a real process and waits for its `relay listening` log line. */
async function startStandalone(env: Record<string, string>): Promise<{ child: ChildProcess; port: number; logs: Record<string, unknown>[] }> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'relay/standalone.ts'], {
    env: { ...process.env, RELAY_PORT: '0', RELAY_HOST: '127.0.0.1', RELAY_PUBLIC_KEY_FILE: keyFile, ...env },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const logs: Record<string, unknown>[] = [];
  const lines = createInterface({ input: child.stdout! });
  const port = await new Promise<number>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('standalone relay did not start')), 15_000);
    child.once('exit', (code) => reject(new Error(`standalone relay exited with ${code}`)));
    lines.on('line', (line) => {
      const entry = JSON.parse(line) as Record<string, unknown>;
      logs.push(entry);
      if (entry.msg === 'relay listening') {
        clearTimeout(timer);
        resolve(entry.port as number);
      }
    });
  });
  return { child, port, logs };
}

describe('relay/standalone.ts', () => {
  const children: ChildProcess[] = [];
  after(() => {
    for (const child of children) if (child.exitCode === null) child.kill('SIGKILL');
    rmSync(dir, { recursive: true, force: true });
  });

  it('runs as its own process: pairs two clients, logs JSON, stops gracefully on SIGTERM', async () => {
    const { child, port, logs } = await startStandalone({});
    children.push(child);
    const { technician, customer } = await pair(`ws://127.0.0.1:${port}/relay`);
    technician.send(Buffer.from('through a real process'));
    assert.deepEqual(await customer.nextBinary(), Buffer.from('through a real process'));
    const health = await fetch(`http://127.0.0.1:${port}/healthz`);
    assert.deepEqual(await health.json(), { ok: true });
    child.kill('SIGTERM');
    const [code] = (await once(child, 'exit')) as [number | null];
    assert.equal(code, 0);
    for (const client of [technician, customer]) assert.deepEqual(await client.closed, { code: CloseCode.goingAway, reason: CloseReason.shutdown });
    const messages = logs.map((entry) => entry.msg);
    for (const msg of ['relay listening', 'relay paired', 'relay stopping', 'relay stopped']) assert.ok(messages.includes(msg), msg);
    assert.ok(!JSON.stringify(logs).includes('through a real process'));
  });

  it('serves wss:// when RELAY_TLS_CERT and RELAY_TLS_KEY are given', async () => {
    const cert = join(dir, 'cert.pem');
    const key = join(dir, 'key.pem');
    execFileSync('openssl', ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-keyout', key, '-out', cert, '-days', '1', '-subj', '/CN=localhost'], { stdio: 'ignore' });
    const { child, port } = await startStandalone({ RELAY_TLS_CERT: cert, RELAY_TLS_KEY: key });
    children.push(child);
    const sid = 'tls-session';
    const options = { rejectUnauthorized: false };
    const technician = await TestClient.join(`wss://127.0.0.1:${port}/relay`, buildTicket(sid, 'technician'), options);
    await expectControl(technician, { type: 'waiting' });
    const customer = await TestClient.join(`wss://127.0.0.1:${port}/relay`, buildTicket(sid, 'customer'), options);
    await expectControl(customer, { type: 'paired', resumed: false });
    customer.send(Buffer.from([9, 8, 7]));
    assert.deepEqual(await technician.nextBinary(), Buffer.from([9, 8, 7]));
    child.kill('SIGTERM');
    assert.deepEqual(await once(child, 'exit'), [0, null]);
  });

  it('refuses to start without a public key file', async () => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'relay/standalone.ts'], { env: { ...process.env, RELAY_PUBLIC_KEY_FILE: '' }, stdio: 'ignore' });
    children.push(child);
    const [code] = (await once(child, 'exit')) as [number | null];
    assert.equal(code, 1);
  });
});

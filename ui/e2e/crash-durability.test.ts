import assert from 'node:assert/strict';
import { spawn, type ChildProcessByStdio } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { once } from 'node:events';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { Agent, request } from 'node:https';
import { createServer, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import { after, before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import Sqlite from 'better-sqlite3';
import { chromium, type Browser } from 'playwright-core';
import { settings } from '../../config/schema.js';
import { AgentProcess } from './agent-process.js';

// Crash durability with real parts: the appliance as a child process is killed with SIGKILL in
// the middle of 1,000 concurrent API writes and restarted on the same data dir and port. Every
// write it answered 2xx must be there, the audit chain must verify, and the real agent (child
// process) and the technician's console in Chromium must resume their end-to-end session: the
// relay's state is in memory and lost, but both endpoints keep their keys and unacknowledged
// frames, fetch fresh tickets from the restarted broker and resume where the peer stopped.
const root = fileURLToPath(new URL('../..', import.meta.url));
const ADMIN = { email: 'admin@example.test', password: 'Owner-secret-2026' };
const TECH = { email: 'tina@example.test', password: 'Field-secret-2026' };
const WRITES = 1_000;
const KILL_AFTER_ANSWERS = 300;

async function freePort(): Promise<number> {
  const server = createServer().listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

type Main = ChildProcessByStdio<null, Readable, Readable> & { output: () => string };

/** Starts `core/main.ts` and resolves once it logs that it listens. */
async function startMain(env: Record<string, string>): Promise<Main> {
  const childEnv: NodeJS.ProcessEnv = { ...process.env };
  for (const s of Object.values(settings)) delete childEnv[s.env];
  const child = spawn(process.execPath, ['--import', 'tsx', 'core/main.ts'], { cwd: root, env: { ...childEnv, ...env }, stdio: ['ignore', 'pipe', 'pipe'] }) as Main;
  let out = '';
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => (out += chunk));
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => (out += chunk));
  child.output = () => out;
  const deadline = Date.now() + 60_000;
  while (!out.includes('appliance listening')) {
    if (child.exitCode !== null || Date.now() > deadline) throw new Error(`the appliance did not start:\n${out}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return child;
}

/** A logged-in API caller over HTTPS, pinned to the appliance's self-signed certificate. */
class ApiClient {
  private cookie = '';
  private csrf = '';
  constructor(private readonly base: string, private readonly agent: Agent) {}

  call(method: string, path: string, body?: unknown): Promise<{ status: number; json: Record<string, unknown> }> {
    return new Promise((resolve, reject) => {
      const data = body === undefined ? undefined : JSON.stringify(body);
      const req = request(`${this.base}${path}`, {
        method, agent: this.agent,
        headers: { ...(data && { 'content-type': 'application/json' }), ...(this.cookie && { cookie: this.cookie }), ...(this.csrf && method !== 'GET' && { 'x-csrf-token': this.csrf }) },
      }, (res) => {
        let text = '';
        res.setEncoding('utf8').on('data', (chunk: string) => (text += chunk)).on('end', () => {
          const setCookie = res.headers['set-cookie']?.[0];
          if (setCookie) this.cookie = setCookie.split(';')[0]!;
          resolve({ status: res.statusCode ?? 0, json: text.startsWith('{') ? (JSON.parse(text) as Record<string, unknown>) : {} });
        }).on('error', reject);
      });
      req.on('error', reject);
      req.end(data);
    });
  }

  async login(email: string, password: string): Promise<void> {
    const res = await this.call('POST', '/api/v1/auth/login', { email, password });
    assert.equal(res.status, 200, JSON.stringify(res.json));
    this.csrf = String(res.json.csrfToken);
  }
}

type Write = { kind: 'incident' | 'comment' | 'user'; id: string };

describe('crash durability: kill -9 during 1,000 concurrent writes', { timeout: 300_000 }, () => {
  let dir: string;
  let env: Record<string, string>;
  let main: Main | null = null;
  let browser: Browser;
  let agent: AgentProcess | null = null;

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'rb-crash-'));
    const port = String(await freePort());
    env = {
      DATA_DIR: join(dir, 'data'), PORT: port, HOST: '127.0.0.1', TLS: 'on', RELAY_PORT: '0', AGENT_PORTS: port, LOG_LEVEL: 'info',
      ADMIN_EMAIL: ADMIN.email, ADMIN_PASSWORD: ADMIN.password, LOGIN_RATE_LIMIT: '10000', SESSION_IDLE_MINUTES: '1440',
    };
    main = await startMain(env);
    browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'] });
  });

  after(async () => {
    agent?.kill();
    await browser?.close();
    if (main && main.exitCode === null) {
      main.kill('SIGTERM');
      await once(main, 'exit');
    }
    rmSync(dir, { recursive: true, force: true });
  });

  it('keeps every answered write, a valid audit chain, and the support session', async (t) => {
    const started = Date.now();
    const mark = (what: string) => t.diagnostic(`${((Date.now() - started) / 1000).toFixed(1)} s: ${what}`);
    const base = `https://127.0.0.1:${env.PORT}`;
    const ca = readFileSync(join(env.DATA_DIR!, 'tls', 'cert.pem'), 'utf8');
    const fingerprint = new (await import('node:crypto')).X509Certificate(ca).fingerprint256.replace(/:/g, '').toLowerCase();
    const https = new Agent({ ca, keepAlive: true, maxSockets: 64, checkServerIdentity: () => undefined });
    const admin = new ApiClient(base, https);
    await admin.login(ADMIN.email, ADMIN.password);
    const group = await admin.call('POST', '/api/v1/groups', { name: 'Support', permissions: ['service_desk', 'file_transfer', 'diagnostics'] });
    const groupId = String((group.json.group as { id: string }).id);
    assert.equal((await admin.call('POST', '/api/v1/users', { email: TECH.email, password: TECH.password, role: 'technician', groups: [groupId], displayName: 'Tina' })).status, 201);
    const requester = await admin.call('POST', '/api/v1/users', { email: 'carl@example.test', password: 'Customer-secret-2026', role: 'customer' });
    const requesterId = String((requester.json.user as { id: string }).id);
    const tech = new ApiClient(base, https);
    await tech.login(TECH.email, TECH.password);
    const incident = (title: string) => ({ title, description: 'crash test', category: 'hardware', impact: 'medium', urgency: 'medium', requesterId });
    const parents: string[] = [];
    for (let i = 0; i < 5; i += 1) parents.push(String(((await tech.call('POST', '/api/v1/desk/incidents', incident(`parent ${i}`))).json.incident as { id: string }).id));

    // The support session: console in Chromium, the real agent as a child process.
    const context = await browser.newContext({ ignoreHTTPSErrors: true, locale: 'en-US' });
    const page = await context.newPage();
    await page.goto(`${base}/login`);
    await page.getByLabel('E-mail').fill(TECH.email);
    await page.getByLabel('Password').fill(TECH.password);
    await page.getByTestId('login-submit').click();
    await page.waitForURL('**/console');
    await page.getByTestId('new-session').click();
    const pin = (await page.getByTestId('session-pin').innerText()).replace(/\D/g, '');
    agent = new AgentProcess(['--server', base, '--pin', pin, '--fingerprint', fingerprint, '--ports', env.PORT!]);
    await page.getByTestId('session-row').first().getByTestId('session-join').click();
    const ready = await agent.waitFor((e) => e.event === 'ready', 'ready');
    await page.getByTestId('sas').filter({ hasText: String(ready.sas) }).waitFor();
    const before = `before-${randomBytes(4).toString('hex')}`;
    agent.say(`chat ${before}`);
    await page.getByTestId('chat-log').filter({ hasText: before }).waitFor();

    mark('session ready');
    // 1,000 concurrent writes; SIGKILL once some hundreds were answered.
    const acknowledged: Write[] = [];
    let answered = 0;
    let killed!: () => void;
    const killedAt = new Promise<void>((resolve) => (killed = resolve));
    const tracked = async (kind: Write['kind'], send: () => Promise<{ status: number; json: Record<string, unknown> }>) => {
      try {
        const res = await send();
        answered += 1;
        if (res.status >= 200 && res.status < 300) acknowledged.push({ kind, id: String((res.json[kind] as { id: string }).id) });
        if (answered === KILL_AFTER_ANSWERS) killed();
      } catch {
        // refused or reset by the kill: not answered, so nothing is promised
      }
    };
    const writes = Array.from({ length: WRITES }, (_, i) => {
      if (i % 10 < 6) return tracked('incident', () => tech.call('POST', '/api/v1/desk/incidents', incident(`burst ${i}`)));
      if (i % 10 < 9) return tracked('comment', () => tech.call('POST', `/api/v1/desk/incidents/${parents[i % parents.length]}/comments`, { body: `comment ${i}`, visibility: 'internal' }));
      return tracked('user', () => admin.call('POST', '/api/v1/users', { email: `burst-${i}@example.test`, password: `Burst-secret-${i}-2026`, role: 'customer' }));
    });
    await Promise.race([killedAt, Promise.all(writes)]);
    main!.kill('SIGKILL');
    await once(main!, 'exit');
    await Promise.all(writes);
    https.destroy();
    mark(`killed: ${answered} answered, ${acknowledged.length} acknowledged (${['incident', 'comment', 'user'].map((k) => `${acknowledged.filter((w) => w.kind === k).length} ${k}s`).join(', ')})`);
    assert.ok(acknowledged.length >= KILL_AFTER_ANSWERS - 20 && answered < WRITES, `killed mid-burst: ${acknowledged.length} acknowledged, ${answered} answered of ${WRITES}`);

    // Both ends notice; the customer writes while the appliance is down.
    await agent.waitFor((e) => e.event === 'reconnecting', 'agent reconnecting');
    const during = `during-${randomBytes(4).toString('hex')}`;
    agent.say(`chat ${during}`);

    main = await startMain(env);
    mark('restarted');

    // Every acknowledged write is in the database.
    const db = new Sqlite(join(env.DATA_DIR!, 'appliance.db'), { readonly: true, fileMustExist: true });
    try {
      const tables = { incident: 'desk_incidents', comment: 'desk_comments', user: 'users' } as const;
      const missing = acknowledged.filter((w) => !db.prepare(`SELECT 1 FROM ${tables[w.kind]} WHERE id = ?`).get(w.id));
      assert.deepEqual(missing, [], `${missing.length} of ${acknowledged.length} acknowledged writes are missing`);
    } finally {
      db.close();
    }
    const https2 = new Agent({ ca, keepAlive: false, checkServerIdentity: () => undefined });
    const adminAgain = new ApiClient(base, https2);
    await adminAgain.login(ADMIN.email, ADMIN.password);
    const chain = await adminAgain.call('GET', '/api/v1/audit/verify');
    assert.equal(chain.json.ok, true, JSON.stringify(chain.json));

    // The agent and the console resume the same session: the message written during the outage
    // arrives, and chat works both ways again, with the same keys (no new SAS).
    await agent.waitFor((e) => e.event === 'reconnected', 'agent reconnected', 60_000);
    mark('agent reconnected');
    await page.getByTestId('chat-log').filter({ hasText: during }).waitFor({ timeout: 60_000 });
    mark('console got the message written during the outage');
    const after = `after-${randomBytes(4).toString('hex')}`;
    await page.getByTestId('chat-input').fill(after);
    await page.getByTestId('chat-send').click();
    await agent.waitFor((e) => e.event === 'chat' && e.text === after, 'chat to customer after the restart');
    const back = `back-${randomBytes(4).toString('hex')}`;
    agent.say(`chat ${back}`);
    await page.getByTestId('chat-log').filter({ hasText: back }).waitFor();
    assert.equal(agent.events.filter((e) => e.event === 'ready').length, 1, 'resumed with the same keys: no second handshake');
    assert.equal(agent.events.filter((e) => e.event === 'chat' && e.text === after).length, 1, 'nothing delivered twice');
    assert.equal(await page.getByTestId('chat-log').filter({ hasText: during }).count(), 1);
    https2.destroy();
  });
});

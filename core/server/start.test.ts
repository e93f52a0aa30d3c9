import assert from 'node:assert/strict';
import { spawn, type ChildProcessByStdio } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, rmSync } from 'node:fs';
import { request as httpRequest, Agent as HttpAgent } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { connect, createServer, type AddressInfo, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import type { TLSSocket } from 'node:tls';
import { fileURLToPath } from 'node:url';
import { after, describe, it } from 'node:test';
import { loadConfig } from '../../config/load.js';
import { settings } from '../../config/schema.js';
import { createLogger } from '../support/logger.js';
import { insertUser } from '../accounts/users.js';
import { hashPassword } from '../auth/password-hash.js';
import { startSmtpSink } from '../mail/smtp-sink.js';
import { startAppliance, type RunningAppliance } from './start.js';

const root = fileURLToPath(new URL('../..', import.meta.url));
const base = mkdtempSync(join(tmpdir(), 'rescuebox-start-'));
after(() => rmSync(base, { recursive: true, force: true }));
let dirCounter = 0;
const freshDataDir = () => join(base, `data-${(dirCounter += 1)}`);

const GOOD_PASSWORD = 'Correct-horse-battery-staple-7';

/** Starts the appliance on 127.0.0.1 and a free port (no extra relay port), with a silent logger. */
function start(tls: 'on' | 'off', env: Record<string, string> = {}): Promise<RunningAppliance> {
  const config = loadConfig({ DATA_DIR: freshDataDir(), HOST: '127.0.0.1', PORT: '0', RELAY_PORT: '0', TLS: tls, LOG_LEVEL: 'silent', ...env });
  return startAppliance(config, { logger: createLogger('silent'), publicDir: join(base, 'no-ui') });
}

interface Answer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
  protocol: string | null;
}

/** One GET over node:http or node:https (any certificate accepted); also reports the TLS version. */
function get(url: string, agent?: HttpAgent): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const send = url.startsWith('https:') ? httpsRequest : httpRequest;
    const req = send(url, { rejectUnauthorized: false, ...(agent && { agent }) }, (res) => {
      const protocol = 'getProtocol' in res.socket ? (res.socket as TLSSocket).getProtocol() : null;
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (body += chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body, protocol }));
    });
    req.on('error', reject);
    req.end();
  });
}

/** Resolves with the connection error code (ECONNREFUSED…) or 'connected'. */
function tryConnect(port: number): Promise<string> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    socket.once('connect', () => {
      socket.destroy();
      resolve('connected');
    });
    socket.once('error', (error: NodeJS.ErrnoException) => resolve(error.code ?? error.message));
  });
}

const portOf = (url: string) => Number(new URL(url).port);

describe('startAppliance', () => {
  it('serves /healthz over TLS 1.2+ with HSTS when TLS is on', async () => {
    const appliance = await start('on');
    try {
      assert.match(appliance.url, /^https:\/\/127\.0\.0\.1:\d+$/);
      const res = await get(`${appliance.url}/healthz`);
      assert.equal(res.status, 200);
      assert.match(String(res.headers['content-type']), /application\/json/);
      assert.equal((JSON.parse(res.body) as { status: string }).status, 'ok');
      assert.ok(res.protocol === 'TLSv1.2' || res.protocol === 'TLSv1.3', `protocol ${res.protocol}`);
      assert.match(String(res.headers['strict-transport-security']), /max-age=\d+/);
      // Plain HTTP on the TLS port gets no answer from the app.
      await assert.rejects(get(appliance.url.replace('https:', 'http:') + '/healthz'));
    } finally {
      await appliance.close();
    }
  });

  it('serves plain HTTP without HSTS when TLS is off', async () => {
    const appliance = await start('off');
    try {
      assert.match(appliance.url, /^http:\/\/127\.0\.0\.1:\d+$/);
      const res = await get(`${appliance.url}/healthz`);
      assert.equal(res.status, 200);
      assert.equal((JSON.parse(res.body) as { status: string }).status, 'ok');
      assert.equal(res.headers['strict-transport-security'], undefined);
      assert.equal(res.headers['x-frame-options'], 'DENY');
    } finally {
      await appliance.close();
    }
  });

  it('also serves on RELAY_PORT when set', async () => {
    const relayPort = await freePort();
    const appliance = await start('off', { RELAY_PORT: String(relayPort) });
    try {
      assert.equal(appliance.relayPort, relayPort);
      assert.equal((await get(`http://127.0.0.1:${relayPort}/healthz`)).status, 200);
    } finally {
      await appliance.close();
    }
    assert.equal(await tryConnect(relayPort), 'ECONNREFUSED');
  });

  it('fails to start when a port is taken, leaving no listener open', async () => {
    const blocker = createServer().listen(0, '127.0.0.1');
    await once(blocker, 'listening');
    try {
      const taken = (blocker.address() as AddressInfo).port;
      const port = await freePort();
      await assert.rejects(start('off', { PORT: String(port), RELAY_PORT: String(taken) }), /EADDRINUSE/);
      assert.equal(await tryConnect(port), 'ECONNREFUSED', 'the main listener was closed again');
    } finally {
      await new Promise((resolve) => blocker.close(resolve));
    }
  });

  it('closes gracefully: idle keep-alive connections end at once, new connections are refused, the DB is closed', async () => {
    const appliance = await start('off');
    const agent = new HttpAgent({ keepAlive: true });
    try {
      const res = await get(`${appliance.url}/healthz`, agent);
      assert.equal(res.status, 200);
      assert.equal(agent.freeSockets[Object.keys(agent.freeSockets)[0] ?? '']?.length, 1, 'an idle keep-alive connection is open');
      const started = Date.now();
      await appliance.close();
      assert.ok(Date.now() - started < 2000, `close took ${Date.now() - started} ms: it waited for the idle keep-alive connection`);
      assert.equal(await tryConnect(portOf(appliance.url)), 'ECONNREFUSED');
      await assert.rejects(appliance.services.db.selectFrom('users').select('id').execute());
      await appliance.close(); // a second close is harmless
    } finally {
      agent.destroy();
    }
  });

  it('lets an in-flight request finish before it closes the DB', async () => {
    const appliance = await start('off');
    const port = portOf(appliance.url);
    const body = JSON.stringify({ email: 'nobody@example.test', password: 'Wrong-password-1' });
    // A request whose body arrives in two parts: the handler is running, waiting for the rest.
    const socket: Socket = connect(port, '127.0.0.1');
    await once(socket, 'connect');
    let answer = '';
    socket.setEncoding('utf8');
    socket.on('data', (chunk: string) => (answer += chunk));
    const ended = once(socket, 'end');
    socket.write(`POST /api/v1/auth/login HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\n\r\n${body.slice(0, 10)}`);
    await new Promise((resolve) => setTimeout(resolve, 200));

    let closed = false;
    const closing = appliance.close().then(() => (closed = true));
    await new Promise((resolve) => setTimeout(resolve, 200));
    assert.equal(closed, false, 'close waits for the in-flight request');
    assert.equal(await tryConnect(port), 'ECONNREFUSED');

    socket.write(body.slice(10));
    const started = Date.now();
    await closing;
    assert.ok(Date.now() - started < 2000, `close took ${Date.now() - started} ms after the last response`);
    await ended; // the server ended the connection once the response was out
    assert.match(answer, /^HTTP\/1\.1 401 /, 'the in-flight request got its real answer (the DB was still open)');
    assert.match(answer, /invalid_credentials/);
    await assert.rejects(appliance.services.db.selectFrom('users').select('id').execute());
    socket.destroy();
  });

  it('sends the e-mail notifications the last requests started before it closes', async () => {
    const sink = await startSmtpSink();
    const appliance = await start('off', { SMTP_HOST: '127.0.0.1', SMTP_PORT: String(sink.port), SMTP_SECURITY: 'none', SMTP_FROM: 'desk@example.test' });
    try {
      const { db, clock } = appliance.services;
      await insertUser(db, clock, { email: 'ann@example.test', role: 'customer', passwordHash: await hashPassword(GOOD_PASSWORD) });
      const login = await fetch(`${appliance.url}/api/v1/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email: 'ann@example.test', password: GOOD_PASSWORD }) });
      assert.equal(login.status, 200);
      const { csrfToken } = await login.json() as { csrfToken: string };
      const cookie = login.headers.getSetCookie().map((c) => c.split(';')[0]).join('; ');
      const created = await fetch(`${appliance.url}/api/v1/portal/incidents`, {
        method: 'POST', headers: { 'content-type': 'application/json', cookie, 'x-csrf-token': csrfToken },
        body: JSON.stringify({ title: 'Printer on fire', description: 'Smoke.', category: 'hardware', urgency: 'high' }),
      });
      assert.equal(created.status, 201);
      await appliance.close();
      assert.ok(sink.received.some((mail) => mail.to.includes('ann@example.test')), 'the confirmation mail went out before close() resolved');
    } finally {
      await appliance.close();
      await sink.close();
    }
  });
});

/** A port that was free a moment ago (PORT=0 inside the child is not observable from outside). */
async function freePort(): Promise<number> {
  const server = createServer();
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

interface MainProcess {
  child: ChildProcessByStdio<null, Readable, Readable>;
  stdout: () => string;
  stderr: () => string;
  exited: Promise<number | null>;
  /** Resolves once a stdout line matches, rejects if the process exits first or after 20 s. */
  waitForLine(pattern: RegExp): Promise<string>;
}

/** Spawns `node --import tsx core/main.ts` with only the given settings in its environment. */
function spawnMain(env: Record<string, string>): MainProcess {
  const childEnv: NodeJS.ProcessEnv = { ...process.env };
  for (const s of Object.values(settings)) delete childEnv[s.env];
  const child = spawn(process.execPath, ['--import', 'tsx', 'core/main.ts'], { cwd: root, env: { ...childEnv, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => (out += chunk));
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => (err += chunk));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  const waitForLine = (pattern: RegExp) => new Promise<string>((resolve, reject) => {
    const check = () => {
      const line = out.split('\n').find((l) => pattern.test(l));
      if (line === undefined) return false;
      cleanup();
      resolve(line);
      return true;
    };
    const onExit = (code: number | null) => {
      if (check()) return;
      cleanup();
      reject(new Error(`main exited with ${code} before logging ${pattern}\nstdout: ${out}\nstderr: ${err}`));
    };
    const timer = setTimeout(() => {
      cleanup();
      reject(new Error(`no ${pattern} within 20 s\nstdout: ${out}\nstderr: ${err}`));
    }, 20_000);
    const cleanup = () => {
      clearTimeout(timer);
      child.stdout.off('data', check);
      child.off('exit', onExit);
    };
    if (check()) return;
    child.stdout.on('data', check);
    child.on('exit', onExit);
  });
  return { child, stdout: () => out, stderr: () => err, exited, waitForLine };
}

/** Sends SIGTERM unless the process already ended; for `finally`. */
async function stop(main: MainProcess): Promise<number | null> {
  if (main.child.exitCode === null && main.child.signalCode === null) main.child.kill('SIGTERM');
  return main.exited;
}

const postJson = (url: string, body: unknown) => fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });

describe('core/main.ts as a process', { timeout: 60_000 }, () => {
  it('logs a one-time setup link, creates the first admin with it once, and exits 0 on SIGTERM', async () => {
    const port = await freePort();
    const main = spawnMain({ DATA_DIR: freshDataDir(), RELAY_PORT: '0', HOST: '127.0.0.1', PORT: String(port), TLS: 'off' });
    try {
      await main.waitForLine(/appliance listening/);
      const health = await fetch(`http://127.0.0.1:${port}/healthz`);
      assert.equal(health.status, 200);

      const line = await main.waitForLine(/\/setup\?token=/);
      const log = JSON.parse(line) as { setupUrl: string; level: number };
      const setupUrl = new URL(log.setupUrl);
      assert.equal(setupUrl.origin, `http://127.0.0.1:${port}`);
      const token = setupUrl.searchParams.get('token') ?? '';
      assert.ok(token.length >= 20, 'the setup token is long');
      for (const l of main.stdout().trim().split('\n')) JSON.parse(l); // every stdout line is a JSON log line

      const api = `http://127.0.0.1:${port}/api/v1/setup`;
      assert.equal((await postJson(api, { token: `${token}x`, email: 'admin@example.test', password: GOOD_PASSWORD })).status, 403);
      const created = await postJson(api, { token, email: 'admin@example.test', password: GOOD_PASSWORD });
      assert.equal(created.status, 201, await created.clone().text());
      assert.equal(((await created.json()) as { user: { role: string } }).user.role, 'account_admin');
      const again = await postJson(api, { token, email: 'second@example.test', password: GOOD_PASSWORD });
      assert.equal(again.status, 403);

      const login = await postJson(`http://127.0.0.1:${port}/api/v1/auth/login`, { email: 'admin@example.test', password: GOOD_PASSWORD });
      assert.equal(login.status, 200);
      assert.ok(!main.stdout().includes(GOOD_PASSWORD), 'the password never reaches the log');

      main.child.kill('SIGTERM');
      assert.equal(await main.exited, 0, main.stderr());
      assert.match(main.stdout(), /"msg":"stopped"/);
    } finally {
      await stop(main);
    }
  });

  it('creates the first admin from ADMIN_EMAIL/ADMIN_PASSWORD, who can log in; no setup link', async () => {
    const port = await freePort();
    const main = spawnMain({ DATA_DIR: freshDataDir(), RELAY_PORT: '0', HOST: '127.0.0.1', PORT: String(port), TLS: 'off', ADMIN_EMAIL: 'Boss@Example.test', ADMIN_PASSWORD: GOOD_PASSWORD });
    try {
      await main.waitForLine(/appliance listening/);
      const login = await postJson(`http://127.0.0.1:${port}/api/v1/auth/login`, { email: 'boss@example.test', password: GOOD_PASSWORD });
      assert.equal(login.status, 200, await login.clone().text());
      assert.equal(((await login.json()) as { user: { role: string } }).user.role, 'account_admin');
      assert.doesNotMatch(main.stdout(), /setup\?token=/);
      assert.equal((await (await fetch(`http://127.0.0.1:${port}/api/v1/setup`)).json() as { needed: boolean }).needed, false);
      assert.ok(!main.stdout().includes(GOOD_PASSWORD), 'the password never reaches the log');
      main.child.kill('SIGTERM');
      assert.equal(await main.exited, 0, main.stderr());
    } finally {
      await stop(main);
    }
  });

  it('refuses to start with a weak ADMIN_PASSWORD: exit 1, naming ADMIN_PASSWORD', async () => {
    const main = spawnMain({ DATA_DIR: freshDataDir(), RELAY_PORT: '0', HOST: '127.0.0.1', PORT: String(await freePort()), TLS: 'off', ADMIN_EMAIL: 'admin@example.test', ADMIN_PASSWORD: 'password' });
    try {
      assert.equal(await main.exited, 1);
      assert.match(main.stderr(), /ADMIN_PASSWORD/);
      assert.doesNotMatch(main.stdout(), /appliance listening/);
    } finally {
      await stop(main);
    }
  });

  it('refuses to start with an invalid PORT: exit 1, naming PORT', async () => {
    const main = spawnMain({ DATA_DIR: freshDataDir(), RELAY_PORT: '0', PORT: '70000', TLS: 'off' });
    try {
      assert.equal(await main.exited, 1);
      assert.match(main.stderr(), /port \(PORT\)/);
    } finally {
      await stop(main);
    }
  });
});

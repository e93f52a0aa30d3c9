import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { get } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { createApp } from '../core/http/app.js';
import { loggedInAs, TestClient, type TestAppliance } from '../core/testing/appliance.js';
import { AgentProcess } from './testing/agent-process.js';
import { startAgentTestBed, type AgentTestBed } from './testing/appliance.js';
import { startBlackHole, startConnectProxy } from './testing/tcp.js';
import { TestTechnician, until } from './testing/technician.js';

const repoRoot = fileURLToPath(new URL('../', import.meta.url));

/** GET over HTTPS trusting `ca`; the body as a string. */
function download(url: string, ca: string): Promise<string> {
  return new Promise((resolve, reject) => {
    get(url, { ca }, (res) => {
      let body = '';
      res.setEncoding('utf8').on('data', (chunk: string) => (body += chunk)).on('end', () => (res.statusCode === 200 ? resolve(body) : reject(new Error(`GET ${url}: ${res.statusCode}`))));
    }).on('error', reject);
  });
}

/**
 * How the agent starts and stops against the real appliance: refused PINs, unreachable or
 * impostor servers, the PIN page flow with the single-file bundle through a proxy, the
 * technician ending the session, and a tampered handshake.
 */
describe('agent start-up, bundle and endings', { timeout: 180_000 }, () => {
  let bed: AgentTestBed;
  let work: string;
  const children: AgentProcess[] = [];
  const techs: TestTechnician[] = [];

  const run = (args: string[], options: ConstructorParameters<typeof AgentProcess>[1] = {}): AgentProcess => {
    const child = new AgentProcess(args, options);
    children.push(child);
    return child;
  };
  const technicianFor = async (session: { id: string }, pin: string): Promise<TestTechnician> => {
    const tech = new TestTechnician(session.id, pin);
    techs.push(tech);
    const { ticket } = (await (await bed.technician.request('POST', `/api/v1/sessions/${session.id}/join`)).json()) as { ticket: string };
    await tech.connect(`wss://127.0.0.1:${bed.relayPort}/relay`, ticket, bed.cert);
    return tech;
  };
  /** A client on the appliance's app in-process (same database as the HTTPS server). */
  const directClient = async (): Promise<TestClient> => {
    const { createApp } = await import('../core/http/app.js');
    const { app } = createApp(bed.appliance.services, bed.appliance.plugins);
    return new TestClient({ app } as unknown as TestAppliance, '192.0.2.50');
  };

  before(async () => {
    work = mkdtempSync(join(tmpdir(), 'rescuebox-agent-startup-'));
    // The appliance serves the bundle this build makes (GET /downloads/rescuebox-agent.mjs).
    execFileSync(process.execPath, [join(repoRoot, 'scripts/build-agent.mjs'), join(work, 'public', 'downloads', 'rescuebox-agent.mjs')], { stdio: 'pipe' });
    bed = await startAgentTestBed({ publicDir: join(work, 'public') });
  });
  after(async () => {
    for (const child of children) child.kill();
    for (const tech of techs) tech.close();
    await bed?.close();
    rmSync(work, { recursive: true, force: true });
  });

  it('exits 3 when the broker refuses the PIN', async () => {
    const agent = run(['--server', bed.url, '--pin', '000000', '--fingerprint', bed.fingerprint]);
    assert.equal(await agent.exited, 3);
    assert.equal((await agent.waitFor('error')).code, 'pin_refused');
  });

  it('exits 4 when the server cannot be reached', async () => {
    const agent = run(['--server', 'https://127.0.0.1:9', '--pin', '123456']);
    assert.equal(await agent.exited, 4);
    assert.match(String((await agent.waitFor('error')).message), /refused the connection/);
  });

  it('exits 2 on bad usage', async () => {
    assert.equal(await run(['--pin', '123456']).exited, 2);
    assert.equal(await run(['--server', bed.url, '--pin', '1', '--bogus']).exited, 2);
  });

  it('never sends the PIN to a server whose certificate does not match (and rejects self-signed without a pin)', async () => {
    const session = await bed.createSession();
    const wrong = run(['--server', bed.url, '--pin', session.pin, '--fingerprint', 'ab'.repeat(32)]);
    assert.equal(await wrong.exited, 4);
    assert.match(String((await wrong.waitFor('error')).message), /not the expected one/);
    const unpinned = run(['--server', bed.url, '--pin', session.pin]);
    assert.equal(await unpinned.exited, 4);
    assert.match(String((await unpinned.waitFor('error')).message), /self-signed/);
    const redeem = await (await directClient()).request('POST', '/api/v1/pin/redeem', { pin: session.pin });
    assert.equal(redeem.status, 200, 'the PIN is still unused: it never left the agent');
  });

  it('the downloaded single-file agent (server and certificate baked in) joins with a PIN page code through HTTPS_PROXY; the technician ends the session', async () => {
    // Downloaded as a customer would: with this appliance's address and certificate baked in.
    const bundle = join(work, 'download', 'rescuebox-agent.mjs');
    mkdirSync(join(work, 'download'));
    writeFileSync(bundle, await download(`${bed.url}/downloads/rescuebox-agent.mjs`, bed.cert));
    const proxy = await startConnectProxy();
    try {
      const session = await bed.createSession();
      const page = await (await directClient()).request('POST', '/api/v1/pin/join-code', { pin: session.pin });
      const { joinCode } = (await page.json()) as { joinCode: string };
      const agent = run(['--join', joinCode, '--pin', session.pin, '--ports', String(bed.relayPort)], {
        entry: bundle, cwd: join(work, 'download'), env: { HTTPS_PROXY: `http://127.0.0.1:${proxy.port}` },
      });
      await agent.waitFor('waiting');
      const tech = await technicianFor(session, session.pin);
      const ready = await agent.waitFor('ready');
      await until(() => tech.sas.length === 1, 'technician ready');
      assert.equal(ready.sas, tech.sas[0]);
      const port = new URL(bed.url).port;
      assert.ok(proxy.tunnels.includes(`127.0.0.1:${port}`), `REST through the proxy: ${proxy.tunnels.join(', ')}`);
      assert.ok(proxy.tunnels.includes(`127.0.0.1:${bed.relayPort}`), 'the relay WebSocket through the proxy');
      assert.equal((await bed.technician.request('POST', `/api/v1/sessions/${session.id}/end`)).status, 204);
      assert.equal(await agent.exited, 0);
      assert.deepEqual(agent.events.at(-1), { event: 'ended', by: 'technician' });
    } finally {
      await proxy.close();
    }
  });

  it('starts from a channel link without a PIN; the group\'s technician picks it up and both ends agree on the keys', async () => {
    await bed.appliance.plugins.change('company-pin', { enabled: true }, 'test');
    try {
      const admin = (await loggedInAs({ ...bed.appliance, app: createApp(bed.appliance.services, bed.appliance.plugins).app } as unknown as TestAppliance, 'account_admin')).client;
      const groups = (await (await admin.request('GET', '/api/v1/groups')).json()) as { groups: { id: string; name: string }[] };
      const groupId = groups.groups.find((g) => g.name === 'Support')!.id;
      const created = await admin.request('POST', '/api/v1/plugins/company-pin/links', { name: 'Desk shortcut', groupId });
      assert.equal(created.status, 201, await created.clone().text());
      const { link } = (await created.json()) as { link: { token: string } };
      // The shortcut's URL, as the admin page shows it; the agent takes the token out of it.
      const agent = run(['--server', bed.url, '--channel', `${bed.url}/pin?channel=${link.token}`, '--fingerprint', bed.fingerprint, '--ports', String(bed.relayPort)]);
      await agent.waitFor('waiting');
      const queue = (await (await bed.technician.request('GET', '/api/v1/plugins/company-pin/queue')).json()) as { sessions: { id: string }[] };
      assert.equal(queue.sessions.length, 1);
      const claimed = (await (await bed.technician.request('POST', `/api/v1/plugins/company-pin/queue/${queue.sessions[0]!.id}/claim`)).json()) as { sessionId: string; pin: string };
      const tech = await technicianFor({ id: claimed.sessionId }, claimed.pin);
      await agent.waitFor('ready');
      await tech.endpoint.send({ type: 'session.end', reason: 'done' });
      assert.equal(await agent.exited, 0);
      // A bad link is a usage error before anything is sent.
      assert.equal(await run(['--server', bed.url, '--channel', 'cl1.nope']).exited, 2);
    } finally {
      await bed.appliance.plugins.change('company-pin', { enabled: false }, 'test');
    }
  });

  it('a session.end from the technician ends the agent with exit 0', async () => {
    const session = await bed.createSession();
    const agent = run(['--server', bed.url, '--pin', session.pin, '--fingerprint', bed.fingerprint, '--ports', String(bed.relayPort)]);
    await agent.waitFor('waiting');
    const tech = await technicianFor(session, session.pin);
    await agent.waitFor('ready');
    await tech.endpoint.send({ type: 'session.end', reason: 'done' });
    assert.equal(await agent.exited, 0);
    assert.deepEqual(agent.events.at(-1), { event: 'ended', by: 'technician' });
  });

  it('the customer can end while the relay is still unreachable (SIGINT in script mode)', async () => {
    const blackHole = await startBlackHole();
    try {
      const session = await bed.createSession();
      const agent = run(['--server', bed.url, '--pin', session.pin, '--fingerprint', bed.fingerprint, '--ports', String(blackHole.port)]);
      await agent.waitFor('connected');
      agent.interrupt();
      assert.equal(await agent.exited, 0);
      assert.deepEqual(agent.events.at(-1), { event: 'ended', by: 'customer' });
      assert.equal(agent.count('error'), 0);
      const state = (await (await bed.technician.request('GET', `/api/v1/sessions/${session.id}`)).json()) as { session: { status: string; endedBy: string } };
      assert.deepEqual([state.session.status, state.session.endedBy], ['ended', 'customer']);
    } finally {
      await blackHole.close();
    }
  });

  it('alerts and exits 5 when the handshake is tampered with (a party without the PIN)', async () => {
    const session = await bed.createSession();
    const agent = run(['--server', bed.url, '--pin', session.pin, '--fingerprint', bed.fingerprint, '--ports', String(bed.relayPort)]);
    await agent.waitFor('waiting');
    await technicianFor(session, '999999');
    assert.equal(await agent.exited, 5);
    assert.equal((await agent.waitFor('alert')).code, 'pin_mismatch');
    assert.equal(agent.count('ready'), 0);
    const state = (await (await bed.technician.request('GET', `/api/v1/sessions/${session.id}`)).json()) as { session: { status: string } };
    assert.equal(state.session.status, 'ended', 'the agent ended the session at the broker');
  });
});

import assert from 'node:assert/strict';
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { Message } from '../protocol/messages.js';
import { generateSigningKey, signToken } from '../relay/tickets.js';
import { AgentProcess, socketsOf } from './testing/agent-process.js';
import { startAgentTestBed, type AgentTestBed } from './testing/appliance.js';
import { startBlackHole, startCuttableProxy, type BlackHole, type CuttableProxy } from './testing/tcp.js';
import { eventually, TestTechnician, until } from './testing/technician.js';

/**
 * The real agent (a child process in --script mode) against the real appliance and its relay
 * over HTTPS, the self-signed certificate pinned by fingerprint, and a technician running the
 * same protocol endpoint as the console. The broker's bootstrap names two relay ports: a TCP
 * proxy to the relay that the test can cut, and a port that swallows connections (the agent
 * must not wait for that one).
 */
describe('agent end to end', { timeout: 180_000 }, () => {
  let bed: AgentTestBed;
  let proxy: CuttableProxy;
  let blackHole: BlackHole;
  let agent: AgentProcess;
  let tech: TestTechnician;
  let session: { id: string; pin: string };
  let work: string;
  let downloads: string;

  const grantFor = async (capability: string): Promise<string> => {
    const res = await bed.technician.request('POST', `/api/v1/sessions/${session.id}/grants`, { capability });
    assert.equal(res.status, 200, await res.clone().text());
    return ((await res.json()) as { grant: string }).grant;
  };
  const ask = (requestId: string, capability: Message<'consent.request'>['capability'], grant: string, detail?: { name?: string; size?: number }) =>
    tech.endpoint.send({ type: 'consent.request', requestId, capability, grant, ...(detail && { detail }) });
  const response = async (requestId: string): Promise<boolean> => {
    await until(() => tech.messages('consent.response').some((m) => m.requestId === requestId), `consent.response ${requestId}`);
    return tech.messages('consent.response').find((m) => m.requestId === requestId)!.granted;
  };

  before(async () => {
    work = mkdtempSync(join(tmpdir(), 'rescuebox-agent-e2e-'));
    downloads = join(work, 'downloads');
    // The relay ports the broker hands out: one that swallows connections, one through the proxy.
    blackHole = await startBlackHole();
    proxy = await startCuttableProxy(() => bed.relayPort);
    bed = await startAgentTestBed({ env: { AGENT_PORTS: `${blackHole.port},${proxy.port}` } });
    session = await bed.createSession();
    agent = new AgentProcess([
      '--server', bed.url, '--pin', session.pin, '--fingerprint', bed.fingerprint,
      '--download-dir', downloads, '--max-file-mb', '4', '--lang', 'en',
    ]);
    await agent.waitFor('waiting');
    tech = new TestTechnician(session.id, session.pin);
    const joined = (await (await bed.technician.request('POST', `/api/v1/sessions/${session.id}/join`)).json()) as { ticket: string };
    await tech.connect(`wss://127.0.0.1:${bed.relayPort}/relay`, joined.ticket, bed.cert);
  });

  after(async () => {
    agent?.kill();
    tech?.close();
    await proxy?.close();
    await blackHole?.close();
    await bed?.close();
    rmSync(work, { recursive: true, force: true });
  });

  it('connects through the live port while the other port hangs, and both sides show the same security code', async () => {
    const ready = await agent.waitFor('ready');
    await until(() => tech.sas.length === 1, 'technician ready');
    assert.match(String(ready.sas), /^\d{3} \d{3}$/);
    assert.equal(ready.sas, tech.sas[0]);
    assert.ok(proxy.connections >= 1, 'the live port was used');
    assert.ok(blackHole.accepted >= 1, 'the hanging port was tried in parallel');
    await until(() => blackHole.closedByClient === blackHole.accepted, 'the losing connection closed by the agent');
  });

  it('listens on no socket (outbound connections only)', () => {
    const sockets = socketsOf(agent.pid);
    assert.deepEqual(sockets.listening, []);
    assert.ok(sockets.connected.length >= 1, 'it does hold its outbound connection');
  });

  it('carries chat both ways', async () => {
    await tech.endpoint.send({ type: 'chat', id: randomUUID(), text: 'Hello, this is your technician.', at: Date.now() });
    await agent.waitFor('chat', (e) => e.text === 'Hello, this is your technician.');
    agent.say('chat Hi, my printer is broken');
    await until(() => tech.messages('chat').some((m) => m.text === 'Hi, my printer is broken'), 'customer chat');
  });

  it('sends a diagnostics report after the customer says yes', async () => {
    await ask('diag-1', 'diagnostics', await grantFor('diagnostics'));
    const prompt = await agent.waitFor('prompt', (e) => e.id === 'diag-1');
    assert.equal(prompt.capability, 'diagnostics');
    agent.say('yes');
    assert.equal(await response('diag-1'), true);
    await until(() => tech.messages('diagnostics.report').length === 1, 'report');
    const report = tech.messages('diagnostics.report')[0]!.report;
    for (const section of ['os', 'cpu', 'memory', 'disks', 'network', 'processes', 'uptimeSeconds']) assert.ok(section in report, section);
    const consents = () => bed.appliance.services.db.selectFrom('audit_log').select(['outcome']).where('action', '=', 'permission.consent').where('target_id', '=', session.id).execute();
    await eventually(async () => (await consents()).some((c) => c.outcome === 'allow'), 'the answer reported to the broker');
  });

  it('sends nothing when the customer says no', async () => {
    await ask('diag-2', 'diagnostics', await grantFor('diagnostics'));
    await agent.waitFor('prompt', (e) => e.id === 'diag-2');
    agent.say('no');
    assert.equal(await response('diag-2'), false);
    await new Promise((r) => setTimeout(r, 300));
    assert.equal(tech.messages('diagnostics.report').length, 1);
  });

  it('refuses forged, misused and replayed grants without asking the customer', async () => {
    const forger = generateSigningKey();
    const forged = signToken({ v: 1, kind: 'grant', sid: session.id, capability: 'diagnostics', jti: randomUUID(), exp: Date.now() + 60_000 }, forger.privatePem);
    const otherCapability = await grantFor('file.send');
    const replayed = await grantFor('diagnostics');
    await ask('replay-a', 'diagnostics', replayed);
    await agent.waitFor('prompt', (e) => e.id === 'replay-a');
    agent.say('no');
    await response('replay-a');
    const cases: [string, string, string][] = [['forged', forged, 'bad_signature'], ['misused', otherCapability, 'wrong_capability'], ['replay-b', replayed, 'reused']];
    for (const [requestId, grant, reason] of cases) {
      await ask(requestId, 'diagnostics', grant);
      assert.equal(await response(requestId), false, requestId);
      const refused = await agent.waitFor('refused', (e) => e.id === requestId);
      assert.equal(refused.reason, reason);
      assert.equal(agent.events.some((e) => e.event === 'prompt' && e.id === requestId), false, `${requestId}: no prompt`);
    }
  });

  it('receives a file from the technician: safe name, verified hash; a wrong hash leaves nothing behind', async () => {
    const data = randomBytes(1_500_000);
    const sha256 = createHash('sha256').update(data).digest('hex');
    const name = '../../etc/evil report.bin';
    await ask('file-1', 'file.send', await grantFor('file.send'), { name, size: data.length });
    const prompt = await agent.waitFor('prompt', (e) => e.id === 'file-1');
    assert.deepEqual(prompt.detail, { name, size: data.length });
    agent.say('yes');
    assert.equal(await response('file-1'), true);
    await sendToCustomer('t-1', name, data, sha256, 'file-1');
    await until(() => tech.messages('file.received').some((m) => m.transferId === 't-1'), 'file.received');
    assert.equal(tech.messages('file.received').find((m) => m.transferId === 't-1')!.ok, true);
    const received = await agent.waitFor('file-received', (e) => e.transferId === 't-1');
    assert.equal(received.path, join(downloads, 'evil report.bin'));
    assert.equal(createHash('sha256').update(readFileSync(String(received.path))).digest('hex'), sha256);

    const bad = randomBytes(200_000);
    await ask('file-2', 'file.send', await grantFor('file.send'), { name: 'bad.bin', size: bad.length });
    await agent.waitFor('prompt', (e) => e.id === 'file-2');
    agent.say('yes');
    await response('file-2');
    await sendToCustomer('t-2', 'bad.bin', bad, '0'.repeat(64), 'file-2');
    await until(() => tech.messages('file.received').some((m) => m.transferId === 't-2'), 'file.received t-2');
    assert.deepEqual(tech.messages('file.received').find((m) => m.transferId === 't-2'), { type: 'file.received', transferId: 't-2', ok: false, reason: 'hash_mismatch' });
    assert.deepEqual(readdirSync(downloads), ['evil report.bin'], 'no bad file and no temp file');
  });

  it('sends files to the technician: on request (a path) and on the customer\'s own initiative', async () => {
    const requested = join(work, 'logfile.txt');
    writeFileSync(requested, 'line\n'.repeat(40_000));
    await ask('get-1', 'file.receive', await grantFor('file.receive'), { name: 'logfile.txt' });
    const prompt = await agent.waitFor('prompt', (e) => e.id === 'get-1');
    assert.equal(prompt.kind, 'path');
    agent.say(`path ${requested}`);
    assert.equal(await response('get-1'), true);
    const first = await receiveFromCustomer((offer) => offer.requestId === 'get-1');
    assert.deepEqual(first.bytes, readFileSync(requested));

    const own = join(work, 'screenshot.png');
    writeFileSync(own, randomBytes(300_000));
    agent.say(`send ${own}`);
    const second = await receiveFromCustomer((offer) => offer.name === 'screenshot.png');
    assert.deepEqual(second.bytes, readFileSync(own));
    await agent.waitFor('file-sent', (e) => e.name === 'screenshot.png');
    // Reports go to the broker in the background: two to the customer (one failed), two from.
    const reported = () => bed.appliance.services.db.selectFrom('audit_log').select(['details']).where('action', '=', 'file.transfer').where('target_id', '=', session.id).execute();
    await eventually(async () => (await reported()).length === 4, 'four file events at the broker');
  });

  it('survives a network cut: reconnects with a fresh ticket and loses no message', async () => {
    const readyBefore = agent.count('ready');
    const connects = () => bed.appliance.services.db.selectFrom('audit_log').select('action').where('action', '=', 'agent.connect').where('target_id', '=', session.id).execute();
    const connectsBefore = (await connects()).length;
    proxy.cut();
    await agent.waitFor('reconnecting');
    for (const text of ['sent during the cut 1', 'sent during the cut 2']) await tech.endpoint.send({ type: 'chat', id: randomUUID(), text, at: Date.now() });
    agent.say('chat typed during the cut');
    await agent.waitFor('reconnected');
    await agent.waitFor('chat', (e) => e.text === 'sent during the cut 2');
    const chats = agent.events.filter((e) => e.event === 'chat').map((e) => e.text);
    assert.deepEqual(chats.filter((text) => String(text).startsWith('sent during the cut')), ['sent during the cut 1', 'sent during the cut 2']);
    await until(() => tech.messages('chat').some((m) => m.text === 'typed during the cut'), 'customer chat after the cut');
    assert.equal(agent.count('ready'), readyBefore, 'no new handshake: the session resumed');
    assert.ok((await connects()).length > connectsBefore, 'a fresh ticket came from /api/v1/agent/ticket');
    assert.equal(tech.alerts.length, 0);
  });

  it('the customer ends the session: the technician is told, the broker shows it ended, the agent exits 0', async () => {
    agent.say('end');
    assert.equal(await agent.exited, 0);
    await until(() => tech.messages('session.end').length === 1 || tech.ended !== null, 'technician told');
    const state = (await (await bed.technician.request('GET', `/api/v1/sessions/${session.id}`)).json()) as { session: { status: string; endedBy: string } };
    assert.deepEqual([state.session.status, state.session.endedBy], ['ended', 'customer']);
    assert.deepEqual(agent.events.at(-1), { event: 'ended', by: 'customer' });
  });

  /** The technician's side of a file to the customer: offer, wait for accept, chunks, done. */
  async function sendToCustomer(transferId: string, name: string, data: Buffer, sha256: string, requestId: string): Promise<void> {
    await tech.endpoint.send({ type: 'file.offer', transferId, name, size: data.length, sha256, requestId });
    await until(() => tech.messages('file.accept').some((m) => m.transferId === transferId), `file.accept ${transferId}`);
    for (let offset = 0; offset < data.length; offset += 64 * 1024) {
      await tech.endpoint.send({ type: 'file.chunk', transferId, offset }, data.subarray(offset, offset + 64 * 1024));
      await tech.endpoint.drain();
    }
    await tech.endpoint.send({ type: 'file.done', transferId });
  }

  /** The technician's side of a file from the customer: accept the offer, collect, verify, confirm. */
  async function receiveFromCustomer(match: (offer: Message<'file.offer'>) => boolean): Promise<{ offer: Message<'file.offer'>; bytes: Buffer }> {
    await until(() => tech.messages('file.offer').some(match), 'file.offer');
    const offer = tech.messages('file.offer').find(match)!;
    await tech.endpoint.send({ type: 'file.accept', transferId: offer.transferId });
    await until(() => tech.messages('file.done').some((m) => m.transferId === offer.transferId), 'file.done');
    const chunks = tech.received.filter((r) => r.message.type === 'file.chunk' && (r.message as Message<'file.chunk'>).transferId === offer.transferId);
    const bytes = Buffer.concat(chunks.map((c) => c.payload));
    const ok = bytes.length === offer.size && createHash('sha256').update(bytes).digest('hex') === offer.sha256;
    await tech.endpoint.send({ type: 'file.received', transferId: offer.transferId, ok });
    assert.ok(ok, 'size and hash match');
    return { offer, bytes };
  }
});

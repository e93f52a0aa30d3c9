import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { defaultBranding, saveBranding } from '../../core/branding/branding.js';
import type { DownloadsListing } from '../../core/http/routes/downloads/programs.js';
import type { Message } from '../../protocol/messages.js';
import { startXvfb, type Xvfb } from '../capabilities/screen/testing/xvfb.js';
import { ExitCode } from '../exit-codes.js';
import { AgentProcess } from '../testing/agent-process.js';
import { startAgentTestBed, type AgentTestBed } from '../testing/appliance.js';
import { straceCommand, writtenByTraceFile } from '../testing/file-trace.js';
import { buildSupportPrograms, customerEnv, downloadProgram, fetchBytes } from '../testing/support-program.js';
import { TestTechnician, until } from '../testing/technician.js';

/**
 * The single-file support program (Node SEA, linux-x64) as a customer gets it: built by
 * scripts/build-sea.mjs, downloaded from the real appliance (which binds and signs it), started
 * with no node on PATH and no inherited environment, only the PIN on its command line.
 */
describe('the single-file support program (linux-x64)', { timeout: 240_000 }, () => {
  let work: string;
  let bed: AgentTestBed;
  let xvfb: Xvfb;
  let program: { path: string; fileName: string };
  let listing: DownloadsListing;

  before(async () => {
    work = mkdtempSync(join(tmpdir(), 'rb-sea-'));
    const publicDir = join(work, 'public');
    buildSupportPrograms(publicDir, ['linux-x64']);
    xvfb = await startXvfb(640, 480);
    bed = await startAgentTestBed({ publicDir });
    await saveBranding(bed.appliance.services.db, { ...defaultBranding, companyName: 'ACME Corp' }, Date.now());
    const { id: groupId } = await bed.appliance.services.db.selectFrom('technician_groups').select('id').executeTakeFirstOrThrow();
    await bed.appliance.services.db.insertInto('group_permissions').values({ group_id: groupId, permission: 'remote_view' }).execute();
    listing = JSON.parse((await fetchBytes(`${bed.url}/api/v1/downloads`, bed.cert)).body.toString()) as DownloadsListing;
    program = await downloadProgram(bed.url, bed.cert, 'linux-x64', join(work, 'Downloads'));
  });

  after(async () => {
    await bed?.close();
    await xvfb?.stop();
    rmSync(work, { recursive: true, force: true });
  });

  it('is named for the company, and its published SHA-256 and Ed25519 signature verify with openssl', async () => {
    assert.equal(program.fileName, 'RescueBox-Support-ACME-Corp-linux-x64');
    const entry = listing.programs.find((p) => p.target === 'linux-x64')!;
    assert.deepEqual([entry.os, entry.arch, entry.fileName, entry.url], ['linux', 'x64', program.fileName, '/downloads/support/linux-x64']);
    const bytes = readFileSync(program.path);
    assert.equal(entry.size, bytes.length);
    assert.equal(entry.sha256, createHash('sha256').update(bytes).digest('hex'));
    const sig = await fetchBytes(`${bed.url}${entry.signatureUrl}`, bed.cert);
    assert.deepEqual(sig.body, Buffer.from(entry.signature, 'base64'));
    writeFileSync(join(work, 'pub.pem'), listing.publicKeyPem);
    writeFileSync(join(work, 'program.sig'), sig.body);
    const verify = (file: string) => spawnSync('openssl', ['pkeyutl', '-verify', '-pubin', '-inkey', join(work, 'pub.pem'), '-rawin', '-in', file, '-sigfile', join(work, 'program.sig')], { encoding: 'utf8' });
    const good = verify(program.path);
    assert.equal(good.status, 0, good.stderr);
    assert.match(good.stdout, /Signature Verified Successfully/);
    const changed = join(work, 'changed');
    writeFileSync(changed, Buffer.concat([bytes.subarray(0, 1000), Buffer.from([bytes[1000]! ^ 1]), bytes.subarray(1001)]));
    assert.notEqual(verify(changed).status, 0, 'openssl rejects a changed file');
    rmSync(changed);
  });

  it('refuses to start with a clear message when one byte is changed (in the program or in its embedded address)', () => {
    const bytes = readFileSync(program.path);
    const at = { program: Math.floor(bytes.length / 2), address: bytes.lastIndexOf(Buffer.from(new URL(bed.url).host)) };
    assert.ok(at.address > 0);
    for (const [where, offset] of Object.entries(at)) {
      const copy = Buffer.from(bytes);
      copy[offset]! ^= 0x01;
      const tampered = join(work, `tampered-${where}`);
      writeFileSync(tampered, copy, { mode: 0o755 });
      const run = spawnSync(tampered, ['--help'], { env: customerEnv(work), encoding: 'utf8', timeout: 30_000 });
      assert.equal(run.status, ExitCode.tampered, `${where}: ${run.stdout}${run.stderr}`);
      assert.match(run.stderr, /changed since it was downloaded/, where);
      assert.equal(run.stdout, '', `${where}: nothing else ran`);
    }
    // The build's output as such has no appliance signature: only downloads run.
    const raw = spawnSync(join(work, 'public', 'downloads', 'support', 'rescuebox-support-linux-x64'), ['--help'], { env: customerEnv(work), encoding: 'utf8' });
    assert.equal(raw.status, ExitCode.tampered);
    assert.match(raw.stderr, /no RescueBox signature/);
  });

  it('joins with the PIN (address and certificate pin embedded) and no node: same code, chat, files both ways, screen', async () => {
    const env = customerEnv(work, { DISPLAY: xvfb.display });
    assert.equal(spawnSync('node', ['--version'], { env }).error?.message.includes('ENOENT'), true, 'no node on the program\'s PATH');
    const session = await bed.createSession();
    const downloads = join(work, 'received');
    // --ports: the test bed's relay listens on a random port, not on the one the broker names.
    const agent = new AgentProcess(['--pin', session.pin, '--ports', String(bed.relayPort), '--download-dir', downloads, '--lang', 'en'], { executable: program.path, cwd: join(work, 'Downloads'), env });
    const tech = new TestTechnician(session.id, session.pin);
    const grant = async (capability: string) => ((await (await bed.technician.request('POST', `/api/v1/sessions/${session.id}/grants`, { capability })).json()) as { grant: string }).grant;
    try {
      await agent.waitFor('waiting');
      const joined = (await (await bed.technician.request('POST', `/api/v1/sessions/${session.id}/join`)).json()) as { ticket: string };
      await tech.connect(`wss://127.0.0.1:${bed.relayPort}/relay`, joined.ticket, bed.cert);
      const ready = await agent.waitFor('ready');
      await until(() => tech.sas.length === 1, 'technician ready');
      assert.equal(ready.sas, tech.sas[0]);

      await tech.endpoint.send({ type: 'chat', id: randomUUID(), text: 'Hello from your technician', at: Date.now() });
      await agent.waitFor('chat', (e) => e.text === 'Hello from your technician');
      agent.say('chat Hello from the customer');
      await until(() => tech.messages('chat').some((m) => m.text === 'Hello from the customer'), 'customer chat');

      // A file to the customer, after their yes.
      const data = randomBytes(300_000);
      const sha256 = createHash('sha256').update(data).digest('hex');
      await tech.endpoint.send({ type: 'consent.request', requestId: 'send-1', capability: 'file.send', grant: await grant('file.send'), detail: { name: 'tool.bin', size: data.length } });
      await agent.waitFor('prompt', (e) => e.id === 'send-1');
      agent.say('yes');
      await tech.endpoint.send({ type: 'file.offer', transferId: 't-1', name: 'tool.bin', size: data.length, sha256, requestId: 'send-1' });
      await until(() => tech.messages('file.accept').some((m) => m.transferId === 't-1'), 'file.accept');
      for (let offset = 0; offset < data.length; offset += 64 * 1024) await tech.endpoint.send({ type: 'file.chunk', transferId: 't-1', offset }, data.subarray(offset, offset + 64 * 1024));
      await tech.endpoint.send({ type: 'file.done', transferId: 't-1' });
      const received = await agent.waitFor('file-received', (e) => e.transferId === 't-1');
      assert.deepEqual(readFileSync(String(received.path)), data);

      // A file from the customer, on their own initiative.
      const own = join(work, 'report.txt');
      writeFileSync(own, 'printer log\n'.repeat(5000));
      agent.say(`send ${own}`);
      await until(() => tech.messages('file.offer').some((m) => m.name === 'report.txt'), 'file.offer');
      const offer = tech.messages('file.offer').find((m) => m.name === 'report.txt')!;
      await tech.endpoint.send({ type: 'file.accept', transferId: offer.transferId });
      await until(() => tech.messages('file.done').some((m) => m.transferId === offer.transferId), 'file.done');
      const chunks = tech.received.filter((r) => r.message.type === 'file.chunk' && (r.message as Message<'file.chunk'>).transferId === offer.transferId);
      assert.deepEqual(Buffer.concat(chunks.map((c) => c.payload)), readFileSync(own));

      // The Xvfb screen, after the customer's yes.
      await tech.endpoint.send({ type: 'consent.request', requestId: 'view-1', capability: 'screen.view', grant: await grant('screen.view') });
      await agent.waitFor('prompt', (e) => e.id === 'view-1');
      agent.say('yes');
      await until(() => tech.messages('screen.update').length > 0, 'a screen update');
      assert.equal(tech.messages('screen.info')[0]!.screens[0]!.width, 640);
      assert.deepEqual(tech.messages('screen.update')[0]!.size, [640, 480]);

      agent.say('end');
      assert.equal(await agent.exited, 0, agent.stderr);
    } finally {
      tech.close();
      agent.kill();
    }
  });

  it('leaves nothing behind but the file the customer accepted (every write traced with strace, children included)', async () => {
    const env = customerEnv(work);
    mkdirSync(join(env.HOME!, 'tmp'));
    env.TMPDIR = join(env.HOME!, 'tmp');
    const cwd = mkdtempSync(join(work, 'cwd-'));
    const log = join(work, 'trace.log');
    const session = await bed.createSession();
    const agent = new AgentProcess(['--pin', session.pin, '--ports', String(bed.relayPort), '--lang', 'en'], { executable: program.path, wrapper: straceCommand(log), cwd, env });
    const tech = new TestTechnician(session.id, session.pin);
    const grant = async (capability: string) => ((await (await bed.technician.request('POST', `/api/v1/sessions/${session.id}/grants`, { capability })).json()) as { grant: string }).grant;
    const data = randomBytes(100_000);
    try {
      await agent.waitFor('waiting', () => true, 60_000);
      const joined = (await (await bed.technician.request('POST', `/api/v1/sessions/${session.id}/join`)).json()) as { ticket: string };
      await tech.connect(`wss://127.0.0.1:${bed.relayPort}/relay`, joined.ticket, bed.cert);
      await agent.waitFor('ready');
      for (const [requestId, answer] of [['refused-1', 'no'], ['accepted-1', 'yes']] as const) {
        await tech.endpoint.send({ type: 'consent.request', requestId, capability: 'file.send', grant: await grant('file.send'), detail: { name: 'tool.bin', size: data.length } });
        await agent.waitFor('prompt', (e) => e.id === requestId);
        agent.say(answer);
        await until(() => tech.messages('consent.response').some((m) => m.requestId === requestId), `${requestId} answered`);
      }
      await tech.endpoint.send({ type: 'file.offer', transferId: 't-1', name: 'tool.bin', size: data.length, sha256: createHash('sha256').update(data).digest('hex'), requestId: 'accepted-1' });
      await until(() => tech.messages('file.accept').length === 1, 'file.accept');
      await tech.endpoint.send({ type: 'file.chunk', transferId: 't-1', offset: 0 }, data);
      await tech.endpoint.send({ type: 'file.done', transferId: 't-1' });
      await agent.waitFor('file-received');
      agent.say('end');
      // strace returns only when the program and every process it started have ended.
      assert.equal(await agent.exited, 0, agent.stderr);
    } finally {
      tech.close();
      agent.kill();
    }
    const downloads = join(env.HOME!, 'Downloads', 'RescueBox');
    const written = writtenByTraceFile(log, cwd).filter((path) => !/^\/dev\/(tty|null|pts\/|ptmx)/.test(path));
    // The download folder and, where missing, its parents (~/Downloads) are made for the accepted file.
    const forDownload = (path: string) => path === downloads || path.startsWith(`${downloads}/`) || (path.startsWith(`${env.HOME}/`) && downloads.startsWith(`${path}/`));
    assert.deepEqual(written.filter((path) => !forDownload(path)), [], 'written outside the accepted download');
    const left = (dir: string): string[] => readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? left(join(dir, e.name)) : [join(dir, e.name)]));
    assert.deepEqual(left(env.HOME!).map((path) => relative(env.HOME!, path)), ['Downloads/RescueBox/tool.bin'], 'no temp file, autostart entry, service unit or settings');
    assert.deepEqual(readFileSync(join(downloads, 'tool.bin')), data);
    assert.deepEqual(readdirSync(cwd), []);
  });
});

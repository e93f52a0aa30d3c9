import assert from 'node:assert/strict';
import { createHash, createPrivateKey, sign } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { deviceRequestText } from '../../protocol/device-auth.js';
import { createApp } from '../../core/http/app.js';
import { loggedInAs, TestClient, type TestAppliance } from '../../core/testing/appliance.js';
import { startAgentTestBed, type AgentTestBed } from '../testing/appliance.js';
import { eventually, TestTechnician, until } from '../testing/technician.js';
import { ExitCode } from '../exit-codes.js';
import { systemdUnit, UNIT_NAME } from './systemd-linux.js';
import { pamTestStack, type PamTestStack } from './testing/pam.js';
import { AgentCommand, runAgentCommand } from './testing/processes.js';

/**
 * Unattended access end to end: the real agent as child processes (enrol with a deployment
 * token, the service entry point, end-session, revoke) against the real appliance and relay
 * over HTTPS, a technician on the same protocol endpoint as the console, and the device's
 * credentials checked through the real PAM library (pamtester with a test-only pam_matrix
 * stack via libpam-wrapper; nothing of the machine is changed). The unit directory is a temp
 * directory, so systemctl is never asked.
 */
describe('unattended access with the real agent', { timeout: 240_000 }, () => {
  let bed: AgentTestBed;
  let admin: TestClient;
  let technician: TestClient;
  let groupId: string;
  let work: string;
  let stateDir: string;
  let unitDir: string;
  let pam: PamTestStack;
  let deviceId: string;
  let token: string;
  let service: AgentCommand;

  const audit = async (action: string) => (await bed.appliance.services.db.selectFrom('audit_log').select(['outcome', 'details', 'target_id']).where('action', '=', action).orderBy('seq').execute())
    .map((r) => ({ ...r, details: JSON.parse(r.details) as Record<string, unknown> }));
  const deviceRow = () => bed.appliance.services.db.selectFrom('devices').selectAll().where('id', '=', deviceId).executeTakeFirstOrThrow();
  const startService = () => new AgentCommand(['service', '--state-dir', stateDir, '--unit-dir', unitDir, '--poll-ms', '200'], pam.env);

  /** A technician's unattended session: start at the broker, join the relay with the secret, wait for the keys. */
  async function connectTechnician(): Promise<{ tech: TestTechnician; sessionId: string }> {
    const res = await technician.request('POST', `/api/v1/devices/${deviceId}/start`, {});
    assert.equal(res.status, 201, await res.clone().text());
    const started = (await res.json()) as { sessionId: string; secret: string; ticket: string };
    const tech = new TestTechnician(started.sessionId, started.secret);
    await tech.connect(`wss://127.0.0.1:${bed.relayPort}/relay`, started.ticket, bed.cert);
    await until(() => tech.sas.length > 0, 'end-to-end keys with the device', 30_000);
    return { tech, sessionId: started.sessionId };
  }

  async function consent(tech: TestTechnician, sessionId: string, requestId: string): Promise<boolean> {
    const res = await technician.request('POST', `/api/v1/sessions/${sessionId}/grants`, { capability: 'diagnostics' });
    assert.equal(res.status, 200, await res.clone().text());
    const { grant } = (await res.json()) as { grant: string };
    await tech.endpoint.send({ type: 'consent.request', requestId, capability: 'diagnostics', grant });
    await until(() => tech.messages('consent.response').some((m) => m.requestId === requestId), `consent.response ${requestId}`);
    return tech.messages('consent.response').find((m) => m.requestId === requestId)!.granted;
  }

  async function authenticate(tech: TestTechnician, user: string, password: string): Promise<{ ok: boolean; reason: string }> {
    const before = tech.messages('unattended.auth.result').length;
    await tech.endpoint.send({ type: 'unattended.auth', user, password });
    await until(() => tech.messages('unattended.auth.result').length > before, 'unattended.auth.result', 30_000);
    return tech.messages('unattended.auth.result').at(-1)!;
  }

  before(async () => {
    work = mkdtempSync(join(tmpdir(), 'rescuebox-unattended-'));
    stateDir = join(work, 'state');
    unitDir = join(work, 'units');
    pam = pamTestStack(work, { alice: 'Device-Pass-1' });
    mkdirSync(unitDir, { recursive: true });
    bed = await startAgentTestBed();
    const { app, routes } = createApp(bed.appliance.services, bed.appliance.plugins);
    const t = { ...bed.appliance, app, routes, close: async () => {} } as unknown as TestAppliance;
    admin = (await loggedInAs(t, 'account_admin')).client;
    groupId = ((await (await admin.request('POST', '/api/v1/groups', { name: 'Unattended', permissions: ['unattended_access', 'diagnostics'] })).json()) as { group: { id: string } }).group.id;
    technician = (await loggedInAs(t, 'technician', { groups: [groupId] })).client;
    const created = await admin.request('POST', '/api/v1/devices/tokens', { label: 'Office', groupId, expiresInHours: 1, maxUses: 1 });
    token = ((await created.json()) as { secret: string }).secret;
  });
  after(async () => {
    service?.kill();
    await bed?.close();
    rmSync(work, { recursive: true, force: true });
  });

  it('enrols out of session with a deployment token: key made on the device, kept 0600, only the public half at the broker', async () => {
    const forged = await runAgentCommand(['enrol', '--server', bed.url, '--fingerprint', bed.fingerprint, '--token', `rbd_${'x'.repeat(43)}`, '--state-dir', stateDir, '--pam-service', pam.service]);
    assert.equal(forged.code, ExitCode.refused, forged.stderr);
    assert.ok(!existsSync(join(stateDir, 'device-key.pem')));
    const result = await runAgentCommand(['enrol', '--server', bed.url, '--fingerprint', bed.fingerprint, '--token', token, '--state-dir', stateDir, '--name', 'front-desk-pc', '--pam-service', pam.service]);
    assert.equal(result.code, 0, result.stderr);
    deviceId = String(result.lines.find((l) => l.event === 'enrolled')!.deviceId);
    assert.equal(statSync(join(stateDir, 'device-key.pem')).mode & 0o777, 0o600);
    assert.equal(statSync(join(stateDir, 'device.json')).mode & 0o777, 0o600);
    assert.equal(statSync(stateDir).mode & 0o777, 0o700);
    const key = createPrivateKey(readFileSync(join(stateDir, 'device-key.pem'), 'utf8'));
    const row = await deviceRow();
    assert.equal(row.name, 'front-desk-pc');
    assert.equal(row.public_key, key.export({ format: 'jwk' }).x, 'the broker holds the public half of the device\'s key');
    assert.ok(!JSON.stringify(row).includes(String(key.export({ format: 'jwk' }).d)), 'never the private half');
    assert.ok(!readFileSync(join(stateDir, 'device.json'), 'utf8').includes('PRIVATE'));
    const again = await runAgentCommand(['enrol', '--server', bed.url, '--fingerprint', bed.fingerprint, '--token', token, '--state-dir', join(work, 'other'), '--pam-service', pam.service]);
    assert.equal(again.code, ExitCode.refused, 'the token allowed one use');
  });

  it('runs the service entry point as a child process: the device shows online', async () => {
    service = startService();
    await service.waitFor('service-started');
    await eventually(async () => (await deviceRow()).last_seen_at !== null && Date.now() - (await deviceRow()).last_seen_at! < 5_000, 'device polled');
    const list = (await (await technician.request('GET', '/api/v1/devices')).json()) as { devices: { id: string; online: boolean }[] };
    assert.equal(list.devices.find((d) => d.id === deviceId)?.online, true);
  });

  it('shares nothing before the device credentials; wrong ones are refused and audited on both sides; right ones open the session', async () => {
    const { tech, sessionId } = await connectTechnician();
    await service.waitFor('unattended-active', (l) => l.sessionId === sessionId);
    assert.ok(existsSync(join(stateDir, 'active.json')), 'the indicator shows an active session');
    assert.equal(await consent(tech, sessionId, 'before-auth'), false, 'no consent before credentials');
    assert.deepEqual(await authenticate(tech, 'alice', 'wrong-password'), { type: 'unattended.auth.result', ok: false, reason: 'rejected', attemptsLeft: 2 });
    await service.waitFor('credentials', (l) => l.outcome === 'rejected');
    await eventually(async () => (await audit('unattended.credentials')).some((a) => a.outcome === 'failure' && a.target_id === deviceId), 'broker audited the wrong credentials');
    assert.equal((await deviceRow()).credential_failures, 1);
    const ok = await authenticate(tech, 'alice', 'Device-Pass-1');
    assert.equal(ok.ok, true);
    assert.equal(await consent(tech, sessionId, 'after-auth'), true);
    await until(() => tech.messages('diagnostics.report').length > 0, 'diagnostics from the device');
    await eventually(async () => (await audit('unattended.credentials')).some((a) => a.outcome === 'success'), 'accepted credentials audited');
    assert.equal((await deviceRow()).credential_failures, 0);
    // The person at the device ends it at once.
    assert.equal((await runAgentCommand(['end-session', '--state-dir', stateDir])).code, 0);
    await until(() => tech.ended !== null, 'technician told the session ended');
    await eventually(async () => (await bed.appliance.services.db.selectFrom('support_sessions').select('status').where('id', '=', sessionId).executeTakeFirstOrThrow()).status === 'ended', 'session ended at the broker');
    await until(() => !existsSync(join(stateDir, 'active.json')), 'indicator cleared');
    tech.close();
  });

  it('ends a session after three wrong credentials', async () => {
    const { tech, sessionId } = await connectTechnician();
    for (let i = 0; i < 3; i += 1) assert.equal((await authenticate(tech, 'alice', `nope-${i}`)).ok, false);
    await until(() => tech.ended !== null, 'session ended after three wrong credentials');
    await eventually(async () => (await bed.appliance.services.db.selectFrom('support_sessions').select('status').where('id', '=', sessionId).executeTakeFirstOrThrow()).status === 'ended', 'ended at the broker');
    tech.close();
  });

  it('revoke on the device: stops the service, deletes the key, tells the broker; then every way back is refused', async () => {
    const oldKey = readFileSync(join(stateDir, 'device-key.pem'), 'utf8');
    writeFileSync(join(unitDir, UNIT_NAME), systemdUnit({ command: ['/usr/bin/true'], stateDir }, unitDir), { flag: 'w' });
    const revoked = await runAgentCommand(['revoke', '--state-dir', stateDir, '--unit-dir', unitDir]);
    assert.equal(revoked.code, 0, revoked.stderr);
    assert.deepEqual(revoked.lines.at(-1), { event: 'revoked', deviceId, serverTold: true, serviceRemoved: true });
    assert.equal(await service.exited, ExitCode.ended, 'the running service stopped');
    assert.ok(!existsSync(join(stateDir, 'device-key.pem')), 'key deleted');
    assert.ok(!existsSync(join(unitDir, UNIT_NAME)), 'unit removed');
    assert.equal((await deviceRow()).status, 'revoked');
    // The old key, signing a fresh request, is refused (and told why).
    const path = '/api/v1/device/poll';
    const body = JSON.stringify({ agentVersion: '0.1.0' });
    const ts = Date.now();
    const signature = sign(null, Buffer.from(deviceRequestText('POST', path, ts, createHash('sha256').update(body).digest('hex'))), createPrivateKey(oldKey)).toString('base64url');
    const viaApp = createApp(bed.appliance.services, bed.appliance.plugins).app;
    const refused = await viaApp.request(path, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Device ${deviceId}.${ts}.${signature}` }, body }, { remoteAddress: '127.0.0.1' });
    assert.equal(refused.status, 401);
    assert.equal(((await refused.json()) as { device: string }).device, 'revoked');
    // The technician cannot start it any more.
    assert.equal((await technician.request('POST', `/api/v1/devices/${deviceId}/start`, {})).status, 404);
    // The service cannot come back without a new enrolment.
    const restart = await runAgentCommand(['service', '--state-dir', stateDir, '--unit-dir', unitDir, '--poll-ms', '200']);
    assert.notEqual(restart.code, 0);
    // Reinstalling with the old token is refused (it was spent; a new consented enrolment is needed).
    const reinstall = await runAgentCommand(['enrol', '--server', bed.url, '--fingerprint', bed.fingerprint, '--token', token, '--state-dir', stateDir, '--pam-service', pam.service]);
    assert.equal(reinstall.code, ExitCode.refused);
    assert.ok((await audit('device.revoke')).some((a) => a.target_id === deviceId && a.details.by === 'owner'));
  });

  it('an expired grant makes the service remove itself (key, unit) and exit 7', async () => {
    const created = await admin.request('POST', '/api/v1/devices/tokens', { label: 'Short', groupId, expiresInHours: 1, maxUses: 1, accessDays: 1 });
    const secret = ((await created.json()) as { secret: string }).secret;
    const dir = join(work, 'expiring');
    const enrolled = await runAgentCommand(['enrol', '--server', bed.url, '--fingerprint', bed.fingerprint, '--token', secret, '--state-dir', dir, '--pam-service', pam.service]);
    assert.equal(enrolled.code, 0, enrolled.stderr);
    // A day later (the state's expiry set back, as the device's clock would see it):
    const state = JSON.parse(readFileSync(join(dir, 'device.json'), 'utf8')) as { expiresAt: number };
    assert.ok(state.expiresAt > Date.now() + 86_000_000, 'the grant lasts the token\'s access days');
    writeFileSync(join(dir, 'device.json'), JSON.stringify({ ...state, expiresAt: Date.now() - 1 }), { mode: 0o600 });
    writeFileSync(join(unitDir, UNIT_NAME), systemdUnit({ command: ['/usr/bin/true'], stateDir: dir }, unitDir));
    const expiring = await runAgentCommand(['service', '--state-dir', dir, '--unit-dir', unitDir, '--poll-ms', '200'], pam.env);
    assert.equal(expiring.code, ExitCode.deviceGone, expiring.stderr);
    assert.ok(expiring.lines.some((l) => l.event === 'device-gone' && l.status === 'expired'));
    assert.ok(!existsSync(join(dir, 'device-key.pem')));
    assert.ok(!existsSync(join(unitDir, UNIT_NAME)));
  });
});

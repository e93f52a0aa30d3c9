import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { ed25519KeyFromPem, verifyCompactToken } from '../../protocol/grants.js';
import { startRequestSchema } from '../../protocol/device-auth.js';
import { buildTestAppliance, loggedInAs, TestClient, type TestAppliance } from '../testing/appliance.js';
import { deviceClient, deviceKeys, enrolmentBody } from '../testing/device.js';
import { CREDENTIAL_FAILURE_LIMIT } from './unattended.js';

// The broker's side of unattended access, through app.request(): deployment tokens, enrolment,
// signed device requests, the device list, starting a session, credential lockout, revoke, expiry.

const plugin = `import { z } from ${JSON.stringify(import.meta.resolve('zod'))};
export default { id: 'unattended-probe', name: 'Probe', description: 'Records the unattended flag.', settings: z.object({}), hooks: {
  agentConnect: (ctx) => ctx.unattended?.deviceName === 'blocked-pc' ? { outcome: 'deny', code: 'probe_blocked', reason: 'Blocked by the probe.' } : { outcome: 'continue', facts: { unattended: ctx.unattended ?? null } },
  permissionRequest: (ctx) => ctx.unattended?.deviceName === 'no-perm-pc' && ctx.permission === 'unattended_access' ? { outcome: 'deny', code: 'probe_permission', reason: 'No.' } : { outcome: 'continue' },
} };`;

let t: TestAppliance;
let dir: string;
let admin: TestClient;
let groupId: string;
let otherGroupId: string;

async function token(fields: Record<string, unknown> = {}): Promise<string> {
  const res = await admin.request('POST', '/api/v1/devices/tokens', { label: 'Laptops', groupId, expiresInHours: 24, maxUses: 5, ...fields });
  assert.equal(res.status, 201, await res.clone().text());
  return ((await res.json()) as { secret: string }).secret;
}

async function enrol(secret: string, name = 'pc-0042'): Promise<{ status: number; deviceId?: string; brokerKey?: string; client?: TestClient; keys: ReturnType<typeof deviceKeys> }> {
  const keys = deviceKeys();
  const res = await new TestClient(t).request('POST', '/api/v1/devices/enrol', enrolmentBody(keys, secret, name));
  const body = (await res.json()) as { deviceId?: string; brokerKey?: string };
  return { status: res.status, ...body, keys, ...(body.deviceId && { client: deviceClient(t, body.deviceId, keys.privateKey) }) };
}

async function auditActions(action: string): Promise<{ outcome: string; details: Record<string, unknown>; target_id: string | null }[]> {
  const rows = await t.services.db.selectFrom('audit_log').select(['outcome', 'details', 'target_id']).where('action', '=', action).orderBy('seq').execute();
  return rows.map((r) => ({ ...r, details: JSON.parse(r.details) as Record<string, unknown> }));
}

async function technicianIn(groups: string[]): Promise<TestClient> {
  return (await loggedInAs(t, 'technician', { groups })).client;
}

before(async () => {
  dir = mkdtempSync(join(tmpdir(), 'rescuebox-devices-'));
  writeFileSync(join(dir, 'probe.mjs'), plugin);
  t = await buildTestAppliance({ PLUGIN_PATHS: join(dir, 'probe.mjs'), PLUGINS: 'unattended-probe', PIN_RATE_LIMIT_PER_IP: '1000', SESSION_IDLE_MINUTES: '1440', SESSION_MAX_HOURS: '720' });
  admin = (await loggedInAs(t, 'account_admin')).client;
  const create = async (name: string, permissions: string[]) => ((await (await admin.request('POST', '/api/v1/groups', { name, permissions })).json()) as { group: { id: string } }).group.id;
  groupId = await create('Unattended', ['unattended_access']);
  otherGroupId = await create('Attended only', ['remote_view']);
});
after(async () => {
  await t.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('deployment tokens', () => {
  it('shows the secret once, stores only its hash, and audits the creation', async () => {
    const secret = await token();
    assert.match(secret, /^rbd_[A-Za-z0-9_-]{43}$/);
    const list = await (await admin.request('GET', '/api/v1/devices/tokens')).text();
    assert.ok(!list.includes(secret) && !list.includes(secret.slice(4)), 'the list never shows the secret');
    const stored = JSON.stringify(await t.services.db.selectFrom('deployment_tokens').selectAll().execute());
    assert.ok(!stored.includes(secret.slice(4)), 'the database holds only a hash');
    assert.ok((await auditActions('device.token.create')).length >= 1);
  });

  it('gives a one-line install command naming the server and the token', async () => {
    const res = await admin.request('POST', '/api/v1/devices/tokens', { label: 'Rollout', groupId, expiresInHours: 1, maxUses: 100 });
    const { installCommand, secret } = (await res.json()) as { installCommand: string; secret: string };
    assert.match(installCommand, /enrol --server \S+ --token rbd_\S+ --install-service$/);
    assert.ok(installCommand.includes(secret));
  });

  it('refuses an unknown group', async () => {
    const res = await admin.request('POST', '/api/v1/devices/tokens', { label: 'x', groupId: '00000000-0000-4000-8000-000000000000', expiresInHours: 1, maxUses: 1 });
    assert.equal(res.status, 400);
  });
});

describe('enrolment with a deployment token', () => {
  it('enrols a device, answers the broker key to pin, and audits it', async () => {
    const result = await enrol(await token());
    assert.equal(result.status, 201);
    assert.equal(result.brokerKey, t.services.signing.publicPem);
    const audit = await auditActions('device.enrol');
    assert.equal(audit.at(-1)!.outcome, 'success');
    assert.equal(audit.at(-1)!.target_id, result.deviceId);
  });

  it('refuses expired, over-used, revoked and forged tokens, and a bad proof, each audited with its reason', async () => {
    const once = await token({ maxUses: 1 });
    assert.equal((await enrol(once)).status, 201);
    assert.equal((await enrol(once)).status, 403, 'over-used');
    const expiring = await token({ expiresInHours: 1 });
    t.clock.advance(3_600_001);
    assert.equal((await enrol(expiring)).status, 403, 'expired');
    const revokedSecret = await token();
    const tokens = (await (await admin.request('GET', '/api/v1/devices/tokens')).json()) as { tokens: { id: string; state: string }[] };
    const newest = tokens.tokens[0]!;
    assert.equal((await admin.request('DELETE', `/api/v1/devices/tokens/${newest.id}`)).status, 204);
    assert.equal((await enrol(revokedSecret)).status, 403, 'revoked');
    assert.equal((await enrol(`rbd_${'A'.repeat(43)}`)).status, 403, 'forged');
    const keys = deviceKeys();
    const body = { ...enrolmentBody(keys, await token()), publicKey: deviceKeys().publicKey };
    assert.equal((await new TestClient(t).request('POST', '/api/v1/devices/enrol', body)).status, 403, 'proof by another key');
    const reasons = (await auditActions('device.enrol')).filter((a) => a.outcome === 'failure').map((a) => a.details.reason);
    for (const reason of ['used_up', 'expired', 'revoked', 'unknown', 'bad_proof']) assert.ok(reasons.includes(reason), `${reason} in ${reasons.join(',')}`);
  });
});

describe('signed device requests', () => {
  it('accepts the device\'s signature once: a replayed request is refused', async () => {
    const device = await enrol(await token());
    let header = '';
    const signer = device.client!.deviceSigner!;
    device.client!.deviceSigner = (m, p, b) => (header = signer(m, p, b));
    assert.equal((await device.client!.request('POST', '/api/v1/device/poll', { agentVersion: '0.1.0' })).status, 200);
    const replay = await new TestClient(t).request('POST', '/api/v1/device/poll', { agentVersion: '0.1.0' }, { authorization: header });
    assert.equal(replay.status, 401);
  });

  it('refuses a request signed by another key, or with a changed body', async () => {
    const device = await enrol(await token());
    const stranger = deviceClient(t, device.deviceId!, deviceKeys().privateKey);
    assert.equal((await stranger.request('POST', '/api/v1/device/poll', { agentVersion: '0.1.0' })).status, 401);
    const signer = device.client!.deviceSigner!;
    const res = await t.app.request('/api/v1/device/poll', { method: 'POST', headers: { 'content-type': 'application/json', authorization: signer('POST', '/api/v1/device/poll', '{"agentVersion":"0.1.0"}') }, body: '{"agentVersion":"6.6.6"}' }, { remoteAddress: '127.0.0.1' });
    assert.equal(res.status, 401);
  });
});

describe('device list', () => {
  it('shows a technician the devices of their unattended groups only; admins see all; search, filter and CSV', async () => {
    const device = await enrol(await token(), 'kasse-07');
    const member = await technicianIn([groupId]);
    const outsider = await technicianIn([otherGroupId]);
    const names = async (client: TestClient, query = '') => ((await (await client.request('GET', `/api/v1/devices${query}`)).json()) as { devices: { name: string }[] }).devices.map((d) => d.name);
    assert.ok((await names(member)).includes('kasse-07'));
    assert.deepEqual(await names(outsider), []);
    assert.ok((await names(admin)).includes('kasse-07'));
    assert.deepEqual(await names(member, '?q=KASSE'), ['kasse-07']);
    assert.ok((await names(member, '?online=true')).includes('kasse-07'));
    t.clock.advance(10 * 60_000);
    assert.ok(!(await names(member, '?online=true')).includes('kasse-07'), 'offline after no poll for 10 minutes');
    await device.client!.request('POST', '/api/v1/device/poll', { agentVersion: '0.2.0' });
    const list = ((await (await member.request('GET', '/api/v1/devices?q=kasse')).json()) as { devices: Record<string, unknown>[] }).devices;
    assert.equal(list[0]!.agentVersion, '0.2.0');
    assert.equal(list[0]!.online, true);
    assert.equal((list[0]!.consent as { via: string }).via, 'deployment_token');
    const csv = await (await member.request('GET', '/api/v1/devices.csv?q=kasse')).text();
    assert.match(csv.split('\r\n')[0]!, /^id,name,os,agentVersion,groupId,status,online,lastSeenAt/);
    assert.ok(csv.split('\r\n')[1]!.includes('kasse-07'));
  });
});

describe('starting an unattended session', () => {
  it('needs unattended_access in the device\'s group; runs both policies with the unattended flag; queues a signed start request the device gets once', async () => {
    const device = await enrol(await token(), 'office-pc');
    const outsider = await technicianIn([otherGroupId]);
    assert.equal((await outsider.request('POST', `/api/v1/devices/${device.deviceId}/start`, {})).status, 403);
    const member = await technicianIn([groupId]);
    const res = await member.request('POST', `/api/v1/devices/${device.deviceId}/start`, {});
    assert.equal(res.status, 201);
    const started = (await res.json()) as { sessionId: string; secret: string; ticket: string };
    for (const hook of ['agentConnect', 'permissionRequest']) {
      const decision = (await auditActions(`policy.${hook}`)).at(-1)!;
      assert.equal((decision.details.unattended as { deviceName: string }).deviceName, 'office-pc', `${hook} ran with the unattended flag`);
    }
    const poll = (await (await device.client!.request('POST', '/api/v1/device/poll', { agentVersion: '0.1.0' })).json()) as { start: string };
    const payload = startRequestSchema.parse(verifyCompactToken(poll.start, ed25519KeyFromPem(device.brokerKey!)));
    assert.equal(payload.did, device.deviceId);
    assert.equal(payload.sid, started.sessionId);
    assert.equal(payload.secret, started.secret);
    const again = (await (await device.client!.request('POST', '/api/v1/device/poll', { agentVersion: '0.1.0' })).json()) as { start: string | null };
    assert.equal(again.start, null, 'handed out once');
    assert.equal((await device.client!.request('POST', '/api/v1/device/ticket', { sessionId: started.sessionId })).status, 200);
    const other = await enrol(await token());
    assert.equal((await other.client!.request('POST', '/api/v1/device/ticket', { sessionId: started.sessionId })).status, 404, 'another device cannot join it');
  });

  it('answers a refusal of either policy as 403 with its code, and starts nothing', async () => {
    const member = await technicianIn([groupId]);
    for (const [name, code] of [['blocked-pc', 'probe_blocked'], ['no-perm-pc', 'probe_permission']]) {
      const device = await enrol(await token(), name);
      const res = await member.request('POST', `/api/v1/devices/${device.deviceId}/start`, {});
      assert.equal(res.status, 403);
      assert.equal(((await res.json()) as { code: string }).code, code);
      const poll = (await (await device.client!.request('POST', '/api/v1/device/poll', { agentVersion: '0.1.0' })).json()) as { start: string | null };
      assert.equal(poll.start, null);
    }
  });

  it('refuses starts after too many wrong device credentials, and audits each', async () => {
    const device = await enrol(await token());
    const member = await technicianIn([groupId]);
    for (let i = 0; i < CREDENTIAL_FAILURE_LIMIT; i += 1) {
      const { sessionId } = (await (await member.request('POST', `/api/v1/devices/${device.deviceId}/start`, {})).json()) as { sessionId: string };
      assert.equal((await device.client!.request('POST', '/api/v1/device/events', { event: 'credentials', sessionId, outcome: 'rejected', user: 'alice' })).status, 204);
    }
    const locked = await member.request('POST', `/api/v1/devices/${device.deviceId}/start`, {});
    assert.equal(locked.status, 429);
    const failures = (await auditActions('unattended.credentials')).filter((a) => a.target_id === device.deviceId && a.outcome === 'failure');
    assert.equal(failures.length, CREDENTIAL_FAILURE_LIMIT);
    t.clock.advance(16 * 60_000);
    assert.equal((await member.request('POST', `/api/v1/devices/${device.deviceId}/start`, {})).status, 201, 'the lockout window passes');
  });
});

describe('revocation and expiry', () => {
  it('after an admin revokes: the old key, the old token and the same key re-enrolling are all refused; open sessions end', async () => {
    const secret = await token({ maxUses: 2 });
    const device = await enrol(secret);
    const member = await technicianIn([groupId]);
    const { sessionId } = (await (await member.request('POST', `/api/v1/devices/${device.deviceId}/start`, {})).json()) as { sessionId: string };
    assert.equal((await admin.request('POST', `/api/v1/devices/${device.deviceId}/revoke`, { reason: 'laptop sold' })).status, 200);
    const refused = await device.client!.request('POST', '/api/v1/device/poll', { agentVersion: '0.1.0' });
    assert.equal(refused.status, 401);
    assert.equal(((await refused.json()) as { device: string }).device, 'revoked');
    const session = await t.services.db.selectFrom('support_sessions').select('status').where('id', '=', sessionId).executeTakeFirstOrThrow();
    assert.equal(session.status, 'ended');
    const reuse = await new TestClient(t).request('POST', '/api/v1/devices/enrol', enrolmentBody(device.keys, secret));
    assert.equal(reuse.status, 403, 'the same key never enrols again');
    assert.equal((await member.request('POST', `/api/v1/devices/${device.deviceId}/start`, {})).status, 404);
    assert.equal((await auditActions('device.revoke')).at(-1)!.target_id, device.deviceId);
    assert.ok((await auditActions('device.auth')).some((a) => a.target_id === device.deviceId && a.details.reason === 'device_revoked'));
  });

  it('the owner revokes from the device', async () => {
    const device = await enrol(await token());
    assert.equal((await device.client!.request('POST', '/api/v1/device/revoke', { reason: 'rescuebox-agent revoke' })).status, 204);
    assert.equal((await device.client!.request('POST', '/api/v1/device/poll', { agentVersion: '0.1.0' })).status, 401);
  });

  it('a grant set at enrolment expires: the device is told so (and audited)', async () => {
    const device = await enrol(await token({ accessDays: 1 }));
    assert.equal((await device.client!.request('POST', '/api/v1/device/poll', { agentVersion: '0.1.0' })).status, 200);
    t.clock.advance(86_400_001);
    const res = await device.client!.request('POST', '/api/v1/device/poll', { agentVersion: '0.1.0' });
    assert.equal(res.status, 401);
    assert.equal(((await res.json()) as { device: string }).device, 'expired');
    assert.equal((await auditActions('device.expire')).at(-1)!.target_id, device.deviceId);
  });
});

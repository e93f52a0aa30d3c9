import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { buildTestAppliance, loggedInAs, TestClient, type TestAppliance } from '../../../testing/appliance.js';

type UserBody = { user: { id: string; email: string; role: string; enabled: boolean; groups: string[] } };

describe('users API', () => {
  let t: TestAppliance;
  let admin: TestClient;
  let adminId: string;
  before(async () => {
    t = await buildTestAppliance({ LOGIN_RATE_LIMIT: '10000' });
    const a = await loggedInAs(t, 'account_admin');
    admin = a.client;
    adminId = a.user.id;
  });
  after(() => t.close());

  it('creates a technician who can then log in, and audits it', async () => {
    const res = await admin.request('POST', '/api/v1/users', { email: 'Tech.One@Example.test', password: 'Secure-pass-42', role: 'technician', displayName: 'Tech One' });
    assert.equal(res.status, 201);
    const { user } = (await res.json()) as UserBody;
    assert.equal(user.email, 'tech.one@example.test');
    assert.equal(user.role, 'technician');
    assert.equal('password_hash' in user || 'passwordHash' in user, false);
    assert.equal((await new TestClient(t).login('tech.one@example.test', 'Secure-pass-42')).status, 200);
    const audit = await t.services.db.selectFrom('audit_log').selectAll().where('action', '=', 'account.create').where('target_id', '=', user.id).execute();
    assert.equal(audit.length, 1);
    assert.doesNotMatch(audit[0]!.details, /Secure-pass-42/);
  });

  it('enforces the password policy on creation and reset', async () => {
    for (const password of ['short1', 'lettersonly', '1234567890', 'password1', 'Passw0rd']) {
      const res = await admin.request('POST', '/api/v1/users', { email: `weak${password}@example.test`, password, role: 'technician' });
      assert.equal(res.status, 400, password);
      assert.equal(((await res.json()) as { error: string }).error, 'weak_password');
    }
  });

  it('refuses a duplicate e-mail with 409 and unknown groups with 400', async () => {
    await admin.request('POST', '/api/v1/users', { email: 'dup@example.test', password: 'Secure-pass-42', role: 'customer' });
    assert.equal((await admin.request('POST', '/api/v1/users', { email: 'DUP@example.test', password: 'Secure-pass-42', role: 'customer' })).status, 409);
    assert.equal((await admin.request('POST', '/api/v1/users', { email: 'g@example.test', password: 'Secure-pass-42', role: 'technician', groups: ['nope'] })).status, 400);
    assert.equal((await admin.request('POST', '/api/v1/users', { email: 'not-an-email', password: 'Secure-pass-42', role: 'technician' })).status, 400);
    assert.equal((await admin.request('POST', '/api/v1/users', { email: 'r@example.test', password: 'Secure-pass-42', role: 'superuser' })).status, 400);
  });

  it('disabling an account ends its sessions at once', async () => {
    const tech = await loggedInAs(t, 'technician');
    assert.equal((await tech.client.request('GET', '/api/v1/me')).status, 200);
    const res = await admin.request('PATCH', `/api/v1/users/${tech.user.id}`, { enabled: false });
    assert.equal(res.status, 200);
    assert.equal(((await res.json()) as UserBody).user.enabled, false);
    assert.equal((await tech.client.request('GET', '/api/v1/me')).status, 401);
    assert.equal((await new TestClient(t).login(tech.user.email, tech.password)).status, 401);
    await admin.request('PATCH', `/api/v1/users/${tech.user.id}`, { enabled: true });
    assert.equal((await new TestClient(t).login(tech.user.email, tech.password)).status, 200);
  });

  it('disabling revokes API tokens and sessions for good: re-enabling brings none back', async () => {
    const tech = await loggedInAs(t, 'technician');
    const created = await tech.client.request('POST', '/api/v1/me/tokens', { name: 'script' });
    assert.equal(created.status, 201);
    const { secret } = (await created.json()) as { secret: string };
    const script = new TestClient(t);
    script.bearer = secret;
    assert.equal((await script.request('GET', '/api/v1/me')).status, 200);
    assert.equal((await admin.request('PATCH', `/api/v1/users/${tech.user.id}`, { enabled: false })).status, 200);
    assert.equal((await script.request('GET', '/api/v1/me')).status, 401);
    assert.equal((await admin.request('PATCH', `/api/v1/users/${tech.user.id}`, { enabled: true })).status, 200);
    assert.equal((await script.request('GET', '/api/v1/me')).status, 401, 'the old token stays revoked');
    assert.equal((await tech.client.request('GET', '/api/v1/me')).status, 401, 'the old session stays ended');
    const left = await t.services.db.selectFrom('api_tokens').select('id').where('user_id', '=', tech.user.id).execute();
    assert.equal(left.length, 0);
    const audit = await t.services.db.selectFrom('audit_log').select('details').where('action', '=', 'account.update').where('target_id', '=', tech.user.id).execute();
    assert.ok(audit.some((a) => /"revokedTokens":1/.test(a.details)), 'the revocation is in the audit entry');
  });

  it('audits a refused privileged action: a network admin demoting or deleting an account admin', async () => {
    const network = await loggedInAs(t, 'network_admin');
    assert.equal((await network.client.request('PATCH', `/api/v1/users/${adminId}`, { role: 'technician' })).status, 403);
    assert.equal((await network.client.request('DELETE', `/api/v1/users/${adminId}`)).status, 403);
    assert.equal((await network.client.request('POST', '/api/v1/users', { email: 'sneaky@example.test', password: 'Secure-pass-42', role: 'account_admin' })).status, 403);
    const refused = await t.services.db.selectFrom('audit_log').select(['action', 'outcome', 'target_id', 'details']).where('actor_id', '=', network.user.id).where('outcome', '=', 'denied').orderBy('seq').execute();
    assert.deepEqual(refused.map((r) => [r.action, r.target_id, JSON.parse(r.details).reason]), [
      ['account.update', adminId, 'role_not_manageable'], ['account.delete', adminId, 'role_not_manageable'], ['account.create', null, 'role_not_manageable'],
    ]);
  });

  it('admin password reset replaces the password and ends sessions', async () => {
    const tech = await loggedInAs(t, 'technician');
    assert.equal((await admin.request('PATCH', `/api/v1/users/${tech.user.id}`, { password: 'Brand-new-pass-7' })).status, 200);
    assert.equal((await tech.client.request('GET', '/api/v1/me')).status, 401);
    assert.equal((await new TestClient(t).login(tech.user.email, tech.password)).status, 401);
    assert.equal((await new TestClient(t).login(tech.user.email, 'Brand-new-pass-7')).status, 200);
    const audit = await t.services.db.selectFrom('audit_log').select('action').where('target_id', '=', tech.user.id).execute();
    assert.ok(audit.some((a) => a.action === 'account.password_reset'));
  });

  it('assigns groups and reports them on the account', async () => {
    const group = await admin.request('POST', '/api/v1/groups', { name: 'Level 1', permissions: ['remote_view', 'diagnostics'] });
    const groupId = ((await group.json()) as { group: { id: string } }).group.id;
    const res = await admin.request('POST', '/api/v1/users', { email: 'grouped@example.test', password: 'Secure-pass-42', role: 'technician', groups: [groupId] });
    const { user } = (await res.json()) as UserBody;
    assert.deepEqual(user.groups, [groupId]);
    const tech = new TestClient(t);
    await tech.login('grouped@example.test', 'Secure-pass-42');
    const me = (await (await tech.request('GET', '/api/v1/me')).json()) as { permissions: string[] };
    assert.deepEqual(me.permissions, ['diagnostics', 'remote_view']);
  });

  it('network admins manage technicians but not account admins', async () => {
    const net = (await loggedInAs(t, 'network_admin')).client;
    assert.equal((await net.request('POST', '/api/v1/users', { email: 'boss@example.test', password: 'Secure-pass-42', role: 'account_admin' })).status, 403);
    assert.equal((await net.request('PATCH', `/api/v1/users/${adminId}`, { enabled: false })).status, 403);
    assert.equal((await net.request('DELETE', `/api/v1/users/${adminId}`)).status, 403);
    const created = await net.request('POST', '/api/v1/users', { email: 'nettech@example.test', password: 'Secure-pass-42', role: 'technician' });
    assert.equal(created.status, 201);
    const id = ((await created.json()) as UserBody).user.id;
    assert.equal((await net.request('PATCH', `/api/v1/users/${id}`, { role: 'account_admin' })).status, 403);
    assert.equal((await net.request('DELETE', `/api/v1/users/${id}`)).status, 204);
    assert.equal((await net.request('GET', `/api/v1/users/${id}`)).status, 404);
  });

  it('keeps the last account admin and refuses self-deletion', async () => {
    assert.equal((await admin.request('DELETE', `/api/v1/users/${adminId}`)).status, 409);
    assert.equal((await admin.request('PATCH', `/api/v1/users/${adminId}`, { enabled: false })).status, 409);
    assert.equal((await admin.request('PATCH', `/api/v1/users/${adminId}`, { role: 'technician' })).status, 409);
  });

  it('lists accounts without secrets and 404s unknown ids', async () => {
    const res = await admin.request('GET', '/api/v1/users');
    const text = await res.text();
    assert.equal(res.status, 200);
    assert.doesNotMatch(text, /scrypt\$/);
    assert.equal((await admin.request('GET', '/api/v1/users/does-not-exist')).status, 404);
    assert.equal((await admin.request('PATCH', '/api/v1/users/does-not-exist', { enabled: true })).status, 404);
    assert.equal((await admin.request('PATCH', `/api/v1/users/${adminId}`, { unknownField: 1 })).status, 400);
  });
});

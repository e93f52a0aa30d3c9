import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { buildTestAppliance, buildUser, loggedInAs, type TestAppliance, type TestClient } from '../../../testing/appliance.js';

type GroupBody = { group: { id: string; name: string; permissions: string[]; members: string[] } };

describe('groups API', () => {
  let t: TestAppliance;
  let admin: TestClient;
  before(async () => {
    t = await buildTestAppliance();
    admin = (await loggedInAs(t, 'network_admin')).client;
  });
  after(() => t.close());

  it('creates, reads, changes and deletes a group with permissions and members', async () => {
    const { user } = await buildUser(t);
    const created = await admin.request('POST', '/api/v1/groups', { name: 'Support', description: 'First line', permissions: ['remote_view', 'file_transfer'], members: [user.id] });
    assert.equal(created.status, 201);
    const { group } = (await created.json()) as GroupBody;
    assert.deepEqual(group.permissions, ['file_transfer', 'remote_view']);
    assert.deepEqual(group.members, [user.id]);

    const changed = await admin.request('PATCH', `/api/v1/groups/${group.id}`, { permissions: ['remote_control', 'reports', 'service_desk', 'unattended_access', 'diagnostics'] });
    assert.deepEqual(((await changed.json()) as GroupBody).group.permissions, ['diagnostics', 'remote_control', 'reports', 'service_desk', 'unattended_access']);
    const listed = (await (await admin.request('GET', '/api/v1/groups')).json()) as { groups: unknown[]; permissions: string[] };
    assert.equal(listed.groups.length, 1);
    assert.equal(listed.permissions.length, 7);

    assert.equal((await admin.request('DELETE', `/api/v1/groups/${group.id}`)).status, 204);
    assert.equal((await admin.request('GET', `/api/v1/groups/${group.id}`)).status, 404);
    const member = await t.services.db.selectFrom('users').select('id').where('id', '=', user.id).executeTakeFirst();
    assert.ok(member, 'deleting a group keeps its members');
  });

  it('refuses unknown permissions, unknown members and duplicate names', async () => {
    assert.equal((await admin.request('POST', '/api/v1/groups', { name: 'X', permissions: ['root'] })).status, 400);
    assert.equal((await admin.request('POST', '/api/v1/groups', { name: 'Y', permissions: [], members: ['ghost'] })).status, 400);
    assert.equal((await admin.request('POST', '/api/v1/groups', { name: 'Z', permissions: [] })).status, 201);
    assert.equal((await admin.request('POST', '/api/v1/groups', { name: 'Z', permissions: [] })).status, 409);
  });
});

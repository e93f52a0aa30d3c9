import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { buildTestAppliance, loggedInAs, TestClient, type TestAppliance } from '../../../core/testing/appliance.js';
import { verifyToken } from '../../../relay/tickets.js';

// The broker, not the console, decides whether a technician may even ask for the screen:
// `remote_view` and `remote_control` are separate group permissions, and the agent's audit
// events for screen sharing are recorded (and validated).
describe('screen permissions at the broker', () => {
  let t: TestAppliance;
  let viewer: TestClient;
  let controller: TestClient;

  before(async () => {
    t = await buildTestAppliance({ LOGIN_RATE_LIMIT: '10000', PIN_RATE_LIMIT_PER_IP: '1000', PIN_RATE_LIMIT_GLOBAL: '100000' });
    const admin = (await loggedInAs(t, 'account_admin')).client;
    const group = async (name: string, permissions: string[]) => ((await (await admin.request('POST', '/api/v1/groups', { name, permissions })).json()) as { group: { id: string } }).group.id;
    viewer = (await loggedInAs(t, 'technician', { groups: [await group('Viewers', ['remote_view'])] })).client;
    controller = (await loggedInAs(t, 'technician', { groups: [await group('Controllers', ['remote_view', 'remote_control'])] })).client;
  });
  after(() => t.close());

  async function joinedSession(client: TestClient): Promise<{ id: string; agent: TestClient }> {
    const created = (await (await client.request('POST', '/api/v1/sessions', {})).json()) as { id: string; pin: string };
    const boot = (await (await new TestClient(t, '192.0.2.7').request('POST', '/api/v1/pin/redeem', { pin: created.pin })).json()) as { agentToken: string };
    const agent = new TestClient(t);
    agent.agentToken = boot.agentToken;
    return { id: created.id, agent };
  }
  const grant = (client: TestClient, id: string, capability: string) => client.request('POST', `/api/v1/sessions/${id}/grants`, { capability });

  it('view needs remote_view, control needs remote_control; refusals are audited', async () => {
    const { id } = await joinedSession(viewer);
    const view = await grant(viewer, id, 'screen.view');
    assert.equal(view.status, 200);
    const payload = verifyToken(((await view.json()) as { grant: string }).grant, t.services.signing.publicPem) as { capability: string; sid: string };
    assert.deepEqual([payload.capability, payload.sid], ['screen.view', id]);
    assert.equal((await grant(viewer, id, 'screen.control')).status, 403);
    const audit = await t.services.db.selectFrom('audit_log').select(['outcome', 'details']).where('action', '=', 'permission.request').where('target_id', '=', id).execute();
    assert.deepEqual(audit.map((a) => `${a.outcome}:${(JSON.parse(a.details) as { permission: string }).permission}`).sort(), ['allow:remote_view', 'deny:remote_control']);

    const other = await joinedSession(controller);
    assert.equal((await grant(controller, other.id, 'screen.control')).status, 200);
    assert.equal((await grant(viewer, other.id, 'screen.view')).status, 404, 'not another technician\'s session');
  });

  it('records the agent\'s screen events (who took control back) and refuses malformed ones', async () => {
    const { id, agent } = await joinedSession(controller);
    for (const [action, by] of [['view.start', 'customer'], ['control.paused', 'customer'], ['control.stop', 'technician']]) {
      assert.equal((await agent.request('POST', '/api/v1/agent/events', { event: 'screen', action, by })).status, 204);
    }
    assert.equal((await agent.request('POST', '/api/v1/agent/events', { event: 'screen', action: 'view.hijack', by: 'customer' })).status, 400);
    assert.equal((await agent.request('POST', '/api/v1/agent/events', { event: 'screen', action: 'view.start', by: 'customer', extra: 1 })).status, 400);
    const rows = await t.services.db.selectFrom('audit_log').select(['action', 'details', 'actor_email']).where('action', 'like', 'screen.%').where('target_id', '=', id).execute();
    assert.deepEqual(rows.map((r) => `${r.action}:${(JSON.parse(r.details) as { by: string }).by}`), ['screen.view.start:customer', 'screen.control.paused:customer', 'screen.control.stop:technician']);
  });
});

// The `permissionRequest` pipeline hook decides too: a plugin may refuse remote control even to
// a technician whose groups grant it (here: an outside plugin that allows viewing only).
describe('screen permissions through the permissionRequest hook', () => {
  let t: TestAppliance;
  let dir: string;
  let tech: TestClient;

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'rb-view-only-'));
    const plugin = join(dir, 'view-only.mjs');
    writeFileSync(plugin, `export default {
  id: 'view-only', name: 'View only', description: 'Technicians may look, not touch.',
  settings: { safeParse: (value) => ({ success: true, data: value ?? {} }) },
  hooks: {
    permissionRequest(context) {
      if (context.permission === 'remote_control') return { outcome: 'deny', code: 'view_only', reason: 'Remote control is switched off here.' };
      return { outcome: 'continue' };
    },
  },
};
`);
    t = await buildTestAppliance({ PLUGIN_PATHS: plugin, PLUGINS: 'login-hours,view-only', LOGIN_RATE_LIMIT: '10000', PIN_RATE_LIMIT_PER_IP: '1000' });
    const admin = (await loggedInAs(t, 'account_admin')).client;
    const group = ((await (await admin.request('POST', '/api/v1/groups', { name: 'All', permissions: ['remote_view', 'remote_control'] })).json()) as { group: { id: string } }).group.id;
    tech = (await loggedInAs(t, 'technician', { groups: [group] })).client;
  });
  after(async () => {
    await t.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('refuses the control grant with the plugin\'s code and still grants viewing', async () => {
    const created = (await (await tech.request('POST', '/api/v1/sessions', {})).json()) as { id: string; pin: string };
    assert.equal((await new TestClient(t, '192.0.2.8').request('POST', '/api/v1/pin/redeem', { pin: created.pin })).status, 200);
    const control = await tech.request('POST', `/api/v1/sessions/${created.id}/grants`, { capability: 'screen.control' });
    assert.equal(control.status, 403);
    assert.deepEqual(await control.json().then((b) => [(b as { error: string }).error, (b as { code: string }).code]), ['policy_denied', 'view_only']);
    assert.equal((await tech.request('POST', `/api/v1/sessions/${created.id}/grants`, { capability: 'screen.view' })).status, 200);
  });
});


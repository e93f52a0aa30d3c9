import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, it } from 'node:test';
import { PluginManager } from '../../../policy/plugin-manager.js';
import { buildTestAppliance, buildUser, loggedInAs, TestClient, type TestAppliance } from '../../../testing/appliance.js';

interface PluginState {
  id: string;
  enabled: boolean;
  position: number;
  settings: Record<string, unknown>;
  settingsSchema: { type?: string; properties?: Record<string, unknown> };
  hooks: string[];
  source: 'config' | 'console';
}

/** The test clock starts on Monday 2026-01-05 09:00 UTC; Saturday-only hours make that "outside". */
const saturdayOnly = { days: ['sat'], from: '08:00', until: '17:00' };

describe('plugins API', () => {
  let t: TestAppliance;
  let admin: TestClient;
  let adminId: string;
  let tech: { email: string; password: string };

  const list = async () => ((await (await admin.request('GET', '/api/v1/plugins')).json()) as { plugins: PluginState[] }).plugins;
  const loginHours = async () => (await list()).find((p) => p.id === 'login-hours')!;
  const techLogin = () => new TestClient(t).login(tech.email, tech.password);
  const auditRows = (action: string) => t.services.db.selectFrom('audit_log').selectAll().where('action', '=', action).orderBy('seq').execute();
  const auditCount = async () => (await t.services.db.selectFrom('audit_log').select('seq').execute()).length;

  // A fresh appliance per test: every test here changes the chain.
  beforeEach(async () => {
    t = await buildTestAppliance({ LOGIN_RATE_LIMIT: '10000' });
    const a = await loggedInAs(t, 'account_admin');
    admin = a.client;
    adminId = a.user.id;
    const { user, password } = await buildUser(t, { role: 'technician' });
    tech = { email: user.email, password };
  });
  afterEach(() => t.close());

  it('lists login-hours from config with its settings schema', async () => {
    const res = await admin.request('GET', '/api/v1/plugins');
    assert.equal(res.status, 200);
    const { plugins } = (await res.json()) as { plugins: PluginState[] };
    const p = plugins.find((x) => x.id === 'login-hours');
    assert.ok(p);
    assert.equal(p.source, 'config');
    assert.equal(p.enabled, true);
    assert.equal(p.position, 0);
    assert.deepEqual(p.settings, {});
    assert.deepEqual(p.hooks, ['technicianLogin']);
    assert.equal(p.settingsSchema.type, 'object');
    assert.deepEqual(Object.keys(p.settingsSchema.properties ?? {}).sort(), ['days', 'from', 'roles', 'timeZone', 'until']);
  });

  it('is for account admins only', async () => {
    const { client: network } = await loggedInAs(t, 'network_admin');
    assert.equal((await network.request('GET', '/api/v1/plugins')).status, 403);
    assert.equal((await network.request('PATCH', '/api/v1/plugins/login-hours', { enabled: false })).status, 403);
    assert.equal((await new TestClient(t).request('GET', '/api/v1/plugins')).status, 401);
    assert.equal((await loginHours()).enabled, true);
  });

  const invalidChanges: [string, unknown][] = [
    ['an unknown time zone', { settings: { timeZone: 'Atlantis/Capital' } }],
    ['a bad time', { settings: { from: '25:00' } }],
    ['an unknown settings key', { settings: { weekdays: ['mon'] } }],
    ['settings that are not an object', { settings: 'always' }],
    ['enabled as a string', { enabled: 'no' }],
    ['an unknown field', { enabled: true, order: 1 }],
  ];
  for (const [name, body] of invalidChanges) {
    it(`refuses ${name} with 400 and changes nothing`, async () => {
      const before = await list();
      const res = await admin.request('PATCH', '/api/v1/plugins/login-hours', body);
      assert.equal(res.status, 400);
      assert.equal(((await res.json()) as { error: string }).error, 'invalid_request');
      assert.deepEqual(await list(), before);
      assert.equal((await t.services.db.selectFrom('plugin_settings').selectAll().execute()).length, 0);
      assert.equal((await auditRows('plugin.change')).length, 0);
      assert.equal((await techLogin()).status, 200);
    });
  }

  it('applies valid settings on the very next login and shows source console', async () => {
    assert.equal((await techLogin()).status, 200);
    const res = await admin.request('PATCH', '/api/v1/plugins/login-hours', { settings: saturdayOnly });
    assert.equal(res.status, 200);
    const { plugin } = (await res.json()) as { plugin: PluginState };
    assert.equal(plugin.source, 'console');
    assert.deepEqual(plugin.settings, saturdayOnly);
    const denied = await techLogin();
    assert.equal(denied.status, 403);
    const body = (await denied.json()) as { error: string; code: string };
    assert.equal(body.error, 'policy_denied');
    assert.equal(body.code, 'outside_login_hours');
    assert.equal((await loginHours()).source, 'console');
    // The admin is exempt by default, so an admin cannot lock themselves out this way.
    assert.equal((await new TestClient(t).request('GET', '/api/v1/me')).status, 401);
    assert.equal((await admin.request('GET', '/api/v1/me')).status, 200);
  });

  it('turns the plugin off with enabled:false, keeping its settings', async () => {
    await admin.request('PATCH', '/api/v1/plugins/login-hours', { settings: saturdayOnly });
    assert.equal((await techLogin()).status, 403);
    const res = await admin.request('PATCH', '/api/v1/plugins/login-hours', { enabled: false });
    assert.equal(res.status, 200);
    const { plugin } = (await res.json()) as { plugin: PluginState };
    assert.equal(plugin.enabled, false);
    assert.deepEqual(plugin.settings, saturdayOnly);
    assert.equal((await techLogin()).status, 200);
    const [last] = (await auditRows('policy.technicianLogin')).slice(-1);
    assert.deepEqual((JSON.parse(last!.details) as { trace: unknown[] }).trace, []);
    assert.equal((await admin.request('PATCH', '/api/v1/plugins/login-hours', { enabled: true })).status, 200);
    assert.equal((await techLogin()).status, 403);
  });

  it('answers 404 for an unknown plugin id', async () => {
    const res = await admin.request('PATCH', '/api/v1/plugins/no-such-plugin', { enabled: true });
    assert.equal(res.status, 404);
    assert.equal(((await res.json()) as { error: string }).error, 'not_found');
    assert.equal((await auditRows('plugin.change')).length, 0);
  });

  it('audits each change as plugin.change with who and what', async () => {
    await admin.request('PATCH', '/api/v1/plugins/login-hours', { settings: saturdayOnly });
    await admin.request('PATCH', '/api/v1/plugins/login-hours', { settings: { from: 'bad' } });
    await admin.request('PATCH', '/api/v1/plugins/login-hours', { enabled: false });
    const rows = await auditRows('plugin.change');
    assert.equal(rows.length, 2);
    for (const row of rows) {
      assert.equal(row.outcome, 'success');
      assert.equal(row.actor_id, adminId);
      assert.equal(row.target_type, 'plugin');
      assert.equal(row.target_id, 'login-hours');
    }
    assert.deepEqual(JSON.parse(rows[0]!.details), { enabled: true, position: 0, settings: saturdayOnly });
    assert.deepEqual(JSON.parse(rows[1]!.details), { enabled: false, position: 0, settings: saturdayOnly });
  });

  it('keeps console changes over config after a restart of the same database', async () => {
    await admin.request('PATCH', '/api/v1/plugins/login-hours', { settings: saturdayOnly });
    // A restart: an empty chain, then a new manager on the same database and the same config.
    t.services.pipeline.setActive([]);
    assert.equal((await techLogin()).status, 200);
    const restarted = new PluginManager(t.plugins.all(), t.services.config, t.services.db, t.clock, t.services.pipeline, t.services.vault);
    await restarted.apply();
    assert.equal((await techLogin()).status, 403);
    assert.equal((await restarted.list()).find((p) => p.id === 'login-hours')!.source, 'console');
  });

  describe('POST /api/v1/policy/explain', () => {
    const explain = (context: Record<string, unknown>) => admin.request('POST', '/api/v1/policy/explain', { hook: 'technicianLogin', context });
    type Explained = { decision: { outcome: string; code?: string }; trace: { plugin: string; outcome: string; code?: string }[] };

    it('returns the trace for a technician login without writing or changing anything', async () => {
      await admin.request('PATCH', '/api/v1/plugins/login-hours', { settings: saturdayOnly });
      const audit = await auditCount();
      const sessions = (await t.services.db.selectFrom('login_sessions').select('id').execute()).length;
      const states = await list();
      const res = await explain({ email: tech.email });
      assert.equal(res.status, 200);
      const body = (await res.json()) as Explained;
      assert.equal(body.decision.outcome, 'deny');
      assert.equal(body.decision.code, 'outside_login_hours');
      assert.deepEqual(body.trace.map((s) => [s.plugin, s.outcome, s.code]), [['login-hours', 'deny', 'outside_login_hours']]);
      assert.equal(await auditCount(), audit);
      assert.equal((await t.services.db.selectFrom('login_sessions').select('id').execute()).length, sessions);
      assert.deepEqual(await list(), states);
      const user = await t.services.db.selectFrom('users').select(['failed_logins', 'locked_until']).where('email', '=', tech.email).executeTakeFirstOrThrow();
      assert.deepEqual(user, { failed_logins: 0, locked_until: null });
    });

    it('asks about the instant given in `at`', async () => {
      await admin.request('PATCH', '/api/v1/plugins/login-hours', { settings: saturdayOnly });
      const saturdayNoon = Date.UTC(2026, 0, 10, 12);
      const body = (await (await explain({ email: tech.email, at: saturdayNoon })).json()) as Explained;
      assert.equal(body.decision.outcome, 'allow');
      assert.deepEqual(body.trace.map((s) => s.outcome), ['continue']);
    });

    it('takes the role from the account, or the one given', async () => {
      await admin.request('PATCH', '/api/v1/plugins/login-hours', { settings: saturdayOnly });
      const asAdmin = (await (await explain({ email: tech.email, role: 'account_admin' })).json()) as Explained;
      assert.equal(asAdmin.decision.outcome, 'allow');
      const unknownEmail = (await (await explain({ email: 'nobody@example.test' })).json()) as Explained;
      assert.equal(unknownEmail.decision.outcome, 'deny');
    });

    it('refuses an unknown hook and is for admins only', async () => {
      assert.equal((await admin.request('POST', '/api/v1/policy/explain', { hook: 'onLogin', context: {} })).status, 400);
      const { client: technician } = await loggedInAs(t, 'technician');
      assert.equal((await technician.request('POST', '/api/v1/policy/explain', { hook: 'technicianLogin', context: {} })).status, 403);
      const { client: network } = await loggedInAs(t, 'network_admin');
      assert.equal((await network.request('POST', '/api/v1/policy/explain', { hook: 'technicianLogin', context: { email: tech.email } })).status, 200);
    });
  });
});

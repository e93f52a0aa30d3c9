import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { buildTestAppliance, buildUser, loggedInAs, TestClient, type TestAppliance } from '../testing/appliance.js';

const zodUrl = import.meta.resolve('zod');

/**
 * An outside plugin written as a factory: it keeps its own "directory" in its settings, creates
 * local accounts for the logins it knows, has an API route and background work. It exercises
 * every part of the plugin host that stateful plugins (LDAP, TOTP, channels) build on.
 */
const directoryPluginSource = `import { z } from ${JSON.stringify(zodUrl)};
import { randomUUID } from 'node:crypto';
export default (host) => ({
  id: 'test-directory',
  name: 'Test directory',
  description: 'Logins from a list in the settings.',
  settings: z.object({ users: z.record(z.string(), z.string()).default({}), apiKey: z.string().optional() }).strict(),
  secretSettings: ['apiKey'],
  timeoutMs: 300,
  hooks: {
    technicianLogin(context, settings, tools) {
      if (context.email.startsWith('mfa') && context.code === null) {
        return { outcome: 'challenge', field: 'code', code: 'code_needed', reason: 'Enter the code.', data: { hint: 'look at your token' } };
      }
      return { outcome: 'continue', facts: { dryRun: tools.dryRun, method: context.method } };
    },
  },
  async authenticate(credentials, settings) {
    if (credentials.login === 'throws') throw new Error('directory down');
    if (credentials.login === 'slow') return new Promise(() => {});
    if (credentials.login === 'malformed') return { outcome: 'authenticated' };
    const password = settings.users[credentials.login];
    if (password === undefined) return { outcome: 'unknown' };
    if (password !== credentials.password) return { outcome: 'rejected', reason: 'wrong_password' };
    const email = credentials.login.includes('@') ? credentials.login : credentials.login + '@directory.test';
    const existing = await host.db.selectFrom('users').select('id').where('email', '=', email).executeTakeFirst();
    if (existing) return { outcome: 'authenticated', userId: existing.id };
    const now = host.clock.now();
    const id = randomUUID();
    await host.db.insertInto('users').values({
      id, email, display_name: credentials.login, role: 'technician', enabled: 1, password_hash: null, auth_source: 'test-directory',
      language: null, locked_until: null, created_at: now, updated_at: now, password_changed_at: null,
    }).execute();
    return { outcome: 'authenticated', userId: id };
  },
  routes: [{
    method: 'get', path: '/api/v1/plugins/test-directory/users', tag: 'plugins', summary: 'Known logins.',
    access: { roles: ['account_admin'] }, responses: { 200: '{ logins }' },
    handler: (c) => c.json({ logins: Object.keys(host.activeSettings('test-directory').users), apiKey: host.activeSettings('test-directory').apiKey }),
  }],
  start() {
    globalThis.__testDirectoryStarts = (globalThis.__testDirectoryStarts ?? 0) + 1;
    return () => { globalThis.__testDirectoryStops = (globalThis.__testDirectoryStops ?? 0) + 1; };
  },
});
`;

describe('plugin host: a stateful outside plugin', () => {
  let dir: string;
  let t: TestAppliance;
  let admin: TestClient;
  let localPassword: string;
  const login = (email: string, password: string, code?: string) => new TestClient(t).request('POST', '/api/v1/auth/login', { email, password, ...(code ? { code } : {}) });

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'rescuebox-host-'));
    const file = join(dir, 'test-directory.mjs');
    writeFileSync(file, directoryPluginSource);
    const local = 'local.tech@example.test';
    t = await buildTestAppliance({
      PLUGIN_PATHS: file, PLUGINS: 'test-directory',
      PLUGIN_SETTINGS: JSON.stringify({ 'test-directory': { apiKey: 'key-from-config', users: { alice: 'Directory-pass-1', 'mfa.bob': 'Directory-pass-2', [local]: 'Directory-pass-3' } } }),
    });
    localPassword = (await buildUser(t, { email: local })).password;
    admin = (await loggedInAs(t, 'account_admin')).client;
  });
  after(async () => {
    await t.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('logs in a directory user through the plugin and creates the local account', async () => {
    const response = await login('alice', 'Directory-pass-1');
    assert.equal(response.status, 200);
    const body = await response.json() as { user: { email: string; role: string } };
    assert.equal(body.user.email, 'alice@directory.test');
    const row = await t.services.db.selectFrom('audit_log').select('details').where('action', '=', 'auth.login').where('outcome', '=', 'success').orderBy('seq', 'desc').limit(1).executeTakeFirstOrThrow();
    assert.equal(JSON.parse(row.details).method, 'test-directory');
    const policy = await t.services.db.selectFrom('audit_log').select('details').where('action', '=', 'policy.technicianLogin').orderBy('seq', 'desc').limit(1).executeTakeFirstOrThrow();
    assert.equal(JSON.parse(policy.details).trace[0].outcome, 'continue');
  });

  it('answers a wrong directory password, an unknown login, a failing and a slow plugin alike', async () => {
    for (const [email, password] of [['alice', 'wrong'], ['nobody', 'whatever'], ['throws', 'x'], ['slow', 'x'], ['malformed', 'x']] as const) {
      const response = await login(email, password);
      assert.equal(response.status, 401, email);
      assert.equal(((await response.json()) as { error: string }).error, 'invalid_credentials', email);
    }
  });

  it('never asks the plugin for an account with a local password', async () => {
    assert.equal((await login('local.tech@example.test', 'Directory-pass-3')).status, 401);
    assert.equal((await login('local.tech@example.test', localPassword)).status, 200);
  });

  it('passes a challenge\'s data to the client and logs in once the code is given', async () => {
    const challenged = await login('mfa.bob', 'Directory-pass-2');
    assert.equal(challenged.status, 401);
    assert.deepEqual(await challenged.json(), { error: 'challenge', message: 'Enter the code.', field: 'code', code: 'code_needed', data: { hint: 'look at your token' } });
    assert.equal((await login('mfa.bob', 'Directory-pass-2', '123456')).status, 200);
  });

  it('tells the hook whether it runs for real or in "test a policy"', async () => {
    const response = await admin.request('POST', '/api/v1/policy/explain', { hook: 'technicianLogin', context: { email: 'alice@directory.test' } });
    const { facts } = await response.json() as { facts: Record<string, { dryRun: boolean }> };
    assert.equal(facts['test-directory']!.dryRun, true);
    const row = await t.services.db.selectFrom('audit_log').select('details').where('action', '=', 'policy.technicianLogin').orderBy('seq', 'desc').limit(1).executeTakeFirstOrThrow();
    assert.ok(row, 'a real decision was audited before');
    const real = await t.services.pipeline.decide('technicianLogin', {
      ip: '127.0.0.1', at: 0, actor: null, sessionId: null, channel: null, facts: {}, email: 'x', method: 'password', code: null,
    });
    assert.equal((real.facts['test-directory'] as { dryRun: boolean }).dryRun, false);
  });

  it('mounts the plugin\'s routes with their access rule and answers 404 while it is off', async () => {
    const response = await admin.request('GET', '/api/v1/plugins/test-directory/users');
    assert.equal(response.status, 200);
    assert.deepEqual(await response.json(), { logins: ['alice', 'mfa.bob', 'local.tech@example.test'], apiKey: 'key-from-config' });
    const technician = (await loggedInAs(t, 'technician')).client;
    assert.equal((await technician.request('GET', '/api/v1/plugins/test-directory/users')).status, 403);
    assert.equal((await admin.request('PATCH', '/api/v1/plugins/test-directory', { enabled: false })).status, 200);
    assert.equal((await admin.request('GET', '/api/v1/plugins/test-directory/users')).status, 404);
    assert.equal((await login('alice', 'Directory-pass-1')).status, 401, 'a switched-off plugin authenticates nobody');
    assert.equal((await admin.request('PATCH', '/api/v1/plugins/test-directory', { enabled: true })).status, 200);
    assert.equal((await login('alice', 'Directory-pass-1')).status, 200);
  });

  it('masks secret settings in the console and the audit log, and keeps them when the mask is saved back', async () => {
    const listed = async () => ((await (await admin.request('GET', '/api/v1/plugins')).json()) as { plugins: { id: string; settings: Record<string, unknown> }[] }).plugins.find((p) => p.id === 'test-directory')!;
    const shown = await listed();
    assert.equal(shown.settings.apiKey, '********');
    const users = shown.settings.users;
    assert.equal((await admin.request('PATCH', '/api/v1/plugins/test-directory', { settings: { ...shown.settings, users: { ...(users as object), carol: 'Directory-pass-4' } } })).status, 200);
    const used = await (await admin.request('GET', '/api/v1/plugins/test-directory/users')).json() as { logins: string[]; apiKey: string };
    assert.equal(used.apiKey, 'key-from-config', 'the mask saved back keeps the stored secret');
    assert.ok(used.logins.includes('carol'));
    assert.equal((await admin.request('PATCH', '/api/v1/plugins/test-directory', { settings: { ...shown.settings, apiKey: 'a-new-key' } })).status, 200);
    assert.equal(((await (await admin.request('GET', '/api/v1/plugins/test-directory/users')).json()) as { apiKey: string }).apiKey, 'a-new-key');
    const audits = await t.services.db.selectFrom('audit_log').select('details').where('action', '=', 'plugin.change').execute();
    assert.ok(audits.length >= 2);
    for (const row of audits) assert.doesNotMatch(row.details, /key-from-config|a-new-key/);
  });

  it('starts and stops background work', () => {
    const counters = globalThis as { __testDirectoryStarts?: number; __testDirectoryStops?: number };
    const before = { starts: counters.__testDirectoryStarts ?? 0, stops: counters.__testDirectoryStops ?? 0 };
    const stop = t.plugins.startBackgroundWork();
    assert.equal(counters.__testDirectoryStarts, before.starts + 1);
    stop();
    assert.equal(counters.__testDirectoryStops, before.stops + 1);
  });
});

describe('plugin host: route paths', () => {
  it('refuses a plugin route outside the plugin\'s own prefix', async () => {
    const { assertPlugin } = await import('./loader.js');
    const { z } = await import('zod');
    const plugin = { id: 'greedy', name: 'g', description: 'd', settings: z.object({}), hooks: {}, routes: [{ method: 'get', path: '/api/v1/users', access: { roles: ['account_admin'] } }] };
    assert.throws(() => assertPlugin(plugin, 'greedy.mjs'), /route paths must start with \/api\/v1\/plugins\/greedy\//);
    assert.throws(() => assertPlugin({ ...plugin, routes: [{ method: 'get', path: '/api/v1/plugins/greedy/x' }] }, 'greedy.mjs'), /must declare its access/);
    assert.throws(() => assertPlugin({ ...plugin, routes: [], authenticate: 'yes' }, 'greedy.mjs'), /authenticate must be a function/);
  });
});

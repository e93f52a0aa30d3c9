import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { TestClient, type TestAppliance } from '../../core/testing/appliance.js';
import type { PluginHost } from '../../core/policy/host.js';
import { scheduleSync, type SyncReport } from './sync.js';
import type { Slapd } from './testing/slapd.js';
import { applianceWithLdap, GROUPS, openLdapSettings, passwordOf, startDirectory } from './testing/fixture.js';

interface Account { id: string; email: string; role: string; enabled: boolean; displayName: string; groups: string[] }

describe('ldap plugin: user sync against a real OpenLDAP', () => {
  let slapd: Slapd;
  let t: TestAppliance;
  let admin: TestClient;
  let helpdeskGroupId: string;
  let ip = 0;
  const client = () => new TestClient(t, `10.7.0.${(ip += 1)}`);
  const sync = async (): Promise<SyncReport> => {
    const res = await admin.request('POST', '/api/v1/plugins/ldap/sync', {});
    assert.equal(res.status, 200);
    return (await res.json()) as SyncReport;
  };
  const account = async (email: string): Promise<Account | undefined> => {
    const { users } = (await (await admin.request('GET', '/api/v1/users')).json()) as { users: Account[] };
    return users.find((u) => u.email === email);
  };

  before(async () => {
    ({ slapd } = await startDirectory());
    ({ t, admin, helpdeskGroupId } = await applianceWithLdap(openLdapSettings(slapd)));
  });
  after(async () => {
    await t?.close();
    await slapd?.stop();
  });

  it('creates an account for every mapped directory user and skips the rest', async () => {
    const report = await sync();
    assert.equal(report.ok, true, report.message);
    // alice, bob, carol (nested), frank, grace, jürgen; not dave (no mapped group) nor erin (disabled).
    assert.deepEqual({ created: report.created, disabled: report.disabled }, { created: 6, disabled: 0 });
    assert.equal((await account('carol@example.org'))?.role, 'technician');
    assert.deepEqual((await account('frank@example.org'))?.groups, [helpdeskGroupId]);
    assert.equal(await account('dave@example.org'), undefined);
    assert.equal(await account('erin@example.org'), undefined);
    assert.deepEqual({ ...(await sync()), ok: true }, { ok: true, entries: report.entries, created: 0, updated: 0, unchanged: 6, disabled: 0, skipped: 0, keptLastAdmin: 0 });
  });

  it('disables a user removed from the directory: the open session ends and the login is refused', async () => {
    const frank = client();
    assert.equal((await frank.login('frank', passwordOf('frank'))).status, 200);
    assert.equal((await frank.request('GET', '/api/v1/me')).status, 200);
    await slapd.modify(`dn: cn=helpdesk,${GROUPS}\nchangetype: modify\ndelete: member\nmember: uid=frank,ou=people,dc=example,dc=org\n`);
    await slapd.remove('uid=frank,ou=people,dc=example,dc=org');
    const report = await sync();
    assert.equal(report.disabled, 1);
    assert.equal((await account('frank@example.org'))?.enabled, false);
    assert.equal((await frank.request('GET', '/api/v1/me')).status, 401, 'the session ended');
    const frankId = (await account('frank@example.org'))!.id;
    assert.equal((await t.services.db.selectFrom('login_sessions').select('id').where('user_id', '=', frankId).execute()).length, 0, 'sessions deleted');
    assert.equal((await client().login('frank@example.org', passwordOf('frank'))).status, 401);
    const audit = await t.services.db.selectFrom('audit_log').select(['details']).where('action', '=', 'ldap.account_disabled').executeTakeFirstOrThrow();
    assert.equal(JSON.parse(audit.details).reason, 'removed_from_directory');
  });

  it('updates a changed user (name, e-mail, role and groups) on the same account', async () => {
    const before = (await account('grace@example.org'))!;
    await slapd.modify([
      'dn: uid=grace,ou=people,dc=example,dc=org', 'changetype: modify', 'replace: cn', 'cn: Grace Renamed', '-', 'replace: mail', 'mail: grace.new@example.org', '',
      `dn: cn=admins,${GROUPS}`, 'changetype: modify', 'add: member', 'member: uid=grace,ou=people,dc=example,dc=org', '',
      `dn: cn=helpdesk,${GROUPS}`, 'changetype: modify', 'delete: member', 'member: uid=grace,ou=people,dc=example,dc=org', '',
    ].join('\n'));
    const report = await sync();
    assert.equal(report.updated, 1);
    const after = (await account('grace.new@example.org'))!;
    assert.deepEqual([after.id, after.displayName, after.role, after.groups], [before.id, 'Grace Renamed', 'account_admin', []]);
    assert.equal((await client().login('grace.new@example.org', passwordOf('grace'))).status, 200);
  });

  it('disables a user disabled in the directory and re-enables them when the directory does', async () => {
    const disable = (value: string) => slapd.modify(`dn: uid=bob,ou=people,dc=example,dc=org\nchangetype: modify\nreplace: employeeType\nemployeeType: ${value}\n`);
    await disable('disabled');
    assert.equal((await sync()).disabled, 1);
    assert.equal((await account('bob@example.org'))?.enabled, false);
    assert.equal((await client().login('bob', passwordOf('bob'))).status, 401);
    await disable('staff');
    assert.equal((await sync()).updated, 1);
    assert.equal((await account('bob@example.org'))?.enabled, true);
    assert.equal((await client().login('bob', passwordOf('bob'))).status, 200);
  });

  it('changes nothing when the directory answers with no users (a wrong base DN is likelier than an empty directory)', async () => {
    const res = await admin.request('PATCH', '/api/v1/plugins/ldap', { settings: openLdapSettings(slapd, { syncFilter: '(objectClass=nobodyHasThis)' }) });
    assert.equal(res.status, 200);
    const report = await sync();
    assert.equal(report.ok, false);
    assert.match(report.message ?? '', /no users/);
    assert.equal((await account('bob@example.org'))?.enabled, true);
    assert.equal((await admin.request('PATCH', '/api/v1/plugins/ldap', { settings: openLdapSettings(slapd) })).status, 200);
  });

  it('tests the connection with the saved settings and says what is wrong', async () => {
    const good = (await (await admin.request('POST', '/api/v1/plugins/ldap/test', {})).json()) as { ok: boolean; message: string; steps: string[] };
    assert.equal(good.ok, true, good.message);
    assert.equal(good.steps.length, 3);
    await admin.request('PATCH', '/api/v1/plugins/ldap', { settings: openLdapSettings(slapd, { servicePassword: 'wrong-one' }) });
    const bad = (await (await admin.request('POST', '/api/v1/plugins/ldap/test', {})).json()) as { ok: boolean; message: string };
    assert.equal(bad.ok, false);
    assert.match(bad.message, /service account/);
    assert.doesNotMatch(JSON.stringify(bad), /wrong-one/, 'no password in the answer');
    await admin.request('PATCH', '/api/v1/plugins/ldap', { settings: openLdapSettings(slapd) });
  });

  it('refuses the sync and test routes to a technician and answers 404 while the plugin is off', async () => {
    const tech = client();
    assert.equal((await tech.login('jürgen', passwordOf('jürgen'))).status, 200);
    assert.equal((await tech.request('POST', '/api/v1/plugins/ldap/sync', {})).status, 403);
    assert.equal((await admin.request('PATCH', '/api/v1/plugins/ldap', { enabled: false })).status, 200);
    assert.equal((await admin.request('POST', '/api/v1/plugins/ldap/sync', {})).status, 404);
    assert.equal((await admin.request('PATCH', '/api/v1/plugins/ldap', { enabled: true })).status, 200);
  });

  it('runs on its schedule once the interval has passed', async () => {
    const runs: number[] = [];
    const host = { clock: t.clock, logger: t.services.logger, activeSettings: () => ({ syncIntervalMinutes: 5 }) } as unknown as PluginHost;
    const stop = scheduleSync(host, async () => { runs.push(t.clock.now()); }, 5);
    try {
      await new Promise((r) => setTimeout(r, 30));
      assert.equal(runs.length, 0, 'not before the interval');
      t.clock.advance(5 * 60_000);
      await new Promise((r) => setTimeout(r, 30));
      assert.equal(runs.length, 1);
    } finally {
      stop();
    }
  });
});

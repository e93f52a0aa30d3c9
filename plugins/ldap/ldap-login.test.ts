import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { buildUser, loggedInAs, TestClient, type TestAppliance } from '../../core/testing/appliance.js';
import type { Slapd } from './testing/slapd.js';
import { adSettings, applianceWithLdap, openLdapSettings, passwordOf, startDirectory } from './testing/fixture.js';

interface LoginBody { user: { id: string; email: string; role: string; groups: string[]; authSource: string; displayName: string } }

// Logins through the real HTTP login route, against a real OpenLDAP (Debian slapd) on loopback.
describe('ldap plugin: login against a real OpenLDAP', () => {
  let slapd: Slapd;
  let t: TestAppliance;
  let helpdeskGroupId: string;
  let ip = 0;
  /** Each login from its own address, so the per-IP rate limit never interferes. */
  const client = () => new TestClient(t, `10.9.0.${(ip += 1)}`);

  before(async () => {
    ({ slapd } = await startDirectory());
    ({ t, helpdeskGroupId } = await applianceWithLdap(openLdapSettings(slapd)));
  });
  after(async () => {
    await t?.close();
    await slapd?.stop();
  });

  it('logs a directory user in by user name, creating an ldap account with role and technician group from the mapping', async () => {
    const res = await client().login('bob', passwordOf('bob'));
    assert.equal(res.status, 200, await res.clone().text());
    const { user } = (await res.json()) as LoginBody;
    assert.deepEqual([user.email, user.role, user.groups, user.authSource, user.displayName], ['bob@example.org', 'technician', [helpdeskGroupId], 'ldap', 'Bob Example']);
    const row = await t.services.db.selectFrom('users').select(['password_hash']).where('id', '=', user.id).executeTakeFirstOrThrow();
    assert.equal(row.password_hash, null, 'no local password for a directory account');
    const audit = await t.services.db.selectFrom('audit_log').select(['details']).where('action', '=', 'auth.login').where('outcome', '=', 'success').where('actor_id', '=', user.id).executeTakeFirstOrThrow();
    assert.equal(JSON.parse(audit.details).method, 'ldap');
  });

  it('logs the same account in by e-mail, and the session works', async () => {
    const first = (await (await client().login('bob', passwordOf('bob'))).json()) as LoginBody;
    const c = client();
    const res = await c.login('BOB@example.org', passwordOf('bob'));
    assert.equal(res.status, 200);
    assert.equal(((await res.json()) as LoginBody).user.id, first.user.id);
    assert.equal((await c.request('GET', '/api/v1/me')).status, 200);
  });

  it('maps the admins group to account_admin and a nested group (level2 inside helpdesk) to technician', async () => {
    const alice = (await (await client().login('alice', passwordOf('alice'))).json()) as LoginBody;
    assert.equal(alice.user.role, 'account_admin');
    const carol = (await (await client().login('carol', passwordOf('carol'))).json()) as LoginBody;
    assert.deepEqual([carol.user.role, carol.user.groups], ['technician', [helpdeskGroupId]]);
  });

  it('finds user names beyond ASCII (filter values are escaped and sent as bytes)', async () => {
    const res = await client().login('jürgen', passwordOf('jürgen'));
    assert.equal(res.status, 200);
  });

  it('answers a wrong password, an unknown user and a filter-injection attempt identically', async () => {
    const answers = await Promise.all([['bob', 'Wrong-password-1'], ['nobody', 'Wrong-password-1'], ['*', passwordOf('bob')], ['bob)(uid=*', passwordOf('bob')]]
      .map(async ([login, password]) => {
        const res = await client().login(login!, password!);
        return { status: res.status, body: await res.json() };
      }));
    for (const answer of answers) assert.deepEqual(answer, { status: 401, body: answers[0]!.body });
    assert.equal((answers[0]!.body as { error: string }).error, 'invalid_credentials');
  });

  it('refuses an empty password before it reaches the directory (an empty simple bind is an unauthenticated bind that succeeds)', async () => {
    assert.equal((await client().request('POST', '/api/v1/auth/login', { email: 'bob', password: '' })).status, 400);
    const { result } = await t.services.pipeline.authenticate({ login: 'bob', password: '', ip: '10.9.9.9' });
    assert.deepEqual(result, { outcome: 'rejected', reason: 'empty_password' });
  });

  it('refuses a user disabled in the directory and a user in no mapped group', async () => {
    assert.equal((await client().login('erin', passwordOf('erin'))).status, 401);
    assert.equal((await client().login('dave', passwordOf('dave'))).status, 401);
    const reasons = await t.services.db.selectFrom('audit_log').select(['details']).where('action', '=', 'ldap.authenticate').execute();
    const seen = reasons.map((r) => (JSON.parse(r.details) as { reason: string }).reason);
    assert.ok(seen.includes('disabled_in_directory') && seen.includes('no_mapped_group'), seen.join());
    assert.equal(await t.services.db.selectFrom('users').select('id').where('email', 'in', ['erin@example.org', 'dave@example.org']).executeTakeFirst(), undefined);
  });

  it('"test a policy" gives the login\'s own answer for directory users, without a password or a write', async () => {
    const admin = (await loggedInAs(t, 'account_admin')).client;
    const explain = async (email: string) => ((await (await admin.request('POST', '/api/v1/policy/explain', { hook: 'technicianLogin', context: { email } })).json()) as { decision: { outcome: string; code?: string } }).decision;
    const frank = () => t.services.db.selectFrom('users').select('id').where('email', '=', 'frank@example.org').executeTakeFirst();
    // frank has never logged in: the explanation finds his entry and allows, yet creates nothing.
    assert.equal((await explain('frank')).outcome, 'allow');
    assert.equal(await frank(), undefined, 'explaining created no account');
    // Each case: what the real login answers, and what the explanation must say.
    const cases: [string, number, string, string | undefined][] = [
      ['dave', 401, 'deny', 'no_mapped_group'], ['erin', 401, 'deny', 'disabled_in_directory'], ['nobody-here', 401, 'deny', 'unknown_account'], ['frank', 200, 'allow', undefined],
    ];
    for (const [login, status, outcome, code] of cases) {
      const explained = await explain(login);
      assert.deepEqual([explained.outcome, explained.code], [outcome, code], login);
      assert.equal((await client().login(login, passwordOf(login === 'nobody-here' ? 'bob' : login))).status, status, login);
    }
    assert.ok(await frank(), 'the real login did create it');
  });

  it('never takes over a local account that has the same e-mail as a directory user', async () => {
    const { user: local } = await buildUser(t, { email: 'grace@example.org' });
    assert.equal((await client().login('grace', passwordOf('grace'))).status, 401);
    const row = await t.services.db.selectFrom('users').select(['auth_source']).where('id', '=', local.id).executeTakeFirstOrThrow();
    assert.equal(row.auth_source, 'local');
  });

  it('counts failed user-name logins on the account: after 5, the account is locked for its e-mail and user name alike', async () => {
    const carol = (await (await client().login('carol', passwordOf('carol'))).json()) as LoginBody;
    const attacker = client();
    for (let i = 0; i < 5; i += 1) assert.equal((await attacker.login('carol', `Wrong-${i}-password`)).status, 401);
    const row = await t.services.db.selectFrom('users').select(['locked_until']).where('id', '=', carol.user.id).executeTakeFirstOrThrow();
    assert.ok((row.locked_until ?? 0) > t.clock.now(), 'the account itself is locked');
    assert.equal((await client().login('carol@example.org', passwordOf('carol'))).status, 429);
    assert.equal((await client().login('carol', passwordOf('carol'))).status, 429);
    assert.equal((await client().login('carol', 'Wrong-again-1')).status, 429, 'while locked, the answer does not depend on the password');
    t.clock.advance(6 * 60_000);
    assert.equal((await client().login('carol', passwordOf('carol'))).status, 200);
  });
});

describe('ldap plugin: Active Directory-style entries and direct bind', () => {
  let slapd: Slapd;
  before(async () => {
    ({ slapd } = await startDirectory());
  });
  after(async () => {
    await slapd?.stop();
  });

  it('logs in by sAMAccountName and userPrincipalName, keys the account on objectGUID and honours userAccountControl', async () => {
    const { t } = await applianceWithLdap(adSettings(slapd));
    try {
      const bySam = await new TestClient(t, '10.8.0.1').login('hank', passwordOf('hank'));
      assert.equal(bySam.status, 200);
      const { user } = (await bySam.json()) as LoginBody;
      assert.deepEqual([user.email, user.role, user.displayName], ['hank@corp.example', 'technician', 'HANK Corp']);
      const byUpn = (await (await new TestClient(t, '10.8.0.2').login('hank@corp.example', passwordOf('hank'))).json()) as LoginBody;
      assert.equal(byUpn.user.id, user.id);
      const link = await t.services.db.selectFrom('ldap_accounts').selectAll().where('user_id', '=', user.id).executeTakeFirstOrThrow();
      assert.equal(link.unique_id, '33221100-5544-7766-8899-aabbccddeeff', 'objectGUID in the form AD tools show');
      assert.equal((await new TestClient(t, '10.8.0.3').login('ivy', passwordOf('ivy'))).status, 401, 'userAccountControl 514 = disabled');
    } finally {
      await t.close();
    }
  });

  it('binds directly with a DN template, without a service account', async () => {
    const settings = openLdapSettings(slapd, { bindMode: 'direct', userDnTemplate: 'uid={login},ou=people,dc=example,dc=org', serviceDn: undefined, servicePassword: undefined });
    const { t } = await applianceWithLdap(settings);
    try {
      assert.equal((await new TestClient(t, '10.8.1.1').login('bob', passwordOf('bob'))).status, 200);
      assert.equal((await new TestClient(t, '10.8.1.2').login('bob', 'Wrong-password-1')).status, 401);
      assert.equal((await new TestClient(t, '10.8.1.3').login('bob,ou=x', passwordOf('bob'))).status, 401);
    } finally {
      await t.close();
    }
  });
});

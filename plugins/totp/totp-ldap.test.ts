import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { TestClient, type TestAppliance } from '../../core/testing/appliance.js';
import { applianceWithLdap, openLdapSettings, passwordOf, startDirectory } from '../ldap/testing/fixture.js';
import type { Slapd } from '../ldap/testing/slapd.js';
import { codeAt } from './testing.js';

type Body = { error?: string; code?: string; data?: Record<string, string>; user?: { id: string } };

// Directory logins get MFA too: a real OpenLDAP (Debian slapd) checks the password, then the TOTP hook asks for the code.
describe('totp on LDAP logins (real slapd)', () => {
  let slapd: Slapd;
  let t: TestAppliance;
  let ip = 0;
  const client = () => new TestClient(t, `10.8.0.${(ip += 1)}`);

  before(async () => {
    ({ slapd } = await startDirectory());
    let admin: TestClient;
    ({ t, admin } = await applianceWithLdap(openLdapSettings(slapd)));
    const res = await admin.request('PATCH', '/api/v1/plugins/totp', { enabled: true, position: 5, settings: { requiredGroups: ['Helpdesk'] } });
    assert.equal(res.status, 200, await res.text());
  });
  after(async () => {
    await t?.close();
    await slapd?.stop();
  });

  it('enrols a directory user of a required group at login, then asks for a code every time and refuses a replay', async () => {
    const first = await client().login('bob', passwordOf('bob'));
    const challenge = (await first.json()) as Body;
    assert.deepEqual([first.status, challenge.error, challenge.code], [401, 'challenge', 'mfa_enrolment_required']);
    const secret = challenge.data!.secret!;
    assert.ok(challenge.data!.otpauthUri!.includes('bob%40example.org'));

    assert.equal((await client().login('bob', 'Wrong-password-1', codeAt(secret, t.clock.now()))).status, 401, 'the directory still checks the password');
    const enrolled = await client().login('bob', passwordOf('bob'), codeAt(secret, t.clock.now()));
    assert.equal(enrolled.status, 200);
    const userId = ((await enrolled.json()) as Body).user!.id;

    t.clock.advance(60_000);
    const again = await client().login('bob', passwordOf('bob'));
    assert.deepEqual([again.status, ((await again.json()) as Body).code], [401, 'mfa_required']);
    const code = codeAt(secret, t.clock.now());
    assert.equal((await client().login('bob@example.org', passwordOf('bob'), code)).status, 200);
    const replay = await client().login('bob', passwordOf('bob'), code);
    assert.deepEqual([replay.status, ((await replay.json()) as Body).code], [403, 'mfa_invalid']);

    const logins = await t.services.db.selectFrom('audit_log').select(['details']).where('action', '=', 'auth.login').where('outcome', '=', 'success').where('actor_id', '=', userId).execute();
    assert.deepEqual(logins.map((r) => (JSON.parse(r.details) as { method: string }).method), ['ldap', 'ldap']);
  });
});

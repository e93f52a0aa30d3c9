import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { FilterSyntaxError, parseFilter } from './filter-syntax.js';
import { bindNameFor, escapeDnValue, escapeFilterValue, formatGuid, normaliseDn } from './ldap-text.js';
import { mapAccess } from './mapping.js';
import { ldapSettings } from './settings.js';

describe('ldap text helpers', () => {
  it('escapes filter values (RFC 4515) so typed text can never widen a search', () => {
    const cases: [string, string][] = [
      ['alice', 'alice'], ['*', '\\2a'], ['a)(uid=*', 'a\\29\\28uid=\\2a'], ['back\\slash', 'back\\5cslash'], ['nul\0', 'nul\\00'], ['jürgen', 'j\\c3\\bcrgen'],
    ];
    for (const [input, expected] of cases) assert.equal(escapeFilterValue(input), expected, input);
  });

  it('round-trips escaped values through the filter parser to the exact bytes', () => {
    for (const value of ['*', 'a)(uid=*', 'jürgen', 'x\\y', '😀']) {
      const node = parseFilter(`(uid=${escapeFilterValue(value)})`);
      assert.equal(node.type, 'equal');
      assert.equal(node.type === 'equal' && node.value.toString('utf8'), value);
    }
  });

  it('parses and, or, not, presence, substring and extensible filters, and refuses malformed ones', () => {
    const node = parseFilter('(&(objectClass=person)(|(cn=ab*c*d)(!(mail=*)))(member:1.2.840.113556.1.4.1941:=cn=x,dc=y))');
    assert.equal(node.type, 'and');
    assert.deepEqual(node.type === 'and' && node.children.map((c) => c.type), ['equal', 'or', 'extensible']);
    for (const bad of ['uid=x', '(uid=x', '(uid=a(b)', '(&)', '(uid=\\zz)', '(uid=x))', '(1bad=x)']) {
      assert.throws(() => parseFilter(bad), FilterSyntaxError, bad);
    }
  });

  it('escapes DN values (RFC 4514) and fills bind templates', () => {
    assert.equal(escapeDnValue('a,b+c"d\\e<f>g;h=i'), 'a\\,b\\+c\\"d\\\\e\\<f\\>g\\;h\\=i');
    assert.equal(escapeDnValue(' #x '), '\\ #x\\ ');
    assert.equal(bindNameFor('uid={login},ou=people,dc=example,dc=org', 'bob,ou=admins'), 'uid=bob\\,ou\\=admins,ou=people,dc=example,dc=org');
    assert.equal(bindNameFor('{login}@corp.example', 'bob'), 'bob@corp.example');
  });

  it('compares DNs regardless of case and spaces, and shows objectGUID like AD tools', () => {
    assert.equal(normaliseDn('CN=Techs, OU=Groups,DC=Example, DC=org'), 'cn=techs,ou=groups,dc=example,dc=org');
    assert.equal(formatGuid(Buffer.from('00112233445566778899aabbccddeeff', 'hex')), '33221100-5544-7766-8899-aabbccddeeff');
  });
});

describe('ldap settings and mapping', () => {
  const base = { url: 'ldaps://dc1.corp.example', serviceDn: 'cn=svc,dc=corp', servicePassword: 'x', baseDn: 'dc=corp' };

  it('accepts a minimal LDAPS configuration and refuses unsafe or incomplete ones', () => {
    assert.equal(ldapSettings.safeParse(base).success, true);
    const refused: Record<string, unknown>[] = [
      { ...base, url: 'ldap://dc1.corp.example' }, // clear text without opt-in
      { ...base, startTls: true }, // StartTLS on ldaps://
      { ...base, servicePassword: undefined }, // search mode without service password
      { ...base, bindMode: 'direct' }, // direct without template
      { ...base, userFilter: '(uid=fixed)' }, // no {login}
      { ...base, userFilter: '(uid={login}' }, // malformed
      { ...base, groups: { source: 'nested' } }, // unknown group source
      { ...base, url: 'http://dc1' },
    ];
    for (const settings of refused) assert.equal(ldapSettings.safeParse(settings).success, false, JSON.stringify(settings));
  });

  it('maps groups: first matching role line wins, technician groups add up, no match and no default role refuses', () => {
    const s = ldapSettings.parse({
      ...base,
      roleMapping: [{ group: 'cn=admins,dc=corp', role: 'account_admin' }, { group: 'cn=techs,dc=corp', role: 'technician' }],
      groupMapping: [{ group: 'cn=techs,dc=corp', groups: ['g1'] }, { group: 'cn=l2,dc=corp', groups: ['g2', 'g1'] }],
    });
    assert.deepEqual(mapAccess(s, new Set(['cn=techs,dc=corp', 'cn=l2,dc=corp'])), { role: 'technician', groups: ['g1', 'g2'] });
    assert.equal(mapAccess(s, new Set(['cn=techs,dc=corp', 'cn=admins,dc=corp']))?.role, 'account_admin');
    assert.equal(mapAccess(s, new Set(['cn=other,dc=corp'])), null);
    assert.deepEqual(mapAccess({ ...s, defaultRole: 'technician' }, new Set()), { role: 'technician', groups: [] });
  });
});

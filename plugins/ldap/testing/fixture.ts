import { insertGroup } from '../../../core/accounts/groups.js';
import { buildTestAppliance, loggedInAs, type TestAppliance, type TestClient } from '../../../core/testing/appliance.js';
import { startSlapd, type Slapd } from './slapd.js';
import { createTestCa, type TestCa } from './test-ca.js';

/** Password of every seeded person: `<uid>-Secret-1`. */
export const passwordOf = (uid: string) => `${uid}-Secret-1`;
export const SERVICE_DN = 'cn=reader,ou=services,dc=example,dc=org';
export const SERVICE_PASSWORD = 'reader-Secret-1';
export const GROUPS = 'ou=groups,dc=example,dc=org';

const person = (uid: string, extra: string[] = [], ou = 'people') => [
  `dn: uid=${uid},ou=${ou},dc=example,dc=org`, 'objectClass: inetOrgPerson', `uid: ${uid}`, `cn: ${uid[0]!.toUpperCase()}${uid.slice(1)} Example`, 'sn: Example',
  `mail: ${uid.replace('ü', 'ue')}@example.org`, `userPassword: ${passwordOf(uid)}`, ...extra, '',
].join('\n');

const group = (cn: string, members: string[]) => [
  `dn: cn=${cn},${GROUPS}`, 'objectClass: groupOfNames', `cn: ${cn}`, ...members.map((m) => `member: ${m}`), '',
].join('\n');

const user = (uid: string) => `uid=${uid},ou=people,dc=example,dc=org`;

/**
 * OpenLDAP-style people (inetOrgPerson, groupOfNames, a nested group) and AD-style ones
 * (sAMAccountName, userPrincipalName, binary objectGUID, userAccountControl, static memberOf).
 */
export const seedLdif = [
  'dn: ou=people,dc=example,dc=org\nobjectClass: organizationalUnit\nou: people\n',
  'dn: ou=groups,dc=example,dc=org\nobjectClass: organizationalUnit\nou: groups\n',
  'dn: ou=services,dc=example,dc=org\nobjectClass: organizationalUnit\nou: services\n',
  'dn: ou=corp,dc=example,dc=org\nobjectClass: organizationalUnit\nou: corp\n',
  `dn: ${SERVICE_DN}\nobjectClass: organizationalRole\nobjectClass: simpleSecurityObject\ncn: reader\nuserPassword: ${SERVICE_PASSWORD}\n`,
  person('alice'), person('bob'), person('carol'), person('dave'), person('erin', ['employeeType: disabled']), person('frank'), person('grace'),
  person('jürgen'),
  group('admins', [user('alice')]),
  group('level2', [user('carol')]),
  group('helpdesk', [user('bob'), user('erin'), user('frank'), user('grace'), user('jürgen'), `cn=level2,${GROUPS}`]),
  ad('hank', '00112233445566778899aabbccddeeff', 512), ad('ivy', 'ffeeddccbbaa99887766554433221100', 514),
].join('\n');

function ad(name: string, guidHex: string, userAccountControl: number): string {
  return [
    `dn: cn=${name},ou=corp,dc=example,dc=org`, 'objectClass: inetOrgPerson', 'objectClass: extensibleObject', `cn: ${name}`, 'sn: Corp',
    `displayName: ${name.toUpperCase()} Corp`, `sAMAccountName: ${name}`, `userPrincipalName: ${name}@corp.example`, `mail: ${name}@corp.example`,
    `objectGUID:: ${Buffer.from(guidHex, 'hex').toString('base64')}`, `userAccountControl: ${userAccountControl}`,
    `memberOf: CN=Techs,OU=Groups,DC=example,DC=org`, `userPassword: ${passwordOf(name)}`, '',
  ].join('\n');
}

/**
 * The AD attributes the tests use, with AD's OIDs and with matching rules (Debian's msuser.schema
 * has none, so OpenLDAP could not compare them), for entries shaped like AD's.
 */
const adSchema = [
  "attributetype ( 1.2.840.113556.1.4.221 NAME 'sAMAccountName' EQUALITY caseIgnoreMatch SUBSTR caseIgnoreSubstringsMatch SYNTAX 1.3.6.1.4.1.1466.115.121.1.15 SINGLE-VALUE )",
  "attributetype ( 1.2.840.113556.1.4.656 NAME 'userPrincipalName' EQUALITY caseIgnoreMatch SYNTAX 1.3.6.1.4.1.1466.115.121.1.15 SINGLE-VALUE )",
  "attributetype ( 1.2.840.113556.1.4.2 NAME 'objectGUID' EQUALITY octetStringMatch SYNTAX 1.3.6.1.4.1.1466.115.121.1.40 SINGLE-VALUE )",
  "attributetype ( 1.2.840.113556.1.4.8 NAME 'userAccountControl' EQUALITY integerMatch SYNTAX 1.3.6.1.4.1.1466.115.121.1.27 SINGLE-VALUE )",
  "attributetype ( 1.2.840.113556.1.2.102 NAME 'memberOf' EQUALITY distinguishedNameMatch SYNTAX 1.3.6.1.4.1.1466.115.121.1.12 )",
  '',
].join('\n');

/** A seeded slapd with StartTLS and LDAPS from a fresh test CA. */
export async function startDirectory(): Promise<{ slapd: Slapd; ca: TestCa }> {
  const ca = await createTestCa();
  // Only the IP the tests connect to: a StartTLS that checked some default name (localhost) would fail.
  const server = await ca.issue({ dns: [], ips: ['127.0.0.1'] });
  const slapd = await startSlapd({ tls: { ...server, caPem: ca.certPem }, schemaText: adSchema });
  try {
    await slapd.add(seedLdif);
  } catch (error) {
    await slapd.stop();
    throw error;
  }
  return { slapd, ca };
}

/** OpenLDAP-style settings: service-account search, group search with recursive nesting. */
export function openLdapSettings(slapd: Slapd, overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    url: slapd.url, allowPlaintext: true, serviceDn: SERVICE_DN, servicePassword: SERVICE_PASSWORD, baseDn: 'ou=people,dc=example,dc=org',
    userFilter: '(|(uid={login})(mail={login}))', disabledFilter: '(employeeType=disabled)',
    groups: { source: 'search', baseDn: GROUPS, nested: 'recursive' },
    roleMapping: [{ group: `cn=admins,${GROUPS}`, role: 'account_admin' }, { group: `cn=helpdesk,${GROUPS}`, role: 'technician' }],
    ...overrides,
  };
}

/** AD-style settings: sAMAccountName / UPN / mail logins, memberOf, objectGUID. */
export function adSettings(slapd: Slapd, overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return openLdapSettings(slapd, {
    baseDn: 'ou=corp,dc=example,dc=org', userFilter: '(|(sAMAccountName={login})(userPrincipalName={login})(mail={login}))', disabledFilter: undefined,
    attributes: { email: 'mail', displayName: 'displayName', uniqueId: 'objectGUID' },
    groups: { source: 'memberOf' }, roleMapping: [{ group: 'cn=techs,ou=groups,dc=example,dc=org', role: 'technician' }],
    ...overrides,
  });
}

/** A test appliance with the ldap plugin switched on by config, a "Helpdesk" technician group, and an account admin. */
export async function applianceWithLdap(settings: Record<string, unknown>): Promise<{ t: TestAppliance; admin: TestClient; helpdeskGroupId: string }> {
  const t = await buildTestAppliance({ PLUGINS: 'ldap', PLUGIN_SETTINGS: JSON.stringify({ ldap: settings }), LOGIN_RATE_LIMIT: '1000' });
  const helpdesk = await insertGroup(t.services.db, t.services.clock, { name: 'Helpdesk', permissions: ['remote_view'] });
  const { client: admin } = await loggedInAs(t, 'account_admin');
  // The group mapping names a local group id, which exists only now: set it as an admin would, in the console.
  const res = await admin.request('PATCH', '/api/v1/plugins/ldap', { settings: { ...settings, groupMapping: [{ group: `cn=helpdesk,${GROUPS}`, groups: [helpdesk.id] }] } });
  if (res.status !== 200) throw new Error(`setting the group mapping failed: ${res.status} ${await res.text()}`);
  return { t, admin, helpdeskGroupId: helpdesk.id };
}

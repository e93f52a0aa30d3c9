import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Role } from '../../core/auth/roles.js';
import { confirmedHostnames, inDomains } from './reverse-dns.js';
import { checkAgentAddress, checkRedeem, checkStaffAddress, type Member } from './rules.js';
import { ipRestrictionSettings } from './settings.js';

const parse = (input: unknown) => ipRestrictionSettings.parse(input);

/** An account in the given groups (ids and names given directly: the DB lookup is tested over HTTP). */
const member = (email: string, role: Role, groups: string[] = []): Member => ({
  account: { id: email, email, role, groups }, groupKeys: new Set(groups.map((g) => g.toLowerCase())),
});

describe('ip-restrictions settings', () => {
  it('fills defaults: no restriction anywhere', () => {
    const s = parse({});
    assert.deepEqual(s.login, { roles: ['technician'], accounts: {}, groups: {} });
    assert.deepEqual(s.customers, { companyRanges: [], internalGroups: [], technicianGroups: {} });
    assert.deepEqual(s.agents, { domains: [], dnsServers: [], dnsTimeoutMs: 1500 });
  });

  const invalid: [string, unknown, RegExp][] = [
    ['an invalid CIDR, named in the error', { login: { default: ['10.0.0.0/8', '10.0.0.0/33'] } }, /"10\.0\.0\.0\/33": the prefix \/33 is longer than 32 bits/],
    ['an IPv6 prefix over 128', { agents: { ranges: ['2001:db8::/129'] } }, /"2001:db8::\/129"/],
    ['a word for a range', { customers: { companyRanges: ['office'], internalGroups: ['IT'] } }, /"office" is not an IP address or CIDR range/],
    ['host bits set', { login: { groups: { Hotline: ['192.168.1.1/24'] } } }, /has host bits set; the range is 192\.168\.1\.0\/24/],
    ['a leading zero (ambiguous octal)', { login: { default: ['010.0.0.1'] } }, /"010\.0\.0\.1"/],
    ['an account key that is no e-mail', { login: { accounts: { alice: ['10.0.0.0/8'] } } }, /accounts/],
    ['company ranges without internal groups', { customers: { companyRanges: ['10.0.0.0/8'] } }, /internalGroups: name the internal-IT groups/],
    ['an unknown role', { login: { roles: ['root'] } }, /roles/],
    ['a bad domain', { agents: { domains: ['exa mple.com'] } }, /not a DNS domain name/],
    ['a DNS server that is a name', { agents: { dnsServers: ['dns.example.com'] } }, /DNS server/],
    ['a DNS timeout over 2.5 s', { agents: { dnsTimeoutMs: 10000 } }, /dnsTimeoutMs/],
    ['an unknown key', { login: { ranges: [] } }, /ranges/],
  ];
  for (const [name, input, message] of invalid) {
    it(`refuses ${name}`, () => {
      const result = ipRestrictionSettings.safeParse(input);
      assert.equal(result.success, false);
      assert.match(result.error!.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('\n'), message);
    });
  }

  it('accepts IPv4, IPv6, single hosts, IPv4-mapped ranges and DNS servers with ports', () => {
    const s = parse({ login: { default: ['10.0.0.0/8', '2001:DB8::/32', '192.0.2.7', '::ffff:172.16.0.0/108'] }, agents: { dnsServers: ['127.0.0.1:5353', '[::1]:53', '192.0.2.53'] } });
    assert.deepEqual(s.login.default!.map((r) => r.cidr.toString()), ['10.0.0.0/8', '2001:db8::/32', '192.0.2.7/32', '172.16.0.0/12']);
  });
});

describe('technician login and PIN issue (a)', () => {
  const settings = parse({
    login: {
      default: ['10.0.0.0/8', '2001:db8:a::/48'],
      accounts: { 'Road.Warrior@example.test': ['198.51.100.0/24', '2001:db8:f00::/40'] },
      groups: { Hotline: ['192.0.2.0/28'], 'group-id-2': ['203.0.113.0/24'] },
    },
  }).login;
  const tina = member('tina@example.test', 'technician');
  const road = member('road.warrior@example.test', 'technician', ['hotline']);
  const hotline = member('hanna@example.test', 'technician', ['group-id-1', 'hotline']);
  const both = member('bea@example.test', 'technician', ['hotline', 'group-id-2']);
  const boss = member('boss@example.test', 'account_admin');
  const cases: [string, string, Member, 'continue' | 'deny', string | null][] = [
    ['default: IPv4 inside', '10.20.30.40', tina, 'continue', 'default'],
    ['default: IPv4 outside', '11.0.0.1', tina, 'deny', 'default'],
    ['default: IPv4-mapped IPv6 inside', '::ffff:10.0.0.1', tina, 'continue', 'default'],
    ['default: IPv6 inside', '2001:db8:a::1', tina, 'continue', 'default'],
    ['default: IPv6 outside', '2001:db8:b::1', tina, 'deny', 'default'],
    ['default: an unparsable address is outside', 'unknown', tina, 'deny', 'default'],
    ['default: an IPv4 address whose bits match an IPv6 range is outside', '32.1.13.184', tina, 'deny', 'default'],
    ['default: admins are not in roles', '11.0.0.1', boss, 'continue', null],
    ['account: its own range (e-mail case ignored)', '198.51.100.9', road, 'continue', 'account road.warrior@example.test'],
    ['account: its own IPv6 range', '2001:db8:f12::1', road, 'continue', 'account road.warrior@example.test'],
    ['account: replaces the default', '10.0.0.1', road, 'deny', 'account road.warrior@example.test'],
    ['account: replaces its groups', '192.0.2.1', road, 'deny', 'account road.warrior@example.test'],
    ['group: by name, inside', '192.0.2.15', hotline, 'continue', 'group Hotline'],
    ['group: by name, just outside', '192.0.2.16', hotline, 'deny', 'group Hotline'],
    ['group: replaces the default', '10.0.0.1', hotline, 'deny', 'group Hotline'],
    ['group: by id', '203.0.113.5', member('gil@example.test', 'technician', ['group-id-2']), 'continue', 'group group-id-2'],
    ['group: two groups, ranges of either', '203.0.113.5', both, 'continue', 'group Hotline, group-id-2'],
    ['group: two groups, outside both', '10.0.0.1', both, 'deny', 'group Hotline, group-id-2'],
    ['group: applies to an admin who is a member', '11.0.0.1', member('adm@example.test', 'network_admin', ['hotline']), 'deny', 'group Hotline'],
  ];
  for (const [name, ip, who, outcome, rule] of cases) {
    it(name, () => {
      const verdict = checkStaffAddress(ip, who, settings, 'login');
      assert.equal(verdict.outcome, outcome);
      assert.equal(verdict.facts?.rule ?? null, rule);
      if (verdict.outcome === 'deny') {
        assert.equal(verdict.code, 'ip_login_not_allowed');
        assert.match(verdict.reason, new RegExp(`^Logging in from .+ is not allowed for this account \\(rule: ${rule}\\)\\.$`));
      }
    });
  }

  it('gives PIN issue its own code', () => {
    const verdict = checkStaffAddress('11.0.0.1', tina, settings, 'pinIssue');
    assert.deepEqual([verdict.outcome, verdict.outcome === 'deny' && verdict.code], ['deny', 'ip_pin_issue_not_allowed']);
    assert.equal(checkStaffAddress('10.0.0.1', tina, settings, 'pinIssue').outcome, 'continue');
  });

  it('restricts nobody without a default', () => {
    assert.equal(checkStaffAddress('203.0.113.1', tina, parse({}).login, 'login').outcome, 'continue');
  });
});

describe('PIN redeem: the access-restricted package (b)', () => {
  const s = parse({
    customers: {
      companyRanges: ['10.0.0.0/8', 'fd00:1::/32'], internalGroups: ['Internal IT'],
      technicianGroups: { Partners: ['198.51.100.0/24', '2001:db8:c::/48'] },
    },
  }).customers;
  const internal = member('it@example.test', 'technician', ['internal it']);
  const outsider = member('ext@example.test', 'technician', ['hotline']);
  const partner = member('partner@example.test', 'technician', ['partners']);
  const cases: [string, string, Member | null, 'continue' | 'deny', string | null][] = [
    ['company network, internal technician', '10.1.2.3', internal, 'continue', null],
    ['company network (IPv6), internal technician', 'fd00:1::5', internal, 'continue', null],
    ['company network, technician of another group', '10.1.2.3', outsider, 'deny', 'company_network_foreign_pin'],
    ['company network (IPv4-mapped), technician of another group', '::ffff:10.1.2.3', outsider, 'deny', 'company_network_foreign_pin'],
    ['company network (IPv6), technician of another group', 'fd00:1:2::9', outsider, 'deny', 'company_network_foreign_pin'],
    ['company network, PIN without technician', '10.1.2.3', null, 'deny', 'company_network_foreign_pin'],
    ['outside the company network, any technician', '203.0.113.7', outsider, 'continue', null],
    ['limited technician, customer inside its ranges', '198.51.100.20', partner, 'continue', null],
    ['limited technician, customer inside its IPv6 range', '2001:db8:c:1::1', partner, 'continue', null],
    ['limited technician, customer outside', '203.0.113.7', partner, 'deny', 'customer_outside_technician_ranges'],
    ['limited technician, customer in the company network', '10.1.2.3', partner, 'deny', 'company_network_foreign_pin'],
  ];
  for (const [name, ip, technician, outcome, code] of cases) {
    it(name, () => {
      const verdict = checkRedeem(ip, technician, s);
      assert.equal(verdict.outcome, outcome);
      assert.equal(verdict.outcome === 'deny' ? verdict.code : null, code);
    });
  }
});

describe('agent connect by address (c)', () => {
  const s = parse({ agents: { ranges: ['192.0.2.0/24', '2001:db8::/32'] } }).agents;
  const cases: [string, boolean][] = [
    ['192.0.2.200', true], ['::ffff:192.0.2.200', true], ['2001:db8::1', true],
    ['192.0.3.1', false], ['2001:db9::1', false], ['unknown', false],
  ];
  for (const [ip, allowed] of cases) {
    it(`${ip} is ${allowed ? 'allowed' : 'refused'}`, () => {
      const verdict = checkAgentAddress(ip, s);
      assert.equal(verdict === null, allowed);
      if (verdict?.outcome === 'deny') assert.equal(verdict.code, 'agent_ip_not_allowed');
    });
  }

  it('allows any address without ranges', () => assert.equal(checkAgentAddress('203.0.113.1', parse({}).agents), null));
});

describe('reverse-DNS domains (c)', () => {
  const cases: [string, string[], boolean][] = [
    ['pc1.clients.example.com', ['clients.example.com'], true],
    ['PC1.Clients.Example.COM.', ['clients.example.com'], true],
    ['clients.example.com', ['clients.example.com.'], true],
    ['evilclients.example.com', ['clients.example.com'], false],
    ['clients.example.com.attacker.test', ['clients.example.com'], false],
    ['pc1.example.com', ['clients.example.com'], false],
  ];
  for (const [name, domains, expected] of cases) it(`${name} in ${domains.join()}: ${expected}`, () => assert.equal(inDomains(name, domains), expected));

  it('confirms 127.0.0.1 as localhost through /etc/hosts, forward and back', async () => {
    assert.deepEqual(await confirmedHostnames('::ffff:127.0.0.1', ['localhost'], { servers: [], timeoutMs: 1500 }), { outcome: 'confirmed', hostname: 'localhost' });
    assert.deepEqual(await confirmedHostnames('127.0.0.1', ['example.com'], { servers: [], timeoutMs: 1500 }), { outcome: 'mismatch', hostnames: ['localhost'] });
    assert.equal((await confirmedHostnames('not-an-ip', ['localhost'], { servers: [], timeoutMs: 1500 })).outcome, 'failed');
  });
});

import assert from 'node:assert/strict';
import { createSocket, type Socket } from 'node:dgram';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { buildTestAppliance, buildUser, lastPolicyCode, loggedInAs, TestClient, type TestAppliance } from '../../core/testing/appliance.js';
import { startTestDnsServer } from './test-dns-server.js';

type Denied = { error: string; code: string; message?: string; reason?: string };
type Explained = { decision: { outcome: string; code?: string; reason?: string }; trace: { plugin: string; outcome: string; code?: string; reason?: string; ms: number }[]; facts: Record<string, Record<string, unknown>> };

// Through the real appliance (routes, client-IP middleware, pipeline, audit), driven by app.request()
// with the socket address each TestClient claims.
describe('ip-restrictions on the appliance', () => {
  let t: TestAppliance;
  let admin: TestClient;
  let internalGroup: string;
  let hotlineGroup: string;

  const settings = () => ({
    login: { default: ['10.0.0.0/8', '2001:db8:a::/48'], groups: { Hotline: ['192.0.2.0/24'] } },
    customers: { companyRanges: ['172.16.0.0/12', 'fd00:1::/32'], internalGroups: ['Internal IT'] },
    agents: { ranges: ['198.51.100.0/24', '127.0.0.1'] },
  });
  const configure = async (s: unknown) => {
    const res = await admin.request('PATCH', '/api/v1/plugins/ip-restrictions', { enabled: true, settings: s });
    assert.equal(res.status, 200, await res.clone().text());
  };

  before(async () => {
    t = await buildTestAppliance({ LOGIN_RATE_LIMIT: '10000', PIN_RATE_LIMIT_PER_IP: '1000', PIN_RATE_LIMIT_GLOBAL: '100000', PLUGINS: 'ip-restrictions' });
    // Admins are not in login.roles, so the admin may configure from the test's loopback address.
    admin = (await loggedInAs(t, 'account_admin')).client;
    internalGroup = ((await (await admin.request('POST', '/api/v1/groups', { name: 'Internal IT', permissions: ['remote_view'] })).json()) as { group: { id: string } }).group.id;
    hotlineGroup = ((await (await admin.request('POST', '/api/v1/groups', { name: 'Hotline', permissions: ['remote_view'] })).json()) as { group: { id: string } }).group.id;
    await configure(settings());
  });
  after(() => t.close());

  /** Logs a new technician in from an address; returns the response and the account. */
  async function loginFrom(ip: string, groups: string[] = []) {
    const { user, password } = await buildUser(t, { role: 'technician', groups });
    const client = new TestClient(t, ip);
    return { res: await client.login(user.email, password), client, user };
  }

  describe('technician login (a)', () => {
    const cases: [string, string, () => string[], number][] = [
      ['default range, IPv4 inside', '10.9.8.7', () => [], 200],
      ['default range, IPv4-mapped socket address inside', '::ffff:10.9.8.7', () => [], 200],
      ['default range, IPv6 inside', '2001:db8:a::7', () => [], 200],
      ['default range, IPv4 outside', '203.0.113.9', () => [], 403],
      ['default range, IPv6 outside', '2001:db8:b::7', () => [], 403],
      ['group Hotline (by name), inside its range', '192.0.2.44', () => [hotlineGroup], 200],
      ['group Hotline: the default range no longer applies', '10.9.8.7', () => [hotlineGroup], 403],
    ];
    for (const [name, ip, groups, status] of cases) {
      it(`${name}: ${status}`, async () => {
        const { res, user } = await loginFrom(ip, groups());
        assert.equal(res.status, status);
        if (status === 403) {
          const body = (await res.json()) as Denied;
          assert.deepEqual([body.error, body.code], ['policy_denied', 'ip_login_not_allowed']);
          const audit = await t.services.db.selectFrom('audit_log').selectAll().where('action', '=', 'policy.technicianLogin').where('actor_id', '=', user.id).execute();
          assert.deepEqual(audit.map((r) => [r.outcome, r.ip]), [['deny', ip.replace('::ffff:', '')]]);
          const details = JSON.parse(audit[0]!.details) as { code: string; trace: { plugin: string; code: string }[] };
          assert.deepEqual(details.trace.map((s) => [s.plugin, s.code]), [['ip-restrictions', 'ip_login_not_allowed']]);
        }
      });
    }

    it('per account, by e-mail: overrides the default', async () => {
      const { user, password } = await buildUser(t, { role: 'technician' });
      await configure({ ...settings(), login: { ...settings().login, accounts: { [user.email]: ['2001:db8:ffff::/48'] } } });
      try {
        assert.equal((await new TestClient(t, '10.0.0.1').login(user.email, password)).status, 403);
        assert.equal((await new TestClient(t, '2001:db8:ffff::1').login(user.email, password)).status, 200);
      } finally {
        await configure(settings());
      }
    });

    it('refuses PIN issue on a session replayed from outside the ranges', async () => {
      const { res, client } = await loginFrom('10.0.0.5');
      assert.equal(res.status, 200);
      assert.equal((await client.request('POST', '/api/v1/sessions', {})).status, 201);
      const thief = new TestClient(t, '203.0.113.66');
      Object.assign(thief, { cookie: client.cookie, csrfToken: client.csrfToken });
      const stolen = await thief.request('POST', '/api/v1/sessions', {});
      assert.equal(stolen.status, 403);
      assert.equal(((await stolen.json()) as Denied).code, 'ip_pin_issue_not_allowed');
    });
  });

  describe('PIN redeem from the company network (b)', () => {
    const pinOf = async (groups: string[]) => {
      const { res, client } = await loginFrom('10.0.0.9', groups);
      assert.equal(res.status, 200);
      return ((await (await client.request('POST', '/api/v1/sessions', {})).json()) as { pin: string }).pin;
    };
    // The customer's browser on the PIN page (channel pin-page): the agent rules do not apply to it.
    const redeemFrom = (ip: string, pin: string) => new TestClient(t, ip).request('POST', '/api/v1/pin/join-code', { pin });

    it('refuses a PIN of a non-internal technician from a company range, IPv4 and IPv6', async () => {
      for (const ip of ['172.16.5.5', 'fd00:1::77']) {
        const res = await redeemFrom(ip, await pinOf([]));
        assert.equal(res.status, 400, ip);
        assert.equal(((await res.json()) as Denied).reason, 'invalid_pin', 'the anonymous caller hears what a wrong PIN gets');
        assert.equal(await lastPolicyCode(t, 'pinRedeem'), 'company_network_foreign_pin');
      }
    });

    it('accepts a PIN of an internal-IT technician from a company range', async () => {
      assert.equal((await redeemFrom('172.16.5.5', await pinOf([internalGroup]))).status, 200);
    });

    it('accepts any technician\'s PIN from outside the company ranges', async () => {
      assert.equal((await redeemFrom('203.0.113.5', await pinOf([]))).status, 200);
    });
  });

  describe('agent connect (c)', () => {
    /** An agent refused by the agent rules hears one neutral answer: no rule, range, domain or host name. */
    async function assertNeutralRefusal(res: Response) {
      assert.equal(res.status, 403);
      const body = (await res.json()) as Denied;
      assert.deepEqual(Object.keys(body).sort(), ['error', 'message']);
      assert.equal(body.error, 'policy_denied');
      assert.doesNotMatch(body.message!, /example|localhost|198\.51|203\.0|domain|range|dns/i);
    }

    /** Redeems a fresh PIN and returns an agent client claiming the given address. */
    async function agentFrom(ip: string): Promise<TestClient> {
      const { client } = await loginFrom('10.0.0.9');
      const { pin } = (await (await client.request('POST', '/api/v1/sessions', {})).json()) as { pin: string };
      const boot = (await (await new TestClient(t, '198.51.100.1').request('POST', '/api/v1/pin/redeem', { pin })).json()) as { agentToken: string };
      const agent = new TestClient(t, ip);
      agent.agentToken = boot.agentToken;
      return agent;
    }

    it('accepts an agent inside the allowed ranges', async () => {
      assert.equal((await (await agentFrom('198.51.100.7')).request('POST', '/api/v1/agent/ticket')).status, 200);
    });

    it('refuses an agent outside the allowed ranges with agent_ip_not_allowed', async () => {
      const res = await (await agentFrom('203.0.113.50')).request('POST', '/api/v1/agent/ticket');
      await assertNeutralRefusal(res);
      assert.equal(await lastPolicyCode(t, 'agentConnect'), 'agent_ip_not_allowed');
    });

    it('applies the agent rules when the agent redeems the PIN itself (it gets a relay ticket in that answer)', async () => {
      const { client } = await loginFrom('10.0.0.9');
      const { pin } = (await (await client.request('POST', '/api/v1/sessions', {})).json()) as { pin: string };
      const outside = await new TestClient(t, '203.0.113.50').request('POST', '/api/v1/pin/redeem', { pin });
      assert.equal(outside.status, 400);
      assert.equal(((await outside.json()) as Denied).reason, 'invalid_pin');
      assert.equal(await lastPolicyCode(t, 'pinRedeem'), 'agent_ip_not_allowed');
      assert.equal((await new TestClient(t, '198.51.100.2').request('POST', '/api/v1/pin/redeem', { pin })).status, 200);
    });

    it('applies the agent rules to an agent that comes with the PIN page\'s join code', async () => {
      const joinCodeFor = async () => {
        const { client } = await loginFrom('10.0.0.9');
        const { pin } = (await (await client.request('POST', '/api/v1/sessions', {})).json()) as { pin: string };
        // The browser with the PIN page may be anywhere: the rule is about where the agent runs.
        const page = await new TestClient(t, '203.0.113.9').request('POST', '/api/v1/pin/join-code', { pin }, { origin: 'http://localhost' });
        assert.equal(page.status, 200);
        return ((await page.json()) as { joinCode: string }).joinCode;
      };
      const outside = await new TestClient(t, '203.0.113.50').request('POST', '/api/v1/agent/join', { joinCode: await joinCodeFor() });
      await assertNeutralRefusal(outside);
      assert.equal(await lastPolicyCode(t, 'agentConnect'), 'agent_ip_not_allowed');
      assert.equal((await new TestClient(t, '198.51.100.3').request('POST', '/api/v1/agent/join', { joinCode: await joinCodeFor() })).status, 200);
    });

    it('checks forward-confirmed reverse DNS (127.0.0.1 is localhost in /etc/hosts)', async () => {
      const agent = await agentFrom('127.0.0.1');
      try {
        await configure({ ...settings(), agents: { ranges: ['127.0.0.1'], domains: ['localhost'] } });
        assert.equal((await agent.request('POST', '/api/v1/agent/ticket')).status, 200);
        await configure({ ...settings(), agents: { ranges: ['127.0.0.1'], domains: ['example.com'] } });
        const res = await agent.request('POST', '/api/v1/agent/ticket');
        await assertNeutralRefusal(res);
        assert.equal(await lastPolicyCode(t, 'agentConnect'), 'agent_domain_not_allowed');
      } finally {
        await configure(settings());
      }
    });

    it('accepts only a forward-confirmed name from the configured DNS server', async () => {
      // .8 claims the same name in its PTR record, but the name's A record points to .7 only.
      const dns = await startTestDnsServer({
        ptr: { '198.51.100.7': 'pc7.clients.example.com', '198.51.100.8': 'pc7.clients.example.com', '198.51.100.9': 'pc9.elsewhere.test' },
        a: { 'pc7.clients.example.com': '198.51.100.7', 'pc9.elsewhere.test': '198.51.100.9' },
      });
      const cases: [string, number, string | undefined][] = [
        ['198.51.100.7', 200, undefined],
        ['198.51.100.8', 403, 'agent_domain_not_allowed'],
        ['198.51.100.9', 403, 'agent_domain_not_allowed'],
        ['198.51.100.10', 403, 'agent_reverse_dns_failed'],
      ];
      // The agents redeem their PINs before the DNS rule is on (the redeem itself is checked too).
      const agents = await Promise.all(cases.map(([ip]) => agentFrom(ip)));
      try {
        await configure({ ...settings(), agents: { ranges: ['198.51.100.0/24'], domains: ['clients.example.com'], dnsServers: [dns.address] } });
        for (const [i, [ip, status, code]] of cases.entries()) {
          const res = await agents[i]!.request('POST', '/api/v1/agent/ticket');
          assert.equal(res.status, status, ip);
          if (code) await assertNeutralRefusal(res);
          assert.equal(code && await lastPolicyCode(t, 'agentConnect'), code, ip);
        }
      } finally {
        await dns.close();
        await configure(settings());
      }
    });

    it('fails closed when the DNS server does not answer in time', async () => {
      // A real UDP socket on loopback that swallows every query.
      const silent: Socket = createSocket('udp4');
      await new Promise<void>((resolve) => silent.bind(0, '127.0.0.1', resolve));
      const port = (silent.address() as AddressInfo).port;
      const agent = await agentFrom('198.51.100.8');
      try {
        await configure({ ...settings(), agents: { ranges: ['198.51.100.0/24'], domains: ['example.com'], dnsServers: [`127.0.0.1:${port}`], dnsTimeoutMs: 300 } });
        const started = Date.now();
        const res = await agent.request('POST', '/api/v1/agent/ticket');
        await assertNeutralRefusal(res);
        assert.equal(await lastPolicyCode(t, 'agentConnect'), 'agent_reverse_dns_failed');
        assert.ok(Date.now() - started < 2000, 'the deadline holds');
      } finally {
        silent.close();
        await configure(settings());
      }
    });
  });

  describe('settings in the console', () => {
    it('refuses an invalid CIDR with a message naming it', async () => {
      const res = await admin.request('PATCH', '/api/v1/plugins/ip-restrictions', { settings: { login: { default: ['10.0.0.0/8', '10.1.0.0/33'] } } });
      assert.equal(res.status, 400);
      assert.match(((await res.json()) as { message: string }).message, /"10\.1\.0\.0\/33": the prefix \/33 is longer than 32 bits/);
    });

    it('stops the appliance from starting with an invalid range', async () => {
      await assert.rejects(buildTestAppliance({ PLUGIN_SETTINGS: '{"ip-restrictions":{"agents":{"ranges":["2001:db8::/200"]}}}' }), /pluginSettings\.ip-restrictions.*2001:db8::\/200/s);
    });
  });

  describe('explain ("test a policy")', () => {
    const auditCount = async () => Number((await t.services.db.selectFrom('audit_log').select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow()).n);

    it('shows the plugin\'s deny with its trace and changes nothing', async () => {
      const { user } = await buildUser(t, { role: 'technician' });
      const before = { audit: await auditCount(), plugins: await (await admin.request('GET', '/api/v1/plugins')).text(), sessions: (await t.services.db.selectFrom('support_sessions').select('id').execute()).length };
      const explain = async (hook: string, context: Record<string, unknown>) => (await (await admin.request('POST', '/api/v1/policy/explain', { hook, context })).json()) as Explained;
      const login = await explain('technicianLogin', { email: user.email, ip: '203.0.113.9' });
      assert.deepEqual([login.decision.outcome, login.decision.code], ['deny', 'ip_login_not_allowed']);
      assert.deepEqual(login.trace.map((s) => [s.plugin, s.outcome, s.code]), [['ip-restrictions', 'deny', 'ip_login_not_allowed']]);
      assert.equal(typeof login.trace[0]!.ms, 'number');
      assert.equal(login.facts['ip-restrictions']?.rule, 'default');
      assert.equal((await explain('technicianLogin', { email: user.email, ip: '10.1.1.1' })).decision.outcome, 'allow');
      const redeem = await explain('pinRedeem', { email: user.email, ip: '172.16.0.1', pin: '123456', pinChannel: 'pin-page', origin: 'https://example.test', formToken: null });
      assert.equal(redeem.decision.code, 'company_network_foreign_pin');
      assert.equal((await explain('agentConnect', { ip: '203.0.113.1' })).decision.code, 'agent_ip_not_allowed');
      assert.equal(await auditCount(), before.audit);
      assert.equal(await (await admin.request('GET', '/api/v1/plugins')).text(), before.plugins);
      assert.equal((await t.services.db.selectFrom('support_sessions').select('id').execute()).length, before.sessions);
    });

    it('is open to network admins', async () => {
      const { client } = await loggedInAs(t, 'network_admin');
      const res = await client.request('POST', '/api/v1/policy/explain', { hook: 'agentConnect', context: { ip: '203.0.113.1' } });
      assert.equal(res.status, 200);
      assert.equal(((await res.json()) as Explained).decision.code, 'agent_ip_not_allowed');
    });
  });
});

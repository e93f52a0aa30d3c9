import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { HookContexts } from '../../core/policy/types.js';
import { buildTestAppliance, lastPolicyCode, loggedInAs, TestClient, type TestAppliance } from '../../core/testing/appliance.js';
import { channelAllows, decideRedeem, type CompanyPinSettings } from './index.js';
import { linkToken, verifyLinkToken } from './links.js';
import { seal, unseal } from './secrets.js';

const OWN = 'co_own';
const context = (channel: string | null, pinChannel: string | null, companyId: string | null = null, origin: string | null = 'https://support.example.com'): HookContexts['pinRedeem'] => ({
  ip: '192.0.2.1', at: 0, actor: null, sessionId: 's', channel, facts: {}, pin: '******', technician: null, pinChannel, origin, formToken: null, companyId,
});
const settings = (s: Partial<CompanyPinSettings> = {}): CompanyPinSettings => ({ requireCompanyId: false, defaultPinChannel: null, ...s });

describe('company-pin plugin', () => {
  describe('pinRedeem decision', () => {
    const cases: [string, HookContexts['pinRedeem'], CompanyPinSettings, string][] = [
      ['unlocked PIN on the agent', context('agent', null), settings(), 'continue'],
      ['pin-page PIN on the PIN page', context('pin-page', 'pin-page'), settings(), 'continue'],
      ['pin-page PIN on the company\'s hosted form', context('web-form', 'pin-page'), settings(), 'continue'],
      ['pin-page PIN straight into the agent', context('agent', 'pin-page'), settings(), 'wrong_channel'],
      ['agent PIN on the PIN page', context('pin-page', 'agent'), settings(), 'wrong_channel'],
      ['web-form PIN on the appliance\'s PIN page', context('pin-page', 'web-form'), settings(), 'wrong_channel'],
      ['default lock applies to an unlocked PIN', context('agent', null), settings({ defaultPinChannel: 'pin-page' }), 'wrong_channel'],
      ['explicit lock wins over the default', context('agent', 'agent'), settings({ defaultPinChannel: 'pin-page' }), 'continue'],
      ['pin-page PIN sent without an origin (a script, not the page)', context('pin-page', 'pin-page', null, null), settings(), 'wrong_channel'],
      ['agent PIN needs no origin', context('agent', 'agent', null, null), settings(), 'continue'],
      ['another company\'s id', context('pin-page', null, 'co_other'), settings(), 'foreign_company_pin'],
      ['own company id', context('pin-page', null, OWN), settings({ requireCompanyId: true }), 'continue'],
      ['no company id when required', context('pin-page', null), settings({ requireCompanyId: true }), 'company_id_missing'],
      ['a channel link needs no company id', context('link:x', 'link:x'), settings({ requireCompanyId: true }), 'continue'],
      ['a hosted form needs no company id (its token proves it)', context('web-form', null), settings({ requireCompanyId: true }), 'continue'],
      ['the agent without a company id when required', context('agent', null), settings({ requireCompanyId: true }), 'company_id_missing'],
    ];
    for (const [name, ctx, s, expected] of cases) {
      it(name, () => {
        const verdict = decideRedeem(ctx, s, OWN);
        assert.equal(verdict.outcome === 'deny' ? verdict.code : verdict.outcome, expected);
      });
    }
    it('channelAllows: pin-page covers the hosted form, nothing else widens', () => {
      assert.equal(channelAllows('pin-page', 'web-form'), true);
      assert.equal(channelAllows('agent', 'pin-page'), false);
      assert.equal(channelAllows('agent', null), false);
    });
  });

  describe('tokens and sealing', () => {
    it('verifies its own link tokens and refuses altered ones', () => {
      const key = Buffer.alloc(32, 7).toString('base64url');
      const token = linkToken(key, 'abc');
      assert.equal(verifyLinkToken(key, token), 'abc');
      assert.equal(verifyLinkToken(key, token.replace('abc', 'abd')), null);
      assert.equal(verifyLinkToken(Buffer.alloc(32, 8).toString('base64url'), token), null);
      assert.equal(verifyLinkToken(key, `${token}.x`), null);
    });
    it('seals and opens a session code; a flipped byte opens nothing', () => {
      const key = Buffer.alloc(32, 1).toString('base64url');
      const sealed = seal(key, '123456');
      assert.equal(unseal(key, sealed), '123456');
      const flipped = sealed.slice(0, -2) + (sealed.at(-2) === 'A' ? 'B' : 'A') + sealed.slice(-1);
      assert.equal(unseal(key, flipped), null);
    });
  });

  describe('on the appliance', () => {
    let t: TestAppliance;
    let admin: TestClient;
    let groupId: string;
    let member: TestClient;
    let outsider: TestClient;
    let companyId: string;

    before(async () => {
      t = await buildTestAppliance({ LOGIN_RATE_LIMIT: '10000', PLUGINS: 'company-pin', PIN_RATE_LIMIT_PER_IP: '40' });
      admin = (await loggedInAs(t, 'network_admin')).client;
      const group = await admin.request('POST', '/api/v1/groups', { name: 'Helpdesk', permissions: [] });
      assert.equal(group.status, 201, await group.clone().text());
      groupId = ((await group.json()) as { group?: { id: string }; id?: string }).group?.id ?? ((await group.clone().json()) as { id: string }).id;
      member = (await loggedInAs(t, 'technician', { groups: [groupId] })).client;
      outsider = (await loggedInAs(t, 'technician')).client;
      companyId = ((await (await new TestClient(t).request('GET', '/api/v1/plugins/company-pin/company')).json()) as { companyId: string }).companyId;
    });
    after(() => t.close());

    const issue = async (pinChannel?: string) => {
      const res = await member.request('POST', '/api/v1/sessions', pinChannel ? { pinChannel } : {});
      assert.equal(res.status, 201);
      return (await res.json()) as { id: string; pin: string };
    };
    const code = async (res: Response) => ((await res.json()) as { code?: string; reason?: string });
    // What an anonymous caller hears for a PIN that does not exist: a refused valid PIN must sound the same.
    const assertInvalidPinAnswer = async (res: Response) => {
      const unknown = await new TestClient(t).request('POST', '/api/v1/pin/join-code', { pin: '000000' });
      assert.deepEqual([res.status, await res.json()], [unknown.status, await unknown.json()]);
    };

    it('gives a valid PIN on the wrong channel the very answer of an invalid PIN (no oracle)', async () => {
      const { pin } = await issue('agent');
      const wrong = await new TestClient(t).request('POST', '/api/v1/pin/join-code', { pin }, { origin: 'http://localhost' });
      const body = await wrong.clone().text();
      assert.doesNotMatch(body, /channel|agent|wrong/i);
      await assertInvalidPinAnswer(wrong);
    });

    it('gives a stable company id', async () => {
      assert.match(companyId, /^co_[\w-]{16}$/);
      const again = (await (await new TestClient(t).request('GET', '/api/v1/plugins/company-pin/company')).json()) as { companyId: string };
      assert.equal(again.companyId, companyId);
    });

    it('refuses a pin-page PIN typed straight into the agent, and accepts it on the PIN page', async () => {
      const { pin } = await issue('pin-page');
      const wrong = await new TestClient(t).request('POST', '/api/v1/pin/redeem', { pin });
      await assertInvalidPinAnswer(wrong);
      assert.equal(await lastPolicyCode(t, 'pinRedeem'), 'wrong_channel');
      await assertInvalidPinAnswer(await new TestClient(t).request('POST', '/api/v1/pin/join-code', { pin, companyId })); // no Origin: not the page
      assert.equal(await lastPolicyCode(t, 'pinRedeem'), 'wrong_channel');
      const right = await new TestClient(t).request('POST', '/api/v1/pin/join-code', { pin, companyId }, { origin: 'http://localhost' });
      assert.equal(right.status, 200);
    });

    it('refuses an agent-locked PIN on the PIN page and accepts it in the agent', async () => {
      const { pin } = await issue('agent');
      await assertInvalidPinAnswer(await new TestClient(t).request('POST', '/api/v1/pin/join-code', { pin }));
      assert.equal(await lastPolicyCode(t, 'pinRedeem'), 'wrong_channel');
      assert.equal((await new TestClient(t).request('POST', '/api/v1/pin/redeem', { pin })).status, 200);
    });

    it('refuses a PIN presented with another company\'s id, and audits the decision', async () => {
      const { id, pin } = await issue();
      const res = await new TestClient(t).request('POST', '/api/v1/pin/join-code', { pin, companyId: 'co_someone_else' });
      await assertInvalidPinAnswer(res);
      assert.equal(await lastPolicyCode(t, 'pinRedeem'), 'foreign_company_pin');
      const audit = await t.services.db.selectFrom('audit_log').selectAll().where('action', '=', 'policy.pinRedeem').where('target_id', '=', id).execute();
      assert.deepEqual(audit.map((r) => r.outcome), ['deny']);
      // The PIN stays unused: the right page can still redeem it.
      assert.equal((await new TestClient(t).request('POST', '/api/v1/pin/join-code', { pin, companyId })).status, 200);
    });

    it('shows the company id check in "test a policy" without using anything', async () => {
      const explain = async (context: Record<string, unknown>) => ((await (await admin.request('POST', '/api/v1/policy/explain', { hook: 'pinRedeem', context })).json()) as { trace: { plugin: string; code?: string }[] }).trace.find((s) => s.plugin === 'company-pin');
      assert.equal((await explain({ pin: '123456', channel: 'pin-page', pinChannel: 'pin-page', origin: 'http://localhost', companyId: 'co_someone_else' }))?.code, 'foreign_company_pin');
      assert.equal((await explain({ pin: '123456', channel: 'pin-page', pinChannel: 'pin-page', origin: 'http://localhost', companyId }))?.code, undefined);
    });

    it('refuses a lock value that is not a channel', async () => {
      assert.equal((await member.request('POST', '/api/v1/sessions', { pinChannel: 'anywhere' })).status, 400);
    });

    describe('channel links', () => {
      let link: { id: string; token: string; url: string };
      before(async () => {
        const res = await admin.request('POST', '/api/v1/plugins/company-pin/links', { name: 'Desk shortcut', groupId });
        assert.equal(res.status, 201);
        link = ((await res.json()) as { link: typeof link }).link;
      });

      it('technicians may not create links; unknown groups are refused', async () => {
        assert.equal((await member.request('POST', '/api/v1/plugins/company-pin/links', { name: 'x', groupId })).status, 403);
        assert.equal((await admin.request('POST', '/api/v1/plugins/company-pin/links', { name: 'x', groupId: 'nope' })).status, 400);
      });

      it('starts a queued session for the group without a PIN; a member picks it up once', async () => {
        assert.match(link.url, /\/pin\?channel=cl1\./);
        const start = await new TestClient(t, '198.51.100.7').request('POST', '/api/v1/plugins/company-pin/start', { token: link.token });
        assert.equal(start.status, 200);
        const started = (await start.json()) as { sessionId: string; pin: string; joinCode: string };
        // The customer's agent joins with the join code at once.
        const joined = await new TestClient(t).request('POST', '/api/v1/agent/join', { joinCode: started.joinCode });
        assert.equal(joined.status, 200);
        assert.equal(((await joined.json()) as { technician: { displayName: string } }).technician.displayName, '');
        // The group sees it in its queue; others do not, and it is nobody's own session yet.
        const queue = (await (await member.request('GET', '/api/v1/plugins/company-pin/queue')).json()) as { sessions: { id: string; agentConnected: boolean; groupName: string }[] };
        assert.deepEqual(queue.sessions.map((s) => [s.id, s.agentConnected, s.groupName]), [[started.sessionId, true, 'Helpdesk']]);
        assert.deepEqual(((await (await outsider.request('GET', '/api/v1/plugins/company-pin/queue')).json()) as { sessions: unknown[] }).sessions, []);
        assert.equal((await outsider.request('POST', `/api/v1/plugins/company-pin/queue/${started.sessionId}/claim`)).status, 404);
        assert.equal((await member.request('POST', `/api/v1/sessions/${started.sessionId}/join`)).status, 404);
        const claim = await member.request('POST', `/api/v1/plugins/company-pin/queue/${started.sessionId}/claim`);
        assert.equal(claim.status, 200);
        assert.deepEqual(await claim.json(), { sessionId: started.sessionId, pin: started.pin });
        assert.equal((await member.request('POST', `/api/v1/plugins/company-pin/queue/${started.sessionId}/claim`)).status, 404);
        assert.equal((await member.request('POST', `/api/v1/sessions/${started.sessionId}/join`)).status, 200);
        const mine = (await (await member.request('GET', '/api/v1/sessions')).json()) as { sessions: { id: string }[] };
        assert.ok(mine.sessions.some((s) => s.id === started.sessionId));
        const sealed = await t.services.db.selectFrom('channel_sessions').select('code_sealed').where('session_id', '=', started.sessionId).executeTakeFirst();
        assert.equal(sealed?.code_sealed, null);
      });

      it('drops a queued session from the queue when its agent never joined', async () => {
        const started = (await (await new TestClient(t).request('POST', '/api/v1/plugins/company-pin/start', { token: link.token })).json()) as { sessionId: string };
        const queued = async () => ((await (await member.request('GET', '/api/v1/plugins/company-pin/queue')).json()) as { sessions: { id: string }[] }).sessions.map((s) => s.id);
        assert.ok((await queued()).includes(started.sessionId));
        t.clock.advance(11 * 60_000);
        assert.ok(!(await queued()).includes(started.sessionId));
      });

      it('refuses a tampered token', async () => {
        const res = await new TestClient(t).request('POST', '/api/v1/plugins/company-pin/start', { token: link.token.slice(0, -3) + 'AAA' });
        assert.equal(res.status, 400);
        assert.equal((await code(res)).reason, 'invalid_channel_link');
      });

      it('refuses an expired link', async () => {
        const res = await admin.request('POST', '/api/v1/plugins/company-pin/links', { name: 'Short', groupId, expiresAt: t.clock.now() + 60_000 });
        const short = ((await res.json()) as { link: { token: string } }).link;
        assert.equal((await new TestClient(t).request('POST', '/api/v1/plugins/company-pin/start', { token: short.token })).status, 200);
        t.clock.advance(61_000);
        assert.equal((await new TestClient(t).request('POST', '/api/v1/plugins/company-pin/start', { token: short.token })).status, 400);
        const denied = await t.services.db.selectFrom('audit_log').selectAll().where('action', '=', 'channel.start').where('outcome', '=', 'denied').execute();
        assert.ok(denied.some((r) => JSON.parse(r.details).reason === 'link_expired'));
      });

      it('renames a link and extends its expiry; a revoked link cannot be changed', async () => {
        const res = await admin.request('POST', '/api/v1/plugins/company-pin/links', { name: 'Old', groupId, expiresAt: t.clock.now() + 60_000 });
        const created = ((await res.json()) as { link: { id: string; token: string } }).link;
        assert.equal((await member.request('PATCH', `/api/v1/plugins/company-pin/links/${created.id}`, { name: 'x' })).status, 403);
        assert.equal((await admin.request('PATCH', `/api/v1/plugins/company-pin/links/${created.id}`, { expiresAt: t.clock.now() - 1 })).status, 400);
        const changed = await admin.request('PATCH', `/api/v1/plugins/company-pin/links/${created.id}`, { name: 'New', expiresAt: null });
        assert.equal(changed.status, 200);
        assert.deepEqual((({ name, expiresAt, status }) => ({ name, expiresAt, status }))(((await changed.json()) as { link: { name: string; expiresAt: null; status: string } }).link), { name: 'New', expiresAt: null, status: 'active' });
        t.clock.advance(120_000);
        assert.equal((await new TestClient(t, '198.51.100.20').request('POST', '/api/v1/plugins/company-pin/start', { token: created.token })).status, 200);
        assert.equal((await admin.request('DELETE', `/api/v1/plugins/company-pin/links/${created.id}`)).status, 204);
        assert.equal((await admin.request('PATCH', `/api/v1/plugins/company-pin/links/${created.id}`, { name: 'Again' })).status, 404);
      });

      it('refuses a revoked link, audited', async () => {
        assert.equal((await member.request('DELETE', `/api/v1/plugins/company-pin/links/${link.id}`)).status, 403);
        assert.equal((await admin.request('DELETE', `/api/v1/plugins/company-pin/links/${link.id}`)).status, 204);
        assert.equal((await admin.request('DELETE', `/api/v1/plugins/company-pin/links/${link.id}`)).status, 404);
        assert.equal((await new TestClient(t).request('POST', '/api/v1/plugins/company-pin/start', { token: link.token })).status, 400);
        const list = (await (await admin.request('GET', '/api/v1/plugins/company-pin/links')).json()) as { links: { id: string; status: string }[] };
        assert.equal(list.links.find((l) => l.id === link.id)?.status, 'revoked');
        const audit = await t.services.db.selectFrom('audit_log').select('action').where('target_id', '=', link.id).execute();
        assert.deepEqual([...new Set(audit.map((a) => a.action))].sort(), ['channel.start', 'channel_link.create', 'channel_link.revoke', 'policy.pinRedeem']);
      });

      it('rate-limits channel starts per IP like PINs', async () => {
        const client = new TestClient(t, '203.0.113.9');
        const statuses: number[] = [];
        for (let i = 0; i < 42; i += 1) statuses.push((await client.request('POST', '/api/v1/plugins/company-pin/start', { token: 'cl1.x.y' })).status);
        assert.equal(statuses.at(-1), 429);
      });
    });
  });
});

import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { verifyTicket, verifyToken } from '../../../../relay/tickets.js';
import { buildTestAppliance, loggedInAs, TestClient, type TestAppliance } from '../../../testing/appliance.js';

type Created = { id: string; pin: string; expiresAt: number };
type Bootstrap = { sessionId: string; agentToken: string; ticket: string; grantKey: string; relay: { path: string; ports: number[] } };

describe('support sessions and PINs', () => {
  let t: TestAppliance;
  let tech: TestClient;
  let groupId: string;
  before(async () => {
    t = await buildTestAppliance({ LOGIN_RATE_LIMIT: '10000', PIN_RATE_LIMIT_PER_IP: '1000', PIN_RATE_LIMIT_GLOBAL: '100000' });
    const admin = (await loggedInAs(t, 'account_admin')).client;
    groupId = ((await (await admin.request('POST', '/api/v1/groups', { name: 'Files', permissions: ['file_transfer'] })).json()) as { group: { id: string } }).group.id;
    tech = (await loggedInAs(t, 'technician', { groups: [groupId] })).client;
  });
  after(() => t.close());

  const create = async (client = tech): Promise<Created> => (await (await client.request('POST', '/api/v1/sessions', {})).json()) as Created;
  const redeem = (pin: string, ip = '192.0.2.1') => new TestClient(t, ip).request('POST', '/api/v1/pin/redeem', { pin });

  it('issues a 6-digit PIN that expires in 20 minutes, stored only as a digest', async () => {
    const created = await create();
    assert.match(created.pin, /^\d{6}$/);
    assert.equal(created.expiresAt - t.clock.now(), 20 * 60_000);
    const row = await t.services.db.selectFrom('support_sessions').selectAll().where('id', '=', created.id).executeTakeFirstOrThrow();
    assert.notEqual(row.pin_digest, created.pin);
    assert.doesNotMatch(JSON.stringify(row), new RegExp(`"${created.pin}"`));
    const state = (await (await tech.request('GET', `/api/v1/sessions/${created.id}`)).json()) as { session: { status: string } };
    assert.equal(state.session.status, 'waiting');
  });

  it('redeems a PIN once and gives the agent a ticket the relay accepts', async () => {
    const created = await create();
    const res = await redeem(created.pin);
    assert.equal(res.status, 200);
    const boot = (await res.json()) as Bootstrap;
    assert.equal(boot.sessionId, created.id);
    assert.match(boot.agentToken, /^rba_/);
    assert.equal(verifyTicket(boot.ticket, t.services.signing.publicPem, t.clock.now())?.role, 'customer');
    assert.deepEqual(boot.relay, { path: '/relay', ports: [8200, 443, 80] });
    const state = (await (await tech.request('GET', `/api/v1/sessions/${created.id}`)).json()) as { session: { status: string; redeemedIp: string } };
    assert.deepEqual([state.session.status, state.session.redeemedIp], ['active', '192.0.2.1']);
  });

  it('answers wrong, used and expired PINs identically', async () => {
    const used = await create();
    await redeem(used.pin);
    const expired = await create();
    t.clock.advance(20 * 60_000 + 1);
    const bodies: unknown[] = [];
    for (const pin of ['000000', used.pin, expired.pin, 'abc', '1234567']) {
      const res = await redeem(pin);
      assert.equal(res.status, 400, pin);
      bodies.push(await res.json());
    }
    assert.ok(bodies.every((b) => JSON.stringify(b) === JSON.stringify(bodies[0])));
    const failures = await t.services.db.selectFrom('audit_log').select('outcome').where('action', '=', 'pin.redeem').where('outcome', '=', 'failure').execute();
    assert.ok(failures.length >= 5);
  });

  it('rate limits PIN attempts per IP and globally, and audits it', async () => {
    const limited = await buildTestAppliance({ PIN_RATE_LIMIT_PER_IP: '3', PIN_RATE_LIMIT_GLOBAL: '5' });
    try {
      const attempt = (ip: string) => new TestClient(limited, ip).request('POST', '/api/v1/pin/redeem', { pin: '123456' });
      for (let i = 0; i < 3; i += 1) assert.equal((await attempt('198.51.100.1')).status, 400);
      const blocked = await attempt('198.51.100.1');
      assert.equal(blocked.status, 429);
      assert.ok(Number(blocked.headers.get('retry-after')) > 0);
      assert.equal((await attempt('198.51.100.2')).status, 400);
      // The per-IP refusal did not spend the global budget: 4 guesses were evaluated so far.
      assert.equal((await attempt('198.51.100.3')).status, 400);
      assert.equal((await attempt('198.51.100.4')).status, 429, 'the global limit (5) is reached across IPs');
      const audited = await limited.services.db.selectFrom('audit_log').select('action').where('action', 'in', ['pin.rate_limited', 'pin.budget_exhausted']).orderBy('seq').execute();
      assert.deepEqual(audited.map((a) => a.action), ['pin.rate_limited', 'pin.budget_exhausted']);
    } finally {
      await limited.close();
    }
  });

  it('signs grants only for capabilities the technician\'s groups allow', async () => {
    const created = await create();
    await redeem(created.pin);
    const ok = await tech.request('POST', `/api/v1/sessions/${created.id}/grants`, { capability: 'file.send' });
    assert.equal(ok.status, 200);
    const { grant } = (await ok.json()) as { grant: string };
    assert.deepEqual((verifyToken(grant, t.services.signing.publicPem) as { sid: string; capability: string }).capability, 'file.send');
    const refused = await tech.request('POST', `/api/v1/sessions/${created.id}/grants`, { capability: 'diagnostics' });
    assert.equal(refused.status, 403);
    const audit = await t.services.db.selectFrom('audit_log').select(['outcome']).where('action', '=', 'permission.request').where('target_id', '=', created.id).execute();
    assert.deepEqual(audit.map((a) => a.outcome).sort(), ['allow', 'deny']);
  });

  it('hides other technicians\' sessions and refuses grants before the customer joins', async () => {
    const created = await create();
    const other = (await loggedInAs(t, 'technician', { groups: [groupId] })).client;
    assert.equal((await other.request('GET', `/api/v1/sessions/${created.id}`)).status, 404);
    assert.equal((await other.request('POST', `/api/v1/sessions/${created.id}/join`)).status, 404);
    assert.equal((await tech.request('POST', `/api/v1/sessions/${created.id}/grants`, { capability: 'file.send' })).status, 409);
    const list = (await (await other.request('GET', '/api/v1/sessions')).json()) as { sessions: unknown[] };
    assert.equal(list.sessions.length, 0);
  });

  it('ends a session from either side; the agent token dies with it', async () => {
    const created = await create();
    const boot = (await (await redeem(created.pin)).json()) as Bootstrap;
    const agent = new TestClient(t);
    agent.agentToken = boot.agentToken;
    assert.equal((await agent.request('POST', '/api/v1/agent/events', { event: 'hello', hostname: 'pc-1', os: 'Linux', agentVersion: '0.1.0' })).status, 204);
    assert.equal((await agent.request('POST', '/api/v1/agent/ticket')).status, 200);
    assert.equal((await agent.request('POST', '/api/v1/agent/end', {})).status, 204);
    assert.equal((await agent.request('POST', '/api/v1/agent/ticket')).status, 401);
    const state = (await (await tech.request('GET', `/api/v1/sessions/${created.id}`)).json()) as { session: { status: string; endedBy: string; customer: { hostname: string } } };
    assert.deepEqual([state.session.status, state.session.endedBy, state.session.customer.hostname], ['ended', 'customer', 'pc-1']);
    assert.equal((await tech.request('POST', `/api/v1/sessions/${created.id}/join`)).status, 409);

    const second = await create();
    await redeem(second.pin);
    assert.equal((await tech.request('POST', `/api/v1/sessions/${second.id}/end`)).status, 204);
    const ended = await t.services.db.selectFrom('audit_log').select('details').where('action', '=', 'session.end').where('target_id', '=', second.id).executeTakeFirstOrThrow();
    assert.match(ended.details, /"endedBy":"technician"/);
  });

  it('PIN page flow: join code once, then the agent joins with it once', async () => {
    const created = await create();
    const page = await new TestClient(t).request('POST', '/api/v1/pin/join-code', { pin: created.pin });
    assert.equal(page.status, 200);
    const { joinCode } = (await page.json()) as { joinCode: string };
    assert.equal((await redeem(created.pin)).status, 400, 'the PIN is used up by the page');
    const joined = await new TestClient(t).request('POST', '/api/v1/agent/join', { joinCode });
    assert.equal(joined.status, 200);
    assert.equal(((await joined.json()) as Bootstrap).sessionId, created.id);
    assert.equal((await new TestClient(t).request('POST', '/api/v1/agent/join', { joinCode })).status, 400, 'single use');
    assert.equal((await new TestClient(t).request('POST', '/api/v1/agent/join', { joinCode: `${joinCode}x` })).status, 400);
  });
});

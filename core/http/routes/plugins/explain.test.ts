import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { buildTestAppliance, buildUser, loggedInAs, TestClient, type TestAppliance } from '../../../testing/appliance.js';

type Explained = { decision: { outcome: string; code?: string }; trace: { plugin: string; outcome: string; reason: string }[] };

// "Test a policy" must give the answer of the real call, for every hook: the same chain, the same
// default when every plugin continues, and for logins the same account-state checks.
describe('policy explain matches the real decision', () => {
  let t: TestAppliance;
  let admin: TestClient;
  let tech: { client: TestClient; email: string; password: string };
  before(async () => {
    // Every built-in plugin that has hooks, switched on with settings under which nobody objects.
    t = await buildTestAppliance({ LOGIN_RATE_LIMIT: '10000', PIN_RATE_LIMIT_PER_IP: '1000', PLUGINS: 'login-hours,totp,company-pin,ip-restrictions,domain-validation' });
    admin = (await loggedInAs(t, 'account_admin')).client;
    const group = ((await (await admin.request('POST', '/api/v1/groups', { name: 'L1', permissions: ['remote_view'] })).json()) as { group: { id: string } }).group.id;
    const { client, user, password } = await loggedInAs(t, 'technician', { groups: [group] });
    tech = { client, email: user.email, password };
  });
  after(() => t.close());

  const explain = async (hook: string, context: Record<string, unknown>): Promise<Explained> => {
    const res = await admin.request('POST', '/api/v1/policy/explain', { hook, context });
    assert.equal(res.status, 200, await res.clone().text());
    return (await res.json()) as Explained;
  };
  const outcomeOf = (status: number) => (status < 300 ? 'allow' : 'deny');
  /** Every plugin's verdict in the trace says why, not only the deciding one. */
  const assertReasons = (explained: Explained) => {
    assert.ok(explained.trace.length > 0);
    for (const step of explained.trace) assert.match(step.reason, /\w/, `${step.plugin} gives a reason`);
    for (const step of explained.trace) assert.doesNotMatch(step.reason, /gave no reason/, `${step.plugin} says why`);
  };

  it('technicianLogin, pinIssue, pinRedeem, agentConnect and permissionRequest: the real outcome', async () => {
    const login = await new TestClient(t).login(tech.email, tech.password);
    const explainedLogin = await explain('technicianLogin', { email: tech.email });
    assert.equal(explainedLogin.decision.outcome, outcomeOf(login.status));
    assertReasons(explainedLogin);

    const issued = await tech.client.request('POST', '/api/v1/sessions', {});
    const explainedIssue = await explain('pinIssue', { email: tech.email, channel: 'console' });
    assert.equal(explainedIssue.decision.outcome, outcomeOf(issued.status), JSON.stringify(explainedIssue));
    assertReasons(explainedIssue);
    const { id, pin } = (await issued.json()) as { id: string; pin: string };

    const redeemed = await new TestClient(t).request('POST', '/api/v1/pin/redeem', { pin });
    const explainedRedeem = await explain('pinRedeem', { email: tech.email, pin, channel: 'agent' });
    assert.equal(explainedRedeem.decision.outcome, outcomeOf(redeemed.status), JSON.stringify(explainedRedeem));
    assertReasons(explainedRedeem);

    const agent = new TestClient(t);
    agent.agentToken = ((await redeemed.json()) as { agentToken: string }).agentToken;
    const ticket = await agent.request('POST', '/api/v1/agent/ticket');
    const explainedConnect = await explain('agentConnect', { channel: 'agent' });
    assert.equal(explainedConnect.decision.outcome, outcomeOf(ticket.status), JSON.stringify(explainedConnect));
    assertReasons(explainedConnect);

    const grant = await tech.client.request('POST', `/api/v1/sessions/${id}/grants`, { capability: 'screen.view' });
    const explainedGrant = await explain('permissionRequest', { email: tech.email, permission: 'remote_view', sessionId: id });
    // No built-in plugin handles permissionRequest: an empty chain must still give the real default.
    assert.equal(explainedGrant.decision.outcome, outcomeOf(grant.status), JSON.stringify(explainedGrant));
  });

  it('a disabled account, an unknown e-mail and a locked account: refused by both, with the reason', async () => {
    const { user: disabled, password } = await buildUser(t, { enabled: false });
    const locked = await buildUser(t);
    await t.services.db.updateTable('users').set({ locked_until: t.clock.now() + 60_000 }).where('id', '=', locked.user.id).execute();
    const cases: [string, string, string][] = [
      [disabled.email, password, 'account_disabled'], ['nobody@example.test', 'Some-pass-123', 'unknown_account'], [locked.user.email, locked.password, 'account_locked'],
    ];
    for (const [email, pass, code] of cases) {
      const real = await new TestClient(t).login(email, pass);
      assert.notEqual(real.status, 200, email);
      const explained = await explain('technicianLogin', { email });
      assert.deepEqual([explained.decision.outcome, explained.decision.code], ['deny', code], email);
      assert.match(explained.trace[0]!.reason, /\w/);
    }
  });
});

import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { buildTestAppliance, loggedInAs, TestClient, type TestAppliance } from '../../../testing/appliance.js';

// A distributed PIN-guessing flood must not lock out the company's customers: the hosted form
// (approved origin + signed form token) and the company's known ranges keep their own budget,
// and join codes and channel links (signed, not guessable) count per IP only.
describe('PIN budgets under a distributed guessing flood', () => {
  const APPROVED = 'http://localhost:8123';
  const GLOBAL = 20;
  let t: TestAppliance;
  let admin: TestClient;
  let tech: TestClient;
  let formToken: string;

  before(async () => {
    t = await buildTestAppliance({
      LOGIN_RATE_LIMIT: '10000', PIN_RATE_LIMIT_PER_IP: '5', PIN_RATE_LIMIT_GLOBAL: String(GLOBAL), PIN_RATE_LIMIT_WEB_FORM: '10',
      PIN_TRUSTED_RANGES: '10.20.0.0/16', PLUGINS: 'company-pin,domain-validation', PLUGIN_SETTINGS: JSON.stringify({ 'domain-validation': { domains: [APPROVED] } }),
    });
    admin = (await loggedInAs(t, 'network_admin')).client;
    tech = (await loggedInAs(t, 'technician')).client;
    formToken = ((await (await admin.request('POST', '/api/v1/plugins/domain-validation/snippet', { origin: APPROVED })).json()) as { token: string }).token;
  });
  after(() => t.close());

  const issuePin = async () => ((await (await tech.request('POST', '/api/v1/sessions', {})).json()) as { pin: string }).pin;
  const guess = (ip: string, pin: string) => new TestClient(t, ip).request('POST', '/api/v1/pin/redeem', { pin });
  const viaForm = (ip: string, pin: string) => new TestClient(t, ip).request('POST', '/api/v1/plugins/domain-validation/pin', new URLSearchParams({ pin, token: formToken }).toString(), { 'content-type': 'application/x-www-form-urlencoded', origin: APPROVED });
  /** 100 wrong guesses from 50 addresses (2 each: under the per-IP limit); returns how many were evaluated (not 429). */
  const flood = async (round: number) => {
    let evaluated = 0;
    for (let i = 0; i < 100; i += 1) {
      const res = await guess(`198.51.${100 + round}.${Math.floor(i / 2)}`, String(100_000 + ((i * 7919 + round) % 900_000)));
      if (res.status !== 429) evaluated += 1;
    }
    return evaluated;
  };

  it('bounds the flood to the open routes\' budget, and that alone', async () => {
    const realPin = await issuePin();
    assert.equal(await flood(0), GLOBAL, 'the attacker gets exactly the global budget of guesses evaluated per minute');
    // A customer typing a PIN into the agent from home now waits (this is the budget doing its job)...
    assert.equal((await guess('192.0.2.77', realPin)).status, 429);
    // ...but the company's hosted form still works, and so does its join code.
    const res = await viaForm('192.0.2.78', realPin);
    assert.equal(res.status, 303, await res.text());
    const joinCode = new URLSearchParams((res.headers.get('location') ?? '').split('#')[1]).get('join')!;
    assert.equal((await new TestClient(t, '192.0.2.78').request('POST', '/api/v1/agent/join', { joinCode })).status, 200);
  });

  it('lets customers in the company\'s known ranges redeem during the flood (own budget, no per-IP limit behind NAT)', async () => {
    await flood(1);
    for (let i = 0; i < 3; i += 1) {
      const res = await guess('10.20.3.4', await issuePin());
      assert.equal(res.status, 200, await res.text());
    }
  });

  it('does not let a channel link start be refused by the flood', async () => {
    const groupId = ((await (await admin.request('POST', '/api/v1/groups', { name: 'Desk', permissions: [] })).json()) as { group?: { id: string }; id?: string });
    const id = groupId.group?.id ?? groupId.id!;
    const link = ((await (await admin.request('POST', '/api/v1/plugins/company-pin/links', { name: 'Shortcut', groupId: id })).json()) as { link: { token: string } }).link;
    await flood(2);
    assert.equal((await new TestClient(t, '192.0.2.90').request('POST', '/api/v1/plugins/company-pin/start', { token: link.token })).status, 200);
  });

  it('raises one alarm per exhausted minute in the audit log and counts every refusal in the metric', async () => {
    const alarms = await t.services.db.selectFrom('audit_log').selectAll().where('action', '=', 'pin.budget_exhausted').execute();
    assert.equal(alarms.length, 1, 'one alarm for the minute, not one entry per refused guess');
    assert.deepEqual(JSON.parse(alarms[0]!.details).lane, 'public');
    t.clock.advance(60_000);
    assert.equal(await flood(3), GLOBAL, 'the budget is per minute');
    assert.equal((await t.services.db.selectFrom('audit_log').select('seq').where('action', '=', 'pin.budget_exhausted').execute()).length, 2);
    const metric = await admin.request('GET', '/api/v1/pin/budgets');
    assert.equal(metric.status, 200);
    const body = (await metric.json()) as { lanes: Record<string, { attempts: number; refusedBudget: number; exhaustedWindows: number }> };
    assert.equal(body.lanes.public!.exhaustedWindows, 2);
    assert.ok(body.lanes.public!.refusedBudget >= 4 * (100 - GLOBAL) - GLOBAL);
    assert.equal(body.lanes['web-form']!.refusedBudget, 0);
    await issuePin();
    const { livePins, odds } = (await (await admin.request('GET', '/api/v1/pin/budgets')).json()) as { livePins: number; odds: { perPinLifetime: number } };
    assert.equal(livePins, 1);
    assert.equal(odds.perPinLifetime, ((GLOBAL + 10) * 20) / 1e6, 'the odds follow the configured budgets (20 + 10 guesses/min, 20 minutes, 6 digits)');
    assert.equal((await tech.request('GET', '/api/v1/pin/budgets')).status, 403);
  });

  it('caps the hosted form\'s lane too, so a copied form token cannot widen the attack without bound', async () => {
    t.clock.advance(60_000);
    const statuses: number[] = [];
    for (let i = 0; i < 12; i += 1) statuses.push((await viaForm(`203.0.113.${i}`, '000000')).status);
    assert.deepEqual(statuses.slice(0, 10), Array(10).fill(400));
    assert.deepEqual(statuses.slice(10), [429, 429]);
  });
});

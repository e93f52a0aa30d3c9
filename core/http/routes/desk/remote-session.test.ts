import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { collectReport } from '../../../../agent/system/report.js';
import { loggedInAs, TestClient } from '../../../testing/appliance.js';
import { buildDeskTestbed, json, type DeskTestbed } from './testing.js';

describe('remote sessions for incidents and CIs from diagnostics', () => {
  let d: DeskTestbed;
  let tech: TestClient;
  let customer: TestClient;
  let incidentId: string;
  let sessionId: string;
  let agent: TestClient;

  before(async () => {
    d = await buildDeskTestbed();
    tech = d.tech.client;
    customer = (await loggedInAs(d.t, 'customer')).client;
    incidentId = (await json<{ incident: { id: string } }>(await customer.request('POST', '/api/v1/portal/incidents', { title: 'Slow PC', category: 'hardware' }))).incident.id;
    const started = await tech.request('POST', `/api/v1/desk/incidents/${incidentId}/remote-session`, {});
    assert.equal(started.status, 201);
    const { id, pin } = await json<{ id: string; pin: string }>(started);
    sessionId = id;
    const redeemed = await new TestClient(d.t).request('POST', '/api/v1/pin/redeem', { pin });
    assert.equal(redeemed.status, 200);
    agent = new TestClient(d.t);
    agent.agentToken = (await json<{ agentToken: string }>(redeemed)).agentToken;
    assert.equal((await agent.request('POST', '/api/v1/agent/events', { event: 'hello', hostname: 'ann-pc', os: 'linux', agentVersion: '1' })).status, 204);
  });
  after(() => d.close());

  it('ties the session to the incident', async () => {
    const detail = await json<{ sessions: { sessionId: string; status: string }[] }>(await tech.request('GET', `/api/v1/desk/incidents/${incidentId}`));
    assert.deepEqual(detail.sessions.map((s) => [s.sessionId, s.status]), [[sessionId, 'active']]);
  });

  it('creates the computer CI from real diagnostics only after the customer consented, then updates it', async () => {
    const report = await collectReport();
    const path = `/api/v1/desk/sessions/${sessionId}/diagnostics-ci`;
    const refused = await tech.request('POST', path, { report, incidentId });
    assert.deepEqual([refused.status, (await json(refused)).reason], [403, 'no_consent']);
    await agent.request('POST', '/api/v1/agent/events', { event: 'consent', capability: 'diagnostics', granted: true, requestId: 'r1' });
    const other = (await loggedInAs(d.t, 'technician', { groups: [d.groupId] })).client;
    assert.equal((await other.request('POST', path, { report })).status, 404, 'not their session');

    const created = await tech.request('POST', path, { report, incidentId });
    assert.equal(created.status, 201, await created.clone().text());
    const { ci } = await json<{ ci: { id: string; name: string; typeName: string; attributes: Record<string, unknown> } }>(created);
    assert.deepEqual([ci.name, ci.typeName, ci.attributes.hostname, ci.attributes.cpuCores], [report.os.hostname, 'computer', report.os.hostname, report.cpu.cores]);

    const again = await tech.request('POST', path, { report: { ...report, memory: { ...report.memory, totalBytes: report.memory.totalBytes + 1024 } } });
    assert.equal(again.status, 200);
    assert.equal((await json<{ ci: { id: string } }>(again)).ci.id, ci.id);
    const history = await json<{ history: { field: string; oldValue: string; newValue: string }[] }>(await tech.request('GET', `/api/v1/desk/cis/${ci.id}/history`));
    const memory = history.history.find((h) => h.field === 'attributes.memoryBytes')!;
    assert.equal(Number(memory.newValue) - Number(memory.oldValue), 1024);
    const links = await json<{ links: { type: string; targetId: string }[] }>(await tech.request('GET', `/api/v1/desk/links?type=incident&id=${incidentId}`));
    assert.deepEqual(links.links.map((l) => [l.type, l.targetId]), [['ci', ci.id]]);
  });

  it('attaches a summary as an internal comment when the session ends, invisible in the portal', async () => {
    await agent.request('POST', '/api/v1/agent/events', { event: 'consent', capability: 'remote_control', granted: false, requestId: 'r2' });
    await agent.request('POST', '/api/v1/agent/events', { event: 'file', direction: 'from_customer', name: 'crash.log', size: 2048, sha256: 'a'.repeat(64), outcome: 'delivered' });
    assert.equal((await agent.request('POST', '/api/v1/agent/events', { event: 'screen', action: 'view.start', by: 'technician' })).status, 204);
    const grant = await tech.request('POST', `/api/v1/sessions/${sessionId}/grants`, { capability: 'diagnostics' });
    assert.equal(grant.status, 200, await grant.clone().text());
    d.t.clock.advance(15 * 60_000);
    assert.equal((await tech.request('POST', `/api/v1/sessions/${sessionId}/end`, {})).status, 204);
    const detail = await json<{ comments: { body: string; visibility: string; author: { id: string | null } }[] }>(await tech.request('GET', `/api/v1/desk/incidents/${incidentId}`));
    const summary = detail.comments.find((c) => c.body.startsWith('Remote support session summary'));
    assert.ok(summary, 'summary attached');
    assert.equal(summary.visibility, 'internal');
    assert.equal(summary.author.id, null);
    assert.match(summary.body, new RegExp(d.tech.user.email.replace('.', '\\.')));
    assert.match(summary.body, /diagnostics: granted/);
    assert.match(summary.body, /remote_control: refused/);
    assert.match(summary.body, /from customer: crash\.log \(2048 bytes, delivered\)/);
    assert.match(summary.body, /Computer: ann-pc/);
    assert.match(summary.body, /Permissions requested by the technician:\n- diagnostics: allowed by policy/);
    assert.match(summary.body, /- view\.start/);
    const portal = await customer.request('GET', `/api/v1/portal/incidents/${incidentId}`);
    assert.doesNotMatch(await portal.text(), /session summary|crash\.log/);
    // Ending again (idempotent) does not add a second summary.
    await tech.request('POST', `/api/v1/sessions/${sessionId}/end`, {});
    const after = await json<{ comments: { body: string }[] }>(await tech.request('GET', `/api/v1/desk/incidents/${incidentId}`));
    assert.equal(after.comments.filter((c) => c.body.startsWith('Remote support session summary')).length, 1);
  });
});

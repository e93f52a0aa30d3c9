import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { buildUser, loggedInAs, type TestClient } from '../../../testing/appliance.js';
import { buildDeskTestbed, json, type DeskTestbed } from './testing.js';

type Change = { id: string; status: string; approvals: { approverId: string; decision: string }[]; ciIds: string[]; releaseId: string | null };

describe('problems, changes, releases and links', () => {
  let d: DeskTestbed;
  let tech: TestClient;
  let approver: { client: TestClient; id: string };
  let ciId: string;

  before(async () => {
    d = await buildDeskTestbed();
    tech = d.tech.client;
    const a = await loggedInAs(d.t, 'technician', { groups: [d.groupId] });
    approver = { client: a.client, id: a.user.id };
    const ci = await tech.request('POST', '/api/v1/desk/cis', { name: 'mail-01', typeId: 'computer', attributes: { hostname: 'mail-01' } });
    ciId = (await json<{ ci: { id: string } }>(ci)).ci.id;
  });
  after(() => d.close());

  it('links incidents to a problem and flags a known error', async () => {
    const customer = (await buildUser(d.t, { role: 'customer' })).user.id;
    const incident = (await json<{ incident: { id: string } }>(await tech.request('POST', '/api/v1/desk/incidents', { title: 'No mail', category: 'software', impact: 'high', urgency: 'high', requesterId: customer }))).incident;
    const problem = (await json<{ problem: { id: string; ref: string } }>(await tech.request('POST', '/api/v1/desk/problems', { title: 'Mail server crashes' }))).problem;
    assert.match(problem.ref, /^PRB-\d+$/);
    assert.equal((await tech.request('PATCH', `/api/v1/desk/incidents/${incident.id}`, { problemId: problem.id })).status, 200);
    const patched = await json<{ problem: { knownError: boolean; rootCause: string } }>(await tech.request('PATCH', `/api/v1/desk/problems/${problem.id}`, { rootCause: 'Disk full', knownError: true, workaround: 'Restart' }));
    assert.deepEqual([patched.problem.knownError, patched.problem.rootCause], [true, 'Disk full']);
    const detail = await json<{ incidents: { id: string }[]; history: { field: string }[] }>(await tech.request('GET', `/api/v1/desk/problems/${problem.id}`));
    assert.deepEqual(detail.incidents.map((i) => i.id), [incident.id]);
    assert.ok(['rootCause', 'knownError', 'workaround'].every((f) => detail.history.some((h) => h.field === f)));
    const known = await json<{ problems: { id: string }[] }>(await tech.request('GET', '/api/v1/desk/problems?knownError=true'));
    assert.deepEqual(known.problems.map((p) => p.id), [problem.id]);

    const link = await tech.request('POST', '/api/v1/desk/links', { fromType: 'problem', fromId: problem.id, toType: 'ci', toId: ciId });
    assert.equal(link.status, 201);
    assert.equal((await tech.request('POST', '/api/v1/desk/links', { fromType: 'ci', fromId: ciId, toType: 'problem', toId: problem.id })).status, 409);
    const ciLinks = await json<{ links: { type: string; targetId: string }[] }>(await tech.request('GET', `/api/v1/desk/links?type=ci&id=${ciId}`));
    assert.deepEqual(ciLinks.links.map((l) => [l.type, l.targetId]), [['problem', problem.id]]);
    assert.equal((await tech.request('POST', '/api/v1/desk/links', { fromType: 'ci', fromId: ciId, toType: 'change', toId: '00000000-0000-4000-8000-000000000001' })).status, 400);
  });

  it('allows implementation only after every approver approved', async () => {
    const created = await tech.request('POST', '/api/v1/desk/changes', { title: 'Replace disk', type: 'normal', risk: 'medium', ciIds: [ciId], plannedStart: d.t.clock.now() + 3_600_000 });
    assert.equal(created.status, 201);
    const change = (await json<{ change: Change }>(created)).change;
    const patch = (body: unknown) => tech.request('PATCH', `/api/v1/desk/changes/${change.id}`, body);
    assert.equal((await json(await patch({ status: 'implementing' }))).reason, 'approval_required');
    assert.equal((await json(await patch({ status: 'pending_approval' }))).reason, 'approval_required', 'no approver yet');
    assert.equal((await patch({ approverIds: [approver.id, d.tech.user.id] })).status, 200);
    assert.equal((await patch({ status: 'pending_approval' })).status, 200);
    assert.equal((await patch({ status: 'approved' })).status, 409, 'approval only through approvals');
    const outsider = (await loggedInAs(d.t, 'technician', { groups: [d.groupId] })).client;
    const refused = await outsider.request('POST', `/api/v1/desk/changes/${change.id}/approvals`, { decision: 'approved' });
    assert.deepEqual([refused.status, (await json(refused)).reason], [403, 'not_approver']);
    const first = await json<{ change: Change }>(await approver.client.request('POST', `/api/v1/desk/changes/${change.id}/approvals`, { decision: 'approved', comment: 'ok' }));
    assert.equal(first.change.status, 'pending_approval');
    assert.equal((await json(await approver.client.request('POST', `/api/v1/desk/changes/${change.id}/approvals`, { decision: 'rejected' }))).reason, 'already_decided');
    assert.equal((await json(await patch({ status: 'implementing' }))).reason, 'approval_required');
    const second = await json<{ change: Change }>(await tech.request('POST', `/api/v1/desk/changes/${change.id}/approvals`, { decision: 'approved' }));
    assert.equal(second.change.status, 'approved');
    for (const status of ['implementing', 'implemented', 'closed']) assert.equal((await patch({ status })).status, 200, status);
    const detail = await json<{ change: Change; history: { field: string }[] }>(await tech.request('GET', `/api/v1/desk/changes/${change.id}`));
    assert.deepEqual(detail.change.ciIds, [ciId]);
    assert.equal(detail.history.filter((h) => h.field === 'approval').length, 2);
  });

  it('rejection stops a change; standard changes are pre-approved', async () => {
    const normal = (await json<{ change: Change }>(await tech.request('POST', '/api/v1/desk/changes', { title: 'Risky', type: 'emergency', risk: 'high', approverIds: [approver.id] }))).change;
    await tech.request('PATCH', `/api/v1/desk/changes/${normal.id}`, { status: 'pending_approval' });
    const rejected = await json<{ change: Change }>(await approver.client.request('POST', `/api/v1/desk/changes/${normal.id}/approvals`, { decision: 'rejected', comment: 'no' }));
    assert.equal(rejected.change.status, 'rejected');
    assert.equal((await tech.request('PATCH', `/api/v1/desk/changes/${normal.id}`, { status: 'implementing' })).status, 409);
    assert.equal((await tech.request('POST', '/api/v1/desk/changes', { title: 'Backwards', type: 'normal', risk: 'low', plannedStart: 2000, plannedEnd: 1000 })).status, 400);
    assert.equal((await tech.request('PATCH', `/api/v1/desk/changes/${normal.id}`, { plannedStart: 5000, plannedEnd: 4000 })).status, 400);
    const standard = (await json<{ change: Change }>(await tech.request('POST', '/api/v1/desk/changes', { title: 'Password reset', type: 'standard', risk: 'low' }))).change;
    assert.equal((await tech.request('PATCH', `/api/v1/desk/changes/${standard.id}`, { status: 'implementing' })).status, 200);
  });

  it('groups changes in a release with an enforced status', async () => {
    const a = (await json<{ change: Change }>(await tech.request('POST', '/api/v1/desk/changes', { title: 'A', type: 'standard', risk: 'low' }))).change;
    const b = (await json<{ change: Change }>(await tech.request('POST', '/api/v1/desk/changes', { title: 'B', type: 'standard', risk: 'low' }))).change;
    const release = (await json<{ release: { id: string; changeIds: string[] } }>(await tech.request('POST', '/api/v1/desk/releases', { name: 'Q4 rollout', version: '1.2', changeIds: [a.id, b.id] }))).release;
    assert.deepEqual(release.changeIds.sort(), [a.id, b.id].sort());
    assert.equal((await json<{ change: Change }>(await tech.request('GET', `/api/v1/desk/changes/${a.id}`))).change.releaseId, release.id);
    assert.equal((await tech.request('PATCH', `/api/v1/desk/releases/${release.id}`, { status: 'deployed' })).status, 409);
    assert.equal((await tech.request('PATCH', `/api/v1/desk/releases/${release.id}`, { status: 'in_progress', changeIds: [a.id] })).status, 200);
    const detail = await json<{ release: { status: string }; changes: Change[] }>(await tech.request('GET', `/api/v1/desk/releases/${release.id}`));
    assert.deepEqual([detail.release.status, detail.changes.map((ch) => ch.id)], ['in_progress', [a.id]]);
  });
});

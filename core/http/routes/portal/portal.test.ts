import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startSmtpSink, type SmtpSink } from '../../../mail/smtp-sink.js';
import { loggedInAs, TestClient } from '../../../testing/appliance.js';
import { buildDeskTestbed, json, type DeskTestbed } from '../desk/testing.js';

const SECRET = 'INTERNAL-ONLY-7f3a';
const png = Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), Buffer.alloc(16, 7)]).toString('base64');

describe('self-service portal', () => {
  let d: DeskTestbed;
  let sink: SmtpSink;
  let ann: TestClient;
  let bob: TestClient;
  let tech: TestClient;
  let incidentId: string;
  let internalAttachmentId: string;
  let publicAttachmentId: string;

  before(async () => {
    sink = await startSmtpSink();
    d = await buildDeskTestbed({ SMTP_HOST: '127.0.0.1', SMTP_PORT: String(sink.port), SMTP_SECURITY: 'none', SMTP_FROM: 'desk@example.test' });
    tech = d.tech.client;
    ann = (await loggedInAs(d.t, 'customer')).client;
    bob = (await loggedInAs(d.t, 'customer')).client;
    const created = await ann.request('POST', '/api/v1/portal/incidents', { title: 'Laptop will not boot', description: 'Black screen', category: 'hardware', urgency: 'high' });
    assert.equal(created.status, 201);
    incidentId = (await json<{ incident: { id: string } }>(created)).incident.id;
    // Staff work on it: a public answer, an internal note, internal fields and an internal file.
    await tech.request('PATCH', `/api/v1/desk/incidents/${incidentId}`, { assigneeId: d.tech.user.id, groupId: d.groupId });
    assert.equal((await tech.request('POST', `/api/v1/desk/incidents/${incidentId}/comments`, { body: 'We are on it', visibility: 'public' })).status, 201);
    assert.equal((await tech.request('POST', `/api/v1/desk/incidents/${incidentId}/comments`, { body: `${SECRET} customer is difficult`, visibility: 'internal' })).status, 201);
    const internal = await tech.request('POST', `/api/v1/desk/incidents/${incidentId}/attachments`, { filename: `${SECRET}.png`, contentType: 'image/png', dataBase64: png, visibility: 'internal' });
    internalAttachmentId = (await json<{ attachment: { id: string } }>(internal)).attachment.id;
    const pub = await tech.request('POST', `/api/v1/desk/incidents/${incidentId}/attachments`, { filename: 'howto.png', contentType: 'image/png', dataBase64: png, visibility: 'public' });
    publicAttachmentId = (await json<{ attachment: { id: string } }>(pub)).attachment.id;
  });
  after(async () => {
    await d.close();
    await sink.close();
  });

  it('shows the requester public comments and attachments, never internal ones or internal fields', async () => {
    const res = await ann.request('GET', `/api/v1/portal/incidents/${incidentId}`);
    assert.equal(res.status, 200);
    const text = await res.clone().text();
    assert.ok(!text.includes(SECRET), 'internal note or file leaked');
    const body = await json<{ incident: Record<string, unknown>; comments: { body: string }[]; attachments: { id: string }[] }>(res);
    assert.deepEqual(body.comments.map((c) => c.body), ['We are on it']);
    assert.deepEqual(body.attachments.map((a) => a.id), [publicAttachmentId]);
    assert.deepEqual(Object.keys(body.incident).sort(), ['category', 'closedAt', 'createdAt', 'description', 'id', 'impact', 'mine', 'priority', 'ref', 'resolution', 'resolvedAt', 'status', 'title', 'updatedAt', 'urgency']);
    for (const key of ['assignee', 'groupId', 'sla', 'problemId', 'requester']) assert.ok(!(key in body.incident), key);
    const list = await ann.request('GET', '/api/v1/portal/incidents');
    assert.ok(!(await list.text()).includes(SECRET));
    assert.equal((await ann.request('GET', `/api/v1/portal/incidents/${incidentId}/attachments/${internalAttachmentId}`)).status, 404);
    assert.equal((await ann.request('GET', `/api/v1/portal/incidents/${incidentId}/attachments/${publicAttachmentId}`)).status, 200);
  });

  it('answers 404 for another customer\'s ticket on every portal route, and audits it', async () => {
    const base = `/api/v1/portal/incidents/${incidentId}`;
    assert.equal((await bob.request('GET', base)).status, 404);
    assert.equal((await bob.request('POST', `${base}/comments`, { body: 'hi' })).status, 404);
    assert.equal((await bob.request('POST', `${base}/attachments`, { filename: 'a.png', contentType: 'image/png', dataBase64: png })).status, 404);
    assert.equal((await bob.request('GET', `${base}/attachments/${publicAttachmentId}`)).status, 404);
    assert.equal((await bob.request('POST', `${base}/reopen`, {})).status, 404);
    const missing = await bob.request('GET', '/api/v1/portal/incidents/00000000-0000-4000-8000-000000000000');
    assert.deepEqual(await json(missing), await json(await bob.request('GET', base)), 'foreign and missing look the same');
    assert.deepEqual((await json<{ incidents: unknown[] }>(await bob.request('GET', '/api/v1/portal/incidents'))).incidents, []);
    const denied = await d.t.services.db.selectFrom('audit_log').select('outcome').where('action', '=', 'portal.incident').where('target_id', '=', incidentId).execute();
    assert.ok(denied.length >= 5 && denied.every((r) => r.outcome === 'denied'));
  });

  it('refuses staff routes to customers and portal routes to staff', async () => {
    assert.equal((await ann.request('GET', `/api/v1/desk/incidents/${incidentId}`)).status, 403);
    assert.equal((await ann.request('GET', `/api/v1/desk/incidents/${incidentId}/history`)).status, 403);
    assert.equal((await tech.request('GET', `/api/v1/portal/incidents/${incidentId}`)).status, 403);
  });

  it('lets the customer comment (public, back in progress), attach and reopen a resolved ticket', async () => {
    await tech.request('PATCH', `/api/v1/desk/incidents/${incidentId}`, { status: 'waiting_on_customer' });
    const comment = await ann.request('POST', `/api/v1/portal/incidents/${incidentId}/comments`, { body: 'Still black', visibility: 'internal' });
    assert.equal(comment.status, 400, 'a customer cannot choose visibility');
    assert.equal((await ann.request('POST', `/api/v1/portal/incidents/${incidentId}/comments`, { body: 'Still black' })).status, 201);
    const staffView = await json<{ incident: { status: string }; comments: { body: string; visibility: string }[] }>(await tech.request('GET', `/api/v1/desk/incidents/${incidentId}`));
    assert.equal(staffView.incident.status, 'in_progress');
    assert.equal(staffView.comments.find((c) => c.body === 'Still black')!.visibility, 'public');
    assert.equal((await ann.request('POST', `/api/v1/portal/incidents/${incidentId}/attachments`, { filename: 'photo.png', contentType: 'image/png', dataBase64: png })).status, 201);
    assert.equal((await ann.request('POST', `/api/v1/portal/incidents/${incidentId}/reopen`, {})).status, 409);
    await tech.request('PATCH', `/api/v1/desk/incidents/${incidentId}`, { status: 'resolved', resolution: 'Replaced the display cable' });
    const reopened = await json<{ incident: { status: string } }>(await ann.request('POST', `/api/v1/portal/incidents/${incidentId}/reopen`, { reason: 'broken again' }));
    assert.equal(reopened.incident.status, 'assigned');
  });

  it('gives customer accounts the same password policy and lockout as staff', async () => {
    const admin = (await loggedInAs(d.t, 'network_admin')).client;
    const weak = await admin.request('POST', '/api/v1/users', { email: 'carl@example.test', password: 'password', role: 'customer', displayName: 'Carl' });
    assert.deepEqual([weak.status, (await json(weak)).error], [400, 'weak_password']);
    const created = await admin.request('POST', '/api/v1/users', { email: 'carl@example.test', password: 'Portal-user-2026', role: 'customer', displayName: 'Carl' });
    assert.equal(created.status, 201, await created.clone().text());
    const carl = new TestClient(d.t);
    for (let i = 0; i < 5; i += 1) assert.equal((await carl.login('carl@example.test', 'wrong-password-1')).status, 401);
    assert.equal((await carl.login('carl@example.test', 'Portal-user-2026')).status, 429, 'locked');
    d.t.clock.advance(6 * 60_000);
    assert.equal((await carl.login('carl@example.test', 'Portal-user-2026')).status, 200);
    assert.equal((await carl.request('GET', '/api/v1/portal/incidents')).status, 200);
  });

  it('mails the requester on creation, public updates and resolution, never internal notes', async () => {
    const mails = await sink.waitFor(5);
    const annEmail = (await d.t.services.db.selectFrom('desk_incidents').innerJoin('users', 'users.id', 'desk_incidents.requester_id').select('users.email').where('desk_incidents.id', '=', incidentId).executeTakeFirstOrThrow()).email;
    const subjects = mails.filter((m) => m.to.includes(annEmail)).map((m) => /^Subject: (.*)$/m.exec(m.raw)?.[1] ?? '');
    assert.ok(subjects.some((s) => s.includes('received')), subjects.join(' | '));
    assert.ok(subjects.some((s) => s.includes('new reply')), subjects.join(' | '));
    assert.ok(subjects.some((s) => s.includes('resolved')), subjects.join(' | '));
    assert.ok(mails.every((m) => !m.raw.includes(SECRET)));
    // The assignment mail went to someone else than the requester: the technician, when assigned by another.
    const other = (await loggedInAs(d.t, 'technician', { groups: [d.groupId] })).user;
    const before = sink.received.length;
    await tech.request('PATCH', `/api/v1/desk/incidents/${incidentId}`, { assigneeId: other.id });
    const after = await sink.waitFor(before + 1);
    assert.ok(after.some((m) => m.to.includes(other.email) && /assigned to you/.test(m.raw)));
    // The technician heard about the customer's reply and reopen earlier.
    assert.ok(after.some((m) => m.to.includes(d.tech.user.email) && /customer replied/.test(m.raw) && /Still black/.test(m.raw)));
    assert.ok(after.some((m) => m.to.includes(d.tech.user.email) && /reopened/.test(m.raw)));
  });

  it('limits portal writes per account and hour', async () => {
    const { client } = await loggedInAs(d.t, 'customer');
    const id = (await json<{ incident: { id: string } }>(await client.request('POST', '/api/v1/portal/incidents', { title: 'Spam?', category: 'other' }))).incident.id;
    for (let i = 1; i < 60; i += 1) assert.equal((await client.request('POST', `/api/v1/portal/incidents/${id}/comments`, { body: `n${i}` })).status, 201);
    const limited = await client.request('POST', `/api/v1/portal/incidents/${id}/comments`, { body: 'one more' });
    assert.equal(limited.status, 429);
    assert.ok(Number(limited.headers.get('retry-after')) > 0);
    assert.equal((await ann.request('POST', `/api/v1/portal/incidents/${incidentId}/comments`, { body: 'others unaffected' })).status, 201);
    d.t.clock.advance(3_600_000);
    assert.equal((await client.request('POST', `/api/v1/portal/incidents/${id}/comments`, { body: 'later' })).status, 201);
  });
});

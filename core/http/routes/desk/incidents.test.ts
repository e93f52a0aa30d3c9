import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { buildUser, loggedInAs, type TestClient } from '../../../testing/appliance.js';
import { buildDeskTestbed, json, type DeskTestbed } from './testing.js';

type Incident = { id: string; ref: string; status: string; priority: number; assignee: { id: string } | null; sla: Record<string, number | boolean | null> };
const MIN = 60_000;

describe('desk incidents', () => {
  let d: DeskTestbed;
  let tech: TestClient;
  let customerId: string;

  before(async () => {
    d = await buildDeskTestbed();
    tech = d.tech.client;
    customerId = (await buildUser(d.t, { role: 'customer' })).user.id;
  });
  after(() => d.close());

  const create = async (fields: Record<string, unknown> = {}) => {
    const res = await tech.request('POST', '/api/v1/desk/incidents', { title: 'Printer offline', description: 'Paper jam', category: 'hardware', impact: 'medium', urgency: 'high', requesterId: customerId, ...fields });
    assert.equal(res.status, 201, await res.clone().text());
    return (await json<{ incident: Incident }>(res)).incident;
  };

  it('computes priority from the matrix and SLA due times from the clock', async () => {
    const start = d.t.clock.now();
    const incident = await create();
    assert.equal(incident.priority, 2);
    assert.match(incident.ref, /^INC-\d+$/);
    assert.equal(incident.status, 'new');
    assert.equal(incident.sla.responseDueAt, start + 60 * MIN);
    assert.equal(incident.sla.resolutionDueAt, start + 480 * MIN);
    assert.equal(incident.sla.responseLeftMs, 60 * MIN);
    assert.equal(incident.sla.responseBreached, false);

    d.t.clock.advance(61 * MIN);
    const late = (await json<{ incident: Incident }>(await tech.request('GET', `/api/v1/desk/incidents/${incident.id}`))).incident;
    assert.equal(late.sla.responseLeftMs, -MIN);
    assert.equal(late.sla.responseBreached, true);
    assert.equal(late.sla.resolutionBreached, false);
    const breached = await json<{ incidents: Incident[] }>(await tech.request('GET', '/api/v1/desk/incidents?breached=true'));
    assert.ok(breached.incidents.some((i) => i.id === incident.id));

    // Responding late stops the response clock but keeps the breach.
    await tech.request('POST', `/api/v1/desk/incidents/${incident.id}/comments`, { body: 'Looking into it', visibility: 'public' });
    const responded = (await json<{ incident: Incident }>(await tech.request('GET', `/api/v1/desk/incidents/${incident.id}`))).incident;
    assert.equal(responded.sla.responseLeftMs, null);
    assert.equal(responded.sla.respondedAt, start + 61 * MIN);
    assert.equal(responded.sla.responseBreached, true);
  });

  it('uses a changed matrix and SLA targets', async () => {
    const settings = (await json<{ settings: any }>(await tech.request('GET', '/api/v1/desk/settings'))).settings;
    settings.priorityMatrix.medium.high = 1;
    settings.sla['1'] = { responseMinutes: 5, resolutionMinutes: 30 };
    const admin = (await loggedInAs(d.t, 'network_admin')).client;
    assert.equal((await tech.request('PUT', '/api/v1/desk/settings', settings)).status, 403);
    assert.equal((await admin.request('PUT', '/api/v1/desk/settings', settings)).status, 200);
    const start = d.t.clock.now();
    const incident = await create();
    assert.equal(incident.priority, 1);
    assert.equal(incident.sla.resolutionDueAt, start + 30 * MIN);
    settings.sla['2'] = { responseMinutes: 100, resolutionMinutes: 50 };
    assert.equal((await admin.request('PUT', '/api/v1/desk/settings', settings)).status, 400);
    settings.priorityMatrix.medium.high = 2;
    settings.sla['1'] = { responseMinutes: 15, resolutionMinutes: 240 };
    settings.sla['2'] = { responseMinutes: 60, resolutionMinutes: 480 };
    assert.equal((await admin.request('PUT', '/api/v1/desk/settings', settings)).status, 200);
  });

  it('enforces the status workflow and reopens', async () => {
    const incident = await create();
    const patch = (body: unknown) => tech.request('PATCH', `/api/v1/desk/incidents/${incident.id}`, body);
    const refused = await patch({ status: 'waiting_on_customer' });
    assert.equal(refused.status, 409);
    assert.deepEqual(await json(refused).then((b) => [b.reason, b.from, b.to]), ['invalid_transition', 'new', 'waiting_on_customer']);

    const assigned = await json<{ incident: Incident }>(await patch({ assigneeId: d.tech.user.id, groupId: d.groupId }));
    assert.equal(assigned.incident.status, 'assigned');
    assert.ok(assigned.incident.sla.respondedAt);
    for (const status of ['in_progress', 'waiting_on_customer', 'in_progress', 'resolved']) assert.equal((await patch({ status })).status, 200, status);
    assert.equal((await patch({ status: 'in_progress' })).status, 409);
    d.t.clock.advance(10 * MIN);
    const reopened = await json<{ incident: Incident }>(await tech.request('POST', `/api/v1/desk/incidents/${incident.id}/reopen`, { reason: 'still broken' }));
    assert.equal(reopened.incident.status, 'assigned');
    assert.equal(reopened.incident.sla.resolvedAt, null);
    assert.equal(reopened.incident.sla.resolutionDueAt, d.t.clock.now() + 480 * MIN);
    assert.equal((await tech.request('POST', `/api/v1/desk/incidents/${incident.id}/reopen`, {})).status, 409);
    assert.equal((await patch({ assigneeId: customerId })).status, 400);
    const unassigned = await json<{ incident: Incident }>(await patch({ assigneeId: null }));
    assert.deepEqual([unassigned.incident.status, unassigned.incident.assignee], ['new', null]);
  });

  it('stops the resolution clock while waiting on the customer', async () => {
    const incident = await create({ assigneeId: d.tech.user.id });
    const due = incident.sla.resolutionDueAt as number;
    const patch = (status: string) => tech.request('PATCH', `/api/v1/desk/incidents/${incident.id}`, { status });
    await patch('in_progress');
    await patch('waiting_on_customer');
    d.t.clock.advance(120 * MIN);
    const paused = (await json<{ incident: Incident }>(await tech.request('GET', `/api/v1/desk/incidents/${incident.id}`))).incident;
    assert.deepEqual([paused.sla.paused, paused.sla.resolutionDueAt], [true, due + 120 * MIN]);
    await patch('in_progress');
    d.t.clock.advance(10 * MIN);
    const running = (await json<{ incident: Incident }>(await tech.request('GET', `/api/v1/desk/incidents/${incident.id}`))).incident;
    assert.deepEqual([running.sla.paused, running.sla.resolutionDueAt], [false, due + 120 * MIN]);
  });

  it('keeps the full history: who, when, field, old, new', async () => {
    const incident = await create();
    d.t.clock.advance(MIN);
    await tech.request('PATCH', `/api/v1/desk/incidents/${incident.id}`, { urgency: 'low', title: 'Printer offline (floor 2)' });
    const { history } = await json<{ history: { field: string; oldValue: string; newValue: string; at: number; actor: { id: string } }[] }>(
      await tech.request('GET', `/api/v1/desk/incidents/${incident.id}/history`));
    const byField = Object.fromEntries(history.map((h) => [h.field, h]));
    assert.equal(byField.created!.actor.id, d.tech.user.id);
    assert.deepEqual([byField.urgency!.oldValue, byField.urgency!.newValue], ['high', 'low']);
    assert.deepEqual([byField.priority!.oldValue, byField.priority!.newValue], ['2', '4']);
    assert.equal(byField.title!.newValue, 'Printer offline (floor 2)');
    assert.equal(byField.urgency!.at, d.t.clock.now());
  });

  it('searches full text over title, description and comments; filters and bulk-assigns', async () => {
    const a = await create({ title: 'VPN drops every hour', description: 'Kündigung der Verbindung' });
    const b = await create({ title: 'Mail quota', description: 'mailbox full' });
    await tech.request('POST', `/api/v1/desk/incidents/${b.id}/comments`, { body: 'Exchange archive policy', visibility: 'internal' });
    const search = async (q: string) => (await json<{ incidents: Incident[] }>(await tech.request('GET', `/api/v1/desk/incidents?q=${encodeURIComponent(q)}`))).incidents.map((i) => i.id);
    assert.deepEqual(await search('vpn'), [a.id]);
    assert.deepEqual(await search('kundigung'), [a.id]);
    assert.deepEqual(await search('archive'), [b.id]);
    assert.deepEqual(await search('"); DROP TABLE desk_incidents; --'), []);
    const bulk = await json<{ updated: string[]; failed: { id: string; error: string }[] }>(
      await tech.request('POST', '/api/v1/desk/incidents/bulk', { ids: [a.id, b.id, '00000000-0000-4000-8000-000000000009'], assigneeId: d.tech.user.id, groupId: d.groupId }));
    assert.deepEqual(bulk.updated.sort(), [a.id, b.id].sort());
    assert.deepEqual(bulk.failed, [{ id: '00000000-0000-4000-8000-000000000009', error: 'not_found' }]);
    const mine = await json<{ incidents: Incident[]; total: number }>(await tech.request('GET', `/api/v1/desk/incidents?assigneeId=me&status=assigned&groupId=${d.groupId}`));
    assert.ok(mine.incidents.every((i) => i.status === 'assigned' && i.assignee?.id === d.tech.user.id));
    assert.ok(mine.total >= 2);
    const queues = await json<{ queues: { groupId: string | null; open: number }[] }>(await tech.request('GET', '/api/v1/desk/queues'));
    assert.ok(queues.queues.find((q) => q.groupId === d.groupId)!.open >= 2);
    const closed = await json<{ failed: { reason: string }[] }>(await tech.request('POST', '/api/v1/desk/incidents/bulk', { ids: [a.id], status: 'waiting_on_customer' }));
    assert.deepEqual(closed.failed, []);
  });

  it('stores attachments as files outside the rows, checks size and type', async () => {
    const incident = await create();
    const png = Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), Buffer.alloc(100, 1)]);
    const res = await tech.request('POST', `/api/v1/desk/incidents/${incident.id}/attachments`, { filename: '../../etc/screen.png', contentType: 'image/png', dataBase64: png.toString('base64'), visibility: 'internal' });
    assert.equal(res.status, 201);
    const { attachment } = await json<{ attachment: { id: string; filename: string; size: number } }>(res);
    assert.equal(attachment.filename, 'screen.png');
    const file = join(d.dataDir, 'desk-attachments', attachment.id);
    assert.ok(existsSync(file));
    assert.deepEqual(readFileSync(file), png);
    const row = await d.t.services.db.selectFrom('desk_attachments').selectAll().where('id', '=', attachment.id).executeTakeFirstOrThrow();
    assert.ok(!Object.values(row).some((v) => typeof v === 'string' && v.length > 200), 'no file content in the row');
    const download = await tech.request('GET', `/api/v1/desk/incidents/${incident.id}/attachments/${attachment.id}`);
    assert.equal(download.status, 200);
    assert.equal(download.headers.get('content-type'), 'image/png');
    assert.match(download.headers.get('content-disposition')!, /^attachment/);
    assert.equal(download.headers.get('x-content-type-options'), 'nosniff');
    assert.match(download.headers.get('content-security-policy') ?? '', /default-src 'none'|default-src 'self'/);
    assert.deepEqual(Buffer.from(await download.arrayBuffer()), png);

    const html = Buffer.from('<script>alert(1)</script>').toString('base64');
    assert.equal((await tech.request('POST', `/api/v1/desk/incidents/${incident.id}/attachments`, { filename: 'x.png', contentType: 'image/png', dataBase64: html, visibility: 'public' })).status, 415);
    assert.equal((await tech.request('POST', `/api/v1/desk/incidents/${incident.id}/attachments`, { filename: 'x.html', contentType: 'text/html', dataBase64: html, visibility: 'public' })).status, 415);
    const big = Buffer.alloc(5 * 1024 * 1024 + 1, 0x41).toString('base64');
    assert.equal((await tech.request('POST', `/api/v1/desk/incidents/${incident.id}/attachments`, { filename: 'big.txt', contentType: 'text/plain', dataBase64: big, visibility: 'public' })).status, 413);
    assert.equal(readdirSync(join(d.dataDir, 'desk-attachments')).length, 1);
  });

  it('pages and sorts the list', async () => {
    const all = await json<{ incidents: Incident[]; total: number }>(await tech.request('GET', '/api/v1/desk/incidents?limit=200'));
    assert.equal(all.incidents.length, all.total);
    const page = await json<{ incidents: Incident[]; total: number }>(await tech.request('GET', '/api/v1/desk/incidents?limit=2&offset=1'));
    assert.equal(page.total, all.total);
    assert.deepEqual(page.incidents.map((i) => i.id), all.incidents.slice(1, 3).map((i) => i.id));
    const byPriority = await json<{ incidents: Incident[] }>(await tech.request('GET', '/api/v1/desk/incidents?sort=priority&limit=200'));
    const priorities = byPriority.incidents.map((i) => i.priority);
    assert.deepEqual(priorities, [...priorities].sort((a, b) => a - b));
    const byDue = await json<{ incidents: Incident[] }>(await tech.request('GET', '/api/v1/desk/incidents?sort=due&limit=200'));
    const due = byDue.incidents.map((i) => i.sla.resolutionDueAt as number);
    assert.deepEqual(due, [...due].sort((a, b) => a - b));
    assert.equal((await tech.request('GET', '/api/v1/desk/incidents?limit=500')).status, 400);
  });

  it('refuses technicians without the service_desk permission', async () => {
    const plain = (await loggedInAs(d.t, 'technician')).client;
    const res = await plain.request('GET', '/api/v1/desk/incidents');
    assert.equal(res.status, 403);
    assert.equal((await json(res)).reason, 'service_desk_permission');
  });
});

import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { loggedInAs, type TestClient } from '../../../testing/appliance.js';
import { buildDeskTestbed, json, type DeskTestbed } from '../desk/testing.js';

describe('portal: organisation ticket sharing', () => {
  let d: DeskTestbed;
  let admin: TestClient;
  const people: Record<string, { client: TestClient; id: string }> = {};
  let annTicket: string;

  before(async () => {
    d = await buildDeskTestbed();
    admin = (await loggedInAs(d.t, 'network_admin')).client;
    for (const name of ['ann', 'ben', 'cid']) {
      const { client, user } = await loggedInAs(d.t, 'customer');
      people[name] = { client, id: user.id };
    }
    annTicket = (await json<{ incident: { id: string } }>(await people.ann!.client.request('POST', '/api/v1/portal/incidents', { title: 'Shared printer', category: 'hardware' }))).incident.id;
    await d.tech.client.request('POST', `/api/v1/desk/incidents/${annTicket}/comments`, { body: 'internal detail', visibility: 'internal' });
  });
  after(() => d.close());

  const read = (who: string) => people[who]!.client.request('GET', `/api/v1/portal/incidents/${annTicket}`);

  it('keeps tickets private while the organisation does not share', async () => {
    const org = await admin.request('POST', '/api/v1/desk/organisations', { name: 'ACME', memberIds: [people.ann!.id, people.ben!.id] });
    assert.equal(org.status, 201);
    assert.equal((await read('ben')).status, 404);
    assert.equal((await d.tech.client.request('POST', '/api/v1/desk/organisations', { name: 'Other' })).status, 403, 'admins only');
    assert.equal((await admin.request('POST', '/api/v1/desk/organisations', { name: 'Staff', memberIds: [d.tech.user.id] })).status, 400, 'customers only');
  });

  it('lets members read (not change) each other\'s tickets once sharing is on; others still get 404', async () => {
    const orgs = await json<{ organisations: { id: string; name: string }[] }>(await admin.request('GET', '/api/v1/desk/organisations'));
    const acme = orgs.organisations.find((o) => o.name === 'ACME')!;
    assert.equal((await admin.request('PATCH', `/api/v1/desk/organisations/${acme.id}`, { shareTickets: true })).status, 200);
    const shared = await read('ben');
    assert.equal(shared.status, 200);
    const body = await json<{ incident: { mine: boolean }; comments: unknown[] }>(shared);
    assert.equal(body.incident.mine, false);
    assert.deepEqual(body.comments, [], 'internal notes stay internal');
    const list = await json<{ incidents: { id: string }[] }>(await people.ben!.client.request('GET', '/api/v1/portal/incidents'));
    assert.deepEqual(list.incidents.map((i) => i.id), [annTicket]);
    assert.equal((await people.ben!.client.request('POST', `/api/v1/portal/incidents/${annTicket}/comments`, { body: 'me too' })).status, 404, 'read only');
    assert.equal((await read('cid')).status, 404);
    // Leaving the organisation ends the access.
    await admin.request('PATCH', `/api/v1/desk/organisations/${acme.id}`, { memberIds: [people.ann!.id] });
    assert.equal((await read('ben')).status, 404);
  });
});

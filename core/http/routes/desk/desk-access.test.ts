import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { loggedInAs } from '../../../testing/appliance.js';
import { deskMatrix } from './matrix.js';
import { buildDeskTestbed, json, type DeskTestbed } from './testing.js';

// The authorization matrix's technician has no groups; this checks the other half: a technician
// whose group grants service_desk passes every desk route (except admin-only settings).
const adminOnly = new Set(['PUT /api/v1/desk/settings', 'POST /api/v1/desk/organisations', 'PATCH /api/v1/desk/organisations/:id', 'DELETE /api/v1/desk/organisations/:id']);

describe('service_desk permission', () => {
  let d: DeskTestbed;
  before(async () => {
    d = await buildDeskTestbed();
  });
  after(() => d.close());

  for (const route of Object.keys(deskMatrix).filter((r) => r.includes('/desk/'))) {
    it(route, async () => {
      const [method, pattern] = route.split(' ') as [string, string];
      const path = pattern.replace(/:id/g, '00000000-0000-4000-8000-000000000000');
      const res = await d.tech.client.request(method, path, method === 'GET' || method === 'DELETE' ? undefined : {});
      if (adminOnly.has(route)) assert.equal(res.status, 403);
      else assert.ok(![401, 403].includes(res.status), `${route}: ${res.status} ${JSON.stringify(await json(res))}`);
    });
  }

  it('refuses and audits a technician without the permission, before reading the body', async () => {
    const plain = (await loggedInAs(d.t, 'technician')).client;
    const res = await plain.request('POST', '/api/v1/desk/incidents', 'not json');
    assert.deepEqual([res.status, (await json(res)).reason], [403, 'service_desk_permission']);
    const rows = await d.t.services.db.selectFrom('audit_log').select(['outcome', 'details']).where('action', '=', 'desk.access').execute();
    assert.equal(rows.length, 1);
    assert.equal(rows[0]!.outcome, 'denied');
  });
});

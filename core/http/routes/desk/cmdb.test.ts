import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { TestClient } from '../../../testing/appliance.js';
import { buildDeskTestbed, json, type DeskTestbed } from './testing.js';

type Ci = { id: string; name: string; typeId: string; attributes: Record<string, unknown>; status: string };

describe('CMDB', () => {
  let d: DeskTestbed;
  let tech: TestClient;
  let typeId: string;

  before(async () => {
    d = await buildDeskTestbed();
    tech = d.tech.client;
    const res = await tech.request('POST', '/api/v1/desk/ci-types', {
      name: 'service', attributes: [{ key: 'url', label: 'URL', type: 'string', required: true }, { key: 'port', label: 'Port', type: 'number' }, { key: 'critical', label: 'Critical', type: 'boolean' }],
    });
    assert.equal(res.status, 201);
    typeId = (await json<{ type: { id: string } }>(res)).type.id;
  });
  after(() => d.close());

  const createCi = (body: Record<string, unknown>) => tech.request('POST', '/api/v1/desk/cis', body);

  it('lists the built-in computer type and checks attributes against the type', async () => {
    const types = await json<{ types: { name: string; builtin: boolean }[] }>(await tech.request('GET', '/api/v1/desk/ci-types'));
    assert.ok(types.types.some((t) => t.name === 'computer' && t.builtin));
    assert.equal((await createCi({ name: 'web', typeId, attributes: {} })).status, 400, 'required url');
    assert.equal((await createCi({ name: 'web', typeId, attributes: { url: 'https://x', port: '80' } })).status, 400, 'port is a number');
    assert.equal((await createCi({ name: 'web', typeId, attributes: { url: 'https://x', owner: 'me' } })).status, 400, 'unknown attribute');
    assert.equal((await createCi({ name: 'web', typeId, attributes: { url: 'https://x', port: 443, critical: true } })).status, 201);
    assert.equal((await tech.request('DELETE', '/api/v1/desk/ci-types/computer')).status, 409);
    assert.equal((await tech.request('DELETE', `/api/v1/desk/ci-types/${typeId}`)).status, 409, 'in use');
  });

  it('relates CIs (depends_on, runs_on) and keeps each CI\'s history', async () => {
    const app = (await json<{ ci: Ci }>(await createCi({ name: 'shop', typeId, attributes: { url: 'https://shop' } }))).ci;
    const host = (await json<{ ci: Ci }>(await createCi({ name: 'host-1', typeId: 'computer', attributes: { hostname: 'host-1' } }))).ci;
    const rel = await tech.request('POST', '/api/v1/desk/ci-relations', { fromId: app.id, toId: host.id, kind: 'runs_on' });
    assert.equal(rel.status, 201);
    assert.equal((await tech.request('POST', '/api/v1/desk/ci-relations', { fromId: app.id, toId: host.id, kind: 'runs_on' })).status, 409);
    assert.equal((await tech.request('POST', '/api/v1/desk/ci-relations', { fromId: app.id, toId: app.id, kind: 'depends_on' })).status, 400);
    const detail = await json<{ relations: { kind: string; direction: string; ci: { name: string } }[] }>(await tech.request('GET', `/api/v1/desk/cis/${host.id}`));
    assert.deepEqual(detail.relations.map((r) => [r.kind, r.direction, r.ci.name]), [['runs_on', 'in', 'shop']]);

    await tech.request('PATCH', `/api/v1/desk/cis/${app.id}`, { status: 'inactive', attributes: { port: 8080 } });
    const relationId = (await json<{ relation: { id: string } }>(rel)).relation.id;
    assert.equal((await tech.request('DELETE', `/api/v1/desk/ci-relations/${relationId}`)).status, 204);
    const history = await json<{ history: { field: string; oldValue: string | null; newValue: string | null }[] }>(await tech.request('GET', `/api/v1/desk/cis/${app.id}/history`));
    const fields = history.history.map((h) => [h.field, h.oldValue, h.newValue]);
    assert.deepEqual(fields[0]!.slice(0, 1), ['created']);
    assert.ok(fields.some(([f, o, n]) => f === 'status' && o === 'active' && n === 'inactive'));
    assert.ok(fields.some(([f, o, n]) => f === 'attributes.port' && o === null && n === '8080'));
    assert.ok(fields.some(([f, o, n]) => f === 'relation' && o === null && n!.startsWith('runs_on')));
    assert.ok(fields.some(([f, o, n]) => f === 'relation' && n === null && o!.startsWith('runs_on')));
    const filtered = await json<{ cis: Ci[] }>(await tech.request('GET', `/api/v1/desk/cis?typeId=${typeId}&q=sho`));
    assert.deepEqual(filtered.cis.map((c) => c.name), ['shop']);
  });
});

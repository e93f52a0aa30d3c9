import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { buildTestAppliance, loggedInAs, type TestAppliance, type TestClient } from '../../testing/appliance.js';

describe('CSRF protection', () => {
  let t: TestAppliance;
  let admin: TestClient;
  before(async () => {
    t = await buildTestAppliance();
    admin = (await loggedInAs(t, 'account_admin')).client;
  });
  after(() => t.close());

  const create = (headers: Record<string, string>) => admin.request('POST', '/api/v1/groups', { name: `g${Math.random()}`, permissions: [] }, headers);

  it('refuses a cookie-authenticated change without the token', async () => {
    const token = admin.csrfToken;
    admin.csrfToken = null;
    try {
      const res = await create({});
      assert.equal(res.status, 403);
      assert.equal(((await res.json()) as { error: string }).error, 'csrf_failed');
    } finally {
      admin.csrfToken = token;
    }
  });

  it('refuses a wrong token, and a token of another session', async () => {
    assert.equal((await create({ 'x-csrf-token': 'forged' })).status, 403);
    const other = (await loggedInAs(t, 'account_admin')).client;
    assert.equal((await create({ 'x-csrf-token': other.csrfToken! })).status, 403);
  });

  it('refuses a request from a foreign Origin even with the token', async () => {
    assert.equal((await create({ origin: 'https://evil.example' })).status, 403);
    assert.equal((await create({ origin: 'http://localhost' })).status, 201, 'same host passes');
  });

  it('accepts the right token; GET needs none', async () => {
    assert.equal((await create({})).status, 201);
    const token = admin.csrfToken;
    admin.csrfToken = null;
    assert.equal((await admin.request('GET', '/api/v1/groups')).status, 200);
    admin.csrfToken = token;
  });

  it('refuses a foreign Origin on login (login CSRF)', async () => {
    const res = await t.app.request('/api/v1/auth/login', {
      method: 'POST', headers: { 'content-type': 'application/json', origin: 'https://evil.example' }, body: JSON.stringify({ email: 'a@b.c', password: 'x' }),
    }, { remoteAddress: '127.0.0.1' });
    assert.equal(res.status, 403);
  });
});

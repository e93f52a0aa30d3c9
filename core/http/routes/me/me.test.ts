import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { buildTestAppliance, loggedInAs, TestClient, type TestAppliance } from '../../../testing/appliance.js';

describe('own account: password, sessions, API tokens', () => {
  let t: TestAppliance;
  before(async () => {
    t = await buildTestAppliance({ LOGIN_RATE_LIMIT: '10000', SESSION_IDLE_MINUTES: '30', SESSION_MAX_HOURS: '12' });
  });
  after(() => t.close());

  it('changes the password: needs the current one, applies the policy, ends other sessions only', async () => {
    const { client, user, password } = await loggedInAs(t, 'technician');
    const other = new TestClient(t);
    await other.login(user.email, password);
    assert.equal((await client.request('POST', '/api/v1/me/password', { currentPassword: 'Wrong-pass-1', newPassword: 'Another-pass-99' })).status, 401);
    assert.equal((await client.request('POST', '/api/v1/me/password', { currentPassword: password, newPassword: 'weak' })).status, 400);
    assert.equal((await client.request('POST', '/api/v1/me/password', { currentPassword: password, newPassword: 'Another-pass-99' })).status, 204);
    assert.equal((await client.request('GET', '/api/v1/me')).status, 200, 'own session survives');
    assert.equal((await other.request('GET', '/api/v1/me')).status, 401, 'other sessions end');
    assert.equal((await new TestClient(t).login(user.email, 'Another-pass-99')).status, 200);
  });

  it('logout ends the session; logout-all ends every session', async () => {
    const { client, user, password } = await loggedInAs(t, 'customer');
    const second = new TestClient(t);
    await second.login(user.email, password);
    assert.equal((await client.request('POST', '/api/v1/auth/logout')).status, 204);
    assert.equal((await client.request('GET', '/api/v1/me')).status, 401);
    assert.equal((await second.request('GET', '/api/v1/me')).status, 200);
    const third = new TestClient(t);
    await third.login(user.email, password);
    assert.equal((await third.request('POST', '/api/v1/auth/logout-all')).status, 204);
    assert.equal((await second.request('GET', '/api/v1/me')).status, 401);
    assert.equal((await third.request('GET', '/api/v1/me')).status, 401);
  });

  it('expires a session after the idle time and after the absolute lifetime', async () => {
    const { client } = await loggedInAs(t, 'technician');
    t.clock.advance(29 * 60_000);
    assert.equal((await client.request('GET', '/api/v1/me')).status, 200);
    t.clock.advance(31 * 60_000);
    assert.equal((await client.request('GET', '/api/v1/me')).status, 401, 'idle for 31 minutes');

    const busy = (await loggedInAs(t, 'technician')).client;
    for (let hour = 0; hour < 12; hour += 1) {
      t.clock.advance(20 * 60_000);
      assert.equal((await busy.request('GET', '/api/v1/me')).status, 200);
      t.clock.advance(20 * 60_000);
      assert.equal((await busy.request('GET', '/api/v1/me')).status, 200);
      t.clock.advance(20 * 60_000);
      const res = await busy.request('GET', '/api/v1/me');
      if (hour === 11) assert.equal(res.status, 401, 'absolute expiry after 12 hours even when active');
    }
  });

  it('creates, uses, lists and revokes personal API tokens; only hashes are stored', async () => {
    const { client, user } = await loggedInAs(t, 'network_admin');
    const created = await client.request('POST', '/api/v1/me/tokens', { name: 'backup script', expiresInDays: 30 });
    assert.equal(created.status, 201);
    const { token, secret } = (await created.json()) as { token: { id: string }; secret: string };
    assert.match(secret, /^rbt_/);
    const stored = await t.services.db.selectFrom('api_tokens').selectAll().execute();
    assert.ok(stored.every((row) => row.token_hash !== secret && !row.token_hash.includes(secret)));

    const script = new TestClient(t);
    script.bearer = secret;
    const me = (await (await script.request('GET', '/api/v1/me')).json()) as { user: { id: string } };
    assert.equal(me.user.id, user.id);
    assert.equal((await script.request('POST', '/api/v1/groups', { name: 'By script', permissions: [] })).status, 201, 'no CSRF token needed with Bearer');

    const list = (await (await client.request('GET', '/api/v1/me/tokens')).json()) as { tokens: { id: string; name: string }[] };
    assert.deepEqual(list.tokens.map((x) => x.name), ['backup script']);
    assert.doesNotMatch(JSON.stringify(list), /rbt_/);

    assert.equal((await client.request('DELETE', `/api/v1/me/tokens/${token.id}`)).status, 204);
    assert.equal((await script.request('GET', '/api/v1/me')).status, 401);
    assert.equal((await client.request('DELETE', `/api/v1/me/tokens/${token.id}`)).status, 404);
  });

  it('refuses expired, unknown and malformed bearer tokens', async () => {
    const { client } = await loggedInAs(t, 'technician');
    const { secret } = (await (await client.request('POST', '/api/v1/me/tokens', { name: 'short', expiresInDays: 1 })).json()) as { secret: string };
    const script = new TestClient(t);
    script.bearer = secret;
    assert.equal((await script.request('GET', '/api/v1/me')).status, 200);
    t.clock.advance(86_400_000 + 1);
    assert.equal((await script.request('GET', '/api/v1/me')).status, 401);
    script.bearer = 'rbt_made-up';
    assert.equal((await script.request('GET', '/api/v1/me')).status, 401);
    const raw = await t.app.request('/api/v1/me', { headers: { authorization: 'Basic abc' } }, { remoteAddress: '127.0.0.1' });
    assert.equal(raw.status, 401);
  });

  it('a token stops working when its owner is disabled', async () => {
    const admin = (await loggedInAs(t, 'account_admin')).client;
    const { client, user } = await loggedInAs(t, 'technician');
    const { secret } = (await (await client.request('POST', '/api/v1/me/tokens', { name: 'x' })).json()) as { secret: string };
    await admin.request('PATCH', `/api/v1/users/${user.id}`, { enabled: false });
    const script = new TestClient(t);
    script.bearer = secret;
    assert.equal((await script.request('GET', '/api/v1/me')).status, 401);
  });
});

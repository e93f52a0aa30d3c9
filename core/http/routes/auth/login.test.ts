import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { buildTestAppliance, buildUser, TestClient, type TestAppliance } from '../../../testing/appliance.js';

describe('login', () => {
  let t: TestAppliance;
  before(async () => {
    t = await buildTestAppliance();
  });
  after(() => t.close());

  it('logs in with the right password and sets a hardened cookie', async () => {
    const { user, password } = await buildUser(t);
    const client = new TestClient(t);
    const res = await client.login(user.email.toUpperCase(), password);
    assert.equal(res.status, 200);
    const body = (await res.json()) as { user: { email: string }; csrfToken: string };
    assert.equal(body.user.email, user.email);
    assert.ok(body.csrfToken.length > 20);
    const cookie = res.headers.get('set-cookie') ?? '';
    assert.match(cookie, /HttpOnly/);
    assert.match(cookie, /SameSite=Strict/);
    const me = await client.request('GET', '/api/v1/me');
    assert.equal(me.status, 200);
  });

  it('answers a wrong password and an unknown e-mail identically', async () => {
    const { user } = await buildUser(t);
    const wrong = await new TestClient(t, '10.0.0.1').login(user.email, 'Wrong-password-1');
    const unknown = await new TestClient(t, '10.0.0.2').login('nobody@example.test', 'Wrong-password-1');
    assert.equal(wrong.status, 401);
    assert.equal(unknown.status, 401);
    assert.deepEqual(await wrong.json(), await unknown.json());
  });

  it('locks after 5 failures, refuses the right password while locked, and opens after 5 minutes', async () => {
    const { user, password } = await buildUser(t);
    const client = new TestClient(t, '10.0.1.1');
    for (let i = 0; i < 5; i += 1) assert.equal((await client.login(user.email, `Wrong-${i}-password`)).status, 401);
    const locked = await client.login(user.email, password);
    assert.equal(locked.status, 429);
    assert.equal(((await locked.json()) as { error: string }).error, 'locked');
    assert.ok(Number(locked.headers.get('retry-after')) > 0);
    t.clock.advance(4 * 60_000);
    assert.equal((await client.login(user.email, password)).status, 429);
    t.clock.advance(61_000);
    assert.equal((await client.login(user.email, password)).status, 200);
  });

  it('locks unknown e-mails the same way, so locking reveals nothing', async () => {
    const client = new TestClient(t, '10.0.2.1');
    for (let i = 0; i < 5; i += 1) assert.equal((await client.login('ghost@example.test', `Wrong-${i}-password`)).status, 401);
    const res = await client.login('ghost@example.test', 'Anything-123');
    assert.equal(res.status, 429);
    assert.equal(((await res.json()) as { error: string }).error, 'locked');
  });

  it('resets the failure count after a successful login', async () => {
    const { user, password } = await buildUser(t);
    const client = new TestClient(t, '10.0.3.1');
    for (let i = 0; i < 4; i += 1) await client.login(user.email, `Wrong-${i}-password`);
    assert.equal((await client.login(user.email, password)).status, 200);
    for (let i = 0; i < 4; i += 1) assert.equal((await client.login(user.email, `Wrong-${i}-password`)).status, 401);
    assert.equal((await client.login(user.email, password)).status, 200);
  });

  it('refuses disabled accounts with the same answer as a wrong password', async () => {
    const { user, password } = await buildUser(t, { enabled: false });
    const res = await new TestClient(t, '10.0.4.1').login(user.email, password);
    assert.equal(res.status, 401);
    assert.equal(((await res.json()) as { error: string }).error, 'invalid_credentials');
  });

  it('rate limits login attempts per client IP', async () => {
    const limited = await buildTestAppliance({ LOGIN_RATE_LIMIT: '3' });
    try {
      const client = new TestClient(limited, '10.9.9.9');
      for (let i = 0; i < 3; i += 1) assert.equal((await client.login(`a${i}@example.test`, 'Wrong-pass-1')).status, 401);
      const res = await client.login('a9@example.test', 'Wrong-pass-1');
      assert.equal(res.status, 429);
      assert.equal(((await res.json()) as { error: string }).error, 'rate_limited');
      assert.equal((await new TestClient(limited, '10.9.9.10').login('b@example.test', 'Wrong-pass-1')).status, 401);
    } finally {
      await limited.close();
    }
  });

  it('audits success, failure and lockout', async () => {
    const rows = await t.services.db.selectFrom('audit_log').select(['action', 'outcome']).execute();
    const seen = new Set(rows.map((r) => `${r.action}:${r.outcome}`));
    for (const expected of ['auth.login:success', 'auth.login:failure', 'auth.locked:info', 'auth.login:denied', 'policy.technicianLogin:allow']) {
      assert.ok(seen.has(expected), `missing audit ${expected}`);
    }
  });

  it('refuses malformed bodies with a clear error', async () => {
    const client = new TestClient(t);
    const res = await client.request('POST', '/api/v1/auth/login', '{"email": 5}');
    assert.equal(res.status, 400);
    assert.equal(((await res.json()) as { error: string }).error, 'invalid_request');
    const notJson = await client.request('POST', '/api/v1/auth/login', 'email=a', { 'content-type': 'application/x-www-form-urlencoded' });
    assert.equal(notJson.status, 415);
  });
});

import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { buildTestAppliance, buildUser, loggedInAs, TestClient, type TestAppliance } from '../../core/testing/appliance.js';
import { codeAt } from './testing.js';

const STEP = 30_000;
const base = '/api/v1/plugins/totp';
type Body = Record<string, unknown> & { error?: string; code?: string; data?: Record<string, string>; recoveryCodes?: string[]; secret?: string };
const json = async (res: Response): Promise<Body> => (await res.json()) as Body;

describe('totp over HTTP', () => {
  let t: TestAppliance;
  let admin: TestClient;
  before(async () => {
    t = await buildTestAppliance({ PLUGINS: 'totp', LOGIN_RATE_LIMIT: '10000' });
    admin = (await loggedInAs(t, 'account_admin')).client;
  });
  after(() => t.close());

  /** A fresh time step, so codes of earlier tests never collide with this one's. */
  const nextStep = () => t.clock.advance(3 * STEP);
  const audited = async (userId: string) => (await t.services.db.selectFrom('audit_log').select(['action', 'outcome']).where('target_id', '=', userId).where('action', 'like', 'mfa.%').orderBy('seq').execute()).map((r) => `${r.action}:${r.outcome}`);

  /** Logs in (no MFA yet), enrols in the profile and confirms; returns the secret and recovery codes. */
  async function enrolled(role: 'technician' | 'network_admin' = 'technician') {
    const { client, user, password } = await loggedInAs(t, role);
    const started = await client.request('POST', `${base}/enrolment`);
    assert.equal(started.status, 200);
    const offer = await json(started);
    const confirmed = await client.request('POST', `${base}/enrolment/confirm`, { code: codeAt(offer.secret!, t.clock.now()) });
    assert.equal(confirmed.status, 200);
    nextStep();
    return { client, user, password, secret: offer.secret!, recoveryCodes: (await json(confirmed)).recoveryCodes! };
  }

  it('enrols in the profile: QR and secret, pending until a first code confirms, 10 recovery codes once; secret sealed at rest', async () => {
    const { client, user } = await loggedInAs(t, 'technician');
    assert.deepEqual(await json(await client.request('GET', `${base}/status`)), { enrolled: false, pending: false, required: false, recoveryCodesLeft: 0 });
    const offer = await json(await client.request('POST', `${base}/enrolment`));
    assert.match(offer.secret!, /^[A-Z2-7]{32}$/);
    assert.equal(offer.otpauthUri, `otpauth://totp/RescueBox:${encodeURIComponent(user.email)}?secret=${offer.secret}&issuer=RescueBox`);
    assert.match(String(offer.qr), /^data:image\/png;base64,/);
    assert.equal((await json(await client.request('GET', `${base}/status`))).pending, true);
    const row = await t.services.db.selectFrom('totp_enrolments').selectAll().where('user_id', '=', user.id).executeTakeFirstOrThrow();
    assert.ok(!row.secret_sealed.includes(offer.secret!), 'the secret is never stored in clear');

    const wrong = await client.request('POST', `${base}/enrolment/confirm`, { code: codeAt(offer.secret!, t.clock.now(), 3) });
    assert.deepEqual([wrong.status, (await json(wrong)).reason], [400, 'mfa_invalid']);
    const confirmed = await client.request('POST', `${base}/enrolment/confirm`, { code: codeAt(offer.secret!, t.clock.now()) });
    const codes = (await json(confirmed)).recoveryCodes!;
    assert.equal(codes.length, 10);
    assert.equal(new Set(codes).size, 10);
    const stored = await t.services.db.selectFrom('totp_recovery_codes').select('code_hash').where('user_id', '=', user.id).execute();
    assert.ok(stored.every((r) => /^[0-9a-f]{64}$/.test(r.code_hash) && !codes.some((c) => r.code_hash.includes(c))));
    assert.deepEqual(await json(await client.request('GET', `${base}/status`)), { enrolled: true, pending: false, required: false, recoveryCodesLeft: 10 });
    assert.equal((await client.request('POST', `${base}/enrolment`)).status, 409, 'a confirmed enrolment is not replaced');
    assert.deepEqual(await audited(user.id), ['mfa.enrol_start:success', 'mfa.enrol_confirm:failure', 'mfa.enrol_confirm:success']);
  });

  it('asks an enrolled account for its code at login, lets the right code in once, refuses a replay', async () => {
    const { user, password, secret } = await enrolled();
    const bare = await new TestClient(t).login(user.email, password);
    assert.equal(bare.status, 401);
    const challenge = await json(bare);
    assert.deepEqual([challenge.error, challenge.field, challenge.code, challenge.data], ['challenge', 'code', 'mfa_required', undefined]);

    const code = codeAt(secret, t.clock.now());
    const browser = new TestClient(t);
    assert.equal((await browser.login(user.email, password, code)).status, 200);
    assert.equal((await browser.request('GET', '/api/v1/me')).status, 200);
    const replay = await new TestClient(t).login(user.email, password, code);
    assert.equal(replay.status, 403);
    const refused = await json(replay);
    assert.deepEqual([refused.error, refused.code], ['policy_denied', 'mfa_invalid']);

    const wrongPassword = await new TestClient(t).login(user.email, 'Not-the-password-1', codeAt(secret, t.clock.now(), 1));
    assert.equal(wrongPassword.status, 401);
    assert.equal((await json(wrongPassword)).error, 'invalid_credentials', 'the code is not even looked at without the password');
  });

  it('accepts a code one step early or late, refuses two steps', async () => {
    const { user, password, secret } = await enrolled();
    const login = (steps: number) => new TestClient(t).login(user.email, password, codeAt(secret, t.clock.now(), steps));
    assert.equal((await login(-2)).status, 403, '-2 steps');
    assert.equal((await login(2)).status, 403, '+2 steps');
    assert.equal((await login(-1)).status, 200, '-1 step');
    nextStep();
    assert.equal((await login(1)).status, 200, '+1 step');
    assert.equal((await login(0)).status, 403, 'the current step after a later one was used');
  });

  it('lets a recovery code in exactly once', async () => {
    const { user, password, recoveryCodes } = await enrolled();
    const [first, second] = recoveryCodes;
    assert.equal((await new TestClient(t).login(user.email, password, first!.toLowerCase())).status, 200);
    const again = await new TestClient(t).login(user.email, password, first!);
    assert.deepEqual([again.status, (await json(again)).code], [403, 'mfa_invalid']);
    assert.equal((await new TestClient(t).login(user.email, password, second!)).status, 200);
    const client = new TestClient(t);
    await client.login(user.email, password, recoveryCodes[2]!);
    assert.equal((await json(await client.request('GET', `${base}/status`))).recoveryCodesLeft, 7);
    assert.ok((await audited(user.id)).filter((a) => a === 'mfa.recovery_code_used:success').length === 3);
  });

  it('blocks codes for a while after five wrong ones', async () => {
    const { user, password, secret } = await enrolled();
    for (let i = 0; i < 5; i += 1) await new TestClient(t).login(user.email, password, codeAt(secret, t.clock.now(), 5));
    const blocked = await new TestClient(t).login(user.email, password, codeAt(secret, t.clock.now()));
    assert.deepEqual([blocked.status, (await json(blocked)).code], [403, 'mfa_blocked']);
    t.clock.advance(5 * 60_000 + 1);
    assert.equal((await new TestClient(t).login(user.email, password, codeAt(secret, t.clock.now()))).status, 200);
  });

  it('replaces recovery codes with a current code; disables with the password', async () => {
    const { client, user, password, secret, recoveryCodes } = await enrolled();
    assert.equal((await client.request('POST', `${base}/recovery-codes`, { code: '000000' })).status, 400);
    const renewed = await client.request('POST', `${base}/recovery-codes`, { code: codeAt(secret, t.clock.now()) });
    const fresh = (await json(renewed)).recoveryCodes!;
    assert.equal(fresh.length, 10);
    nextStep();
    assert.equal((await new TestClient(t).login(user.email, password, recoveryCodes[0]!)).status, 403, 'old codes stop working');
    assert.equal((await client.request('POST', `${base}/disable`, { password: 'Wrong-password-1' })).status, 401);
    assert.equal((await client.request('POST', `${base}/disable`, {})).status, 400);
    assert.equal((await client.request('POST', `${base}/disable`, { password })).status, 204);
    assert.equal((await new TestClient(t).login(user.email, password)).status, 200, 'no code needed any more');
    assert.equal(await t.services.db.selectFrom('totp_recovery_codes').select('id').where('user_id', '=', user.id).executeTakeFirst(), undefined);
    assert.deepEqual((await audited(user.id)).slice(-4), ['mfa.recovery_codes:failure', 'mfa.recovery_codes:success', 'mfa.disable:failure', 'mfa.disable:success']);
  });

  it('enrols a technician at login when the role requires MFA, and refuses to turn it off', async () => {
    assert.equal((await admin.request('PATCH', '/api/v1/plugins/totp', { settings: { requiredRoles: ['technician'] } })).status, 200);
    try {
      const { user, password } = await buildUser(t, { role: 'technician' });
      const first = await new TestClient(t).login(user.email, password);
      const body = await json(first);
      assert.deepEqual([first.status, body.error, body.code, body.field], [401, 'challenge', 'mfa_enrolment_required', 'code']);
      const secret = body.data!.secret!;
      assert.match(body.data!.qr!, /^data:image\/png;base64,/);
      assert.ok(body.data!.otpauthUri!.includes(`secret=${secret}`));
      const again = await json(await new TestClient(t).login(user.email, password));
      assert.equal(again.data!.secret, secret, 'the same pending secret while it is recent');
      assert.equal((await new TestClient(t).login(user.email, password, '000000')).status, 403);

      const client = new TestClient(t);
      assert.equal((await client.login(user.email, password, codeAt(secret, t.clock.now()))).status, 200, 'the first code confirms and logs in');
      assert.deepEqual(await json(await client.request('GET', `${base}/status`)), { enrolled: true, pending: false, required: true, recoveryCodesLeft: 0 });
      nextStep();
      assert.equal((await new TestClient(t).login(user.email, password)).status, 401, 'from now on a code is asked');
      const refused = await client.request('POST', `${base}/disable`, { password });
      assert.deepEqual([refused.status, (await json(refused)).reason], [403, 'mfa_required_by_policy']);
      assert.deepEqual(await audited(user.id), ['mfa.enrol_offer:success', 'mfa.enrol_offer:success', 'mfa.enrol_confirm:success', 'mfa.disable:denied']);
      // An admin is not a technician: not required, logs in without a code.
      assert.equal((await loggedInAs(t, 'account_admin')).client.cookie !== null, true);
    } finally {
      await admin.request('PATCH', '/api/v1/plugins/totp', { settings: {} });
    }
  });

  it('explains a login without changing anything (no enrolment, no used code, no spent recovery code)', async () => {
    const { user, password, secret, recoveryCodes } = await enrolled();
    const snapshot = async () => ({
      enrolments: await t.services.db.selectFrom('totp_enrolments').selectAll().orderBy('user_id').execute(),
      codes: await t.services.db.selectFrom('totp_recovery_codes').selectAll().orderBy('id').execute(),
      mfaAudit: await t.services.db.selectFrom('audit_log').select('seq').where('action', 'like', 'mfa.%').execute(),
    });
    const explain = async (context: Record<string, unknown>) => json(await admin.request('POST', '/api/v1/policy/explain', { hook: 'technicianLogin', context }));
    const before = await snapshot();
    const code = codeAt(secret, t.clock.now());
    assert.equal(((await explain({ email: user.email })).decision as Body).code, 'mfa_required');
    assert.equal(((await explain({ email: user.email, code })).decision as Body).outcome, 'allow');
    assert.equal(((await explain({ email: user.email, code: recoveryCodes[0] })).decision as Body).outcome, 'allow');
    await admin.request('PATCH', '/api/v1/plugins/totp', { settings: { requiredRoles: ['technician'] } });
    try {
      const { user: fresh } = await buildUser(t, { role: 'technician' });
      const decision = (await explain({ email: fresh.email })).decision as Body;
      assert.deepEqual([decision.outcome, decision.code, decision.data], ['challenge', 'mfa_enrolment_required', undefined]);
    } finally {
      await admin.request('PATCH', '/api/v1/plugins/totp', { settings: {} });
    }
    assert.deepEqual(await snapshot(), before);
    assert.equal((await new TestClient(t).login(user.email, password, code)).status, 200, 'the explained code is still unused');
    assert.equal((await new TestClient(t).login(user.email, password, recoveryCodes[0]!)).status, 200, 'so is the recovery code');
  });

  it('lets an admin remove a lost authenticator (network admins not an account admin\'s)', async () => {
    const { user, password } = await enrolled();
    const owner = await enrolled('network_admin');
    const network = (await loggedInAs(t, 'network_admin')).client;
    assert.equal((await network.request('DELETE', `${base}/users/${user.id}`)).status, 204);
    assert.equal((await new TestClient(t).login(user.email, password)).status, 200);
    assert.equal((await network.request('DELETE', `${base}/users/${user.id}`)).status, 404);
    const target = await buildUser(t, { role: 'account_admin' });
    assert.equal((await network.request('DELETE', `${base}/users/${target.user.id}`)).status, 403);
    assert.equal((await admin.request('DELETE', `${base}/users/${owner.user.id}`)).status, 204);
    assert.ok((await audited(user.id)).includes('mfa.admin_reset:success'));
  });

  it('answers 404 on its routes while switched off', async () => {
    const { client } = await loggedInAs(t, 'technician');
    await admin.request('PATCH', '/api/v1/plugins/totp', { enabled: false });
    try {
      assert.equal((await client.request('GET', `${base}/status`)).status, 404);
    } finally {
      await admin.request('PATCH', '/api/v1/plugins/totp', { enabled: true });
    }
  });
});

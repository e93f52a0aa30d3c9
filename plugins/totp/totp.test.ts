import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { insertGroup } from '../../core/accounts/groups.js';
import type { HookContexts, PluginTools, Verdict } from '../../core/policy/types.js';
import { buildTestAppliance, buildUser, type TestAppliance } from '../../core/testing/appliance.js';
import { hashRecoveryCode, looksLikeRecoveryCode, newRecoveryCode, seal, unseal } from './crypto.js';
import totpPlugin from './index.js';
import { checkCode, stepAt } from './otp.js';
import { TotpService } from './service.js';
import { totpSettings, type TotpSettings } from './settings.js';
import { findEnrolment, MAX_FAILURES } from './store.js';
import { codeAt, testHost } from './testing.js';

const parse = (input: unknown): TotpSettings => totpSettings.parse(input);

describe('totp plugin', () => {
  describe('settings', () => {
    it('defaults to nobody required', () => assert.deepEqual(parse({}), { requiredRoles: [], requiredGroups: [] }));
    for (const [name, input] of [['an unknown role', { requiredRoles: ['root'] }], ['an empty group', { requiredGroups: [''] }], ['an unknown key', { required: true }]] as const) {
      it(`refuses ${name}`, () => assert.equal(totpSettings.safeParse(input).success, false));
    }
  });

  describe('secrets and recovery codes', () => {
    const key = randomBytes(32);
    it('seals with AES-256-GCM bound to the account: other account, other key or a changed byte do not open', () => {
      const sealed = seal(key, 'JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP', 'user-a');
      assert.doesNotMatch(sealed, /JBSWY3DP/);
      assert.notEqual(seal(key, 'same', 'user-a'), seal(key, 'same', 'user-a'), 'a fresh nonce per seal');
      assert.equal(unseal(key, sealed, 'user-a'), 'JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP');
      assert.throws(() => unseal(key, sealed, 'user-b'));
      assert.throws(() => unseal(randomBytes(32), sealed, 'user-a'));
      const parts = sealed.split('.');
      const body = Buffer.from(parts[3]!, 'base64url');
      body[0]! ^= 1;
      assert.throws(() => unseal(key, [...parts.slice(0, 3), body.toString('base64url')].join('.'), 'user-a'));
    });
    it('makes distinct recovery codes that never look like a 6-digit code, and normalises typing', () => {
      const codes = new Set(Array.from({ length: 50 }, newRecoveryCode));
      assert.equal(codes.size, 50);
      for (const code of codes) {
        assert.match(code, /^[A-Z2-9]{4}(-[A-Z2-9]{4}){3}$/);
        assert.ok(looksLikeRecoveryCode(code));
        assert.equal(hashRecoveryCode(code.toLowerCase().replace(/-/g, ' ')), hashRecoveryCode(code));
      }
      assert.equal(looksLikeRecoveryCode('123456'), false);
      assert.equal(looksLikeRecoveryCode('ABCD-EFGH-JKMN-PQR0'), false, '0 is not in the alphabet');
    });
  });

  describe('checkCode', () => {
    const secret = 'GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ';
    const at = Date.UTC(2026, 0, 5, 9, 0, 29);
    const n = stepAt(at);
    const cases: [string, string, number | null, unknown][] = [
      ['the current code', codeAt(secret, at), null, { ok: true, step: n }],
      ['one step late', codeAt(secret, at, -1), null, { ok: true, step: n - 1 }],
      ['one step early', codeAt(secret, at, 1), null, { ok: true, step: n + 1 }],
      ['two steps late', codeAt(secret, at, -2), null, { ok: false, why: 'wrong' }],
      ['two steps early', codeAt(secret, at, 2), null, { ok: false, why: 'wrong' }],
      ['a code of the last used step', codeAt(secret, at), n, { ok: false, why: 'replayed' }],
      ['a code before the last used step', codeAt(secret, at, -1), n, { ok: false, why: 'replayed' }],
      ['a code after the last used step', codeAt(secret, at, 1), n, { ok: true, step: n + 1 }],
      ['five digits', codeAt(secret, at).slice(1), null, { ok: false, why: 'malformed' }],
      ['letters', 'abcdef', null, { ok: false, why: 'malformed' }],
    ];
    for (const [name, code, lastStep, expected] of cases) it(name, () => assert.deepEqual(checkCode(secret, code, at, lastStep), expected));
  });

  describe('technicianLogin hook', () => {
    let t: TestAppliance;
    let service: TotpService;
    let hook: NonNullable<ReturnType<typeof totpPlugin>['hooks']['technicianLogin']>;
    let groupId: string;
    before(async () => {
      t = await buildTestAppliance();
      const host = testHost(t, () => null);
      service = new TotpService(host);
      hook = totpPlugin(host).hooks.technicianLogin!;
      groupId = (await insertGroup(t.services.db, t.clock, { name: 'Field Team' })).id;
    });
    after(() => t.close());

    type State = 'none' | 'pending' | 'confirmed';
    type Code = null | 'right' | 'wrong' | 'replayed' | 'older' | 'drift+1' | 'drift-2' | 'recovery' | 'recovery-used' | 'malformed' | 'blocked-right';
    /** An account in the given state; returns its secret and, when confirmed, its recovery codes. */
    async function account(state: State, groups: string[] = []) {
      const { user } = await buildUser(t, { role: 'technician', groups });
      let secret = '';
      let recovery: string[] = [];
      if (state !== 'none') secret = (await service.startEnrolment(user.id, user.email))!.secret;
      if (state === 'confirmed') {
        const pending = (await findEnrolment(t.services.db, user.id))!;
        // Confirmed two steps ago, so the codes of now and now±1 are still fresh.
        assert.deepEqual(await service.verify(pending, codeAt(secret, t.clock.now(), -2), t.clock.now() - 60_000, { dryRun: false, allowRecovery: false }), { ok: true, via: 'totp' });
        recovery = await service.newRecoveryCodes(user.id);
      }
      return { user, secret, recovery };
    }
    async function codeFor(kind: Code, user: { id: string; email: string }, secret: string, recovery: string[]): Promise<string | null> {
      const now = t.clock.now();
      const run = (code: string) => hook(context(user, code, 'password'), parse({}), tools(false));
      switch (kind) {
        case null: return null;
        case 'right': return codeAt(secret, now);
        case 'drift+1': return codeAt(secret, now, 1);
        case 'drift-2': return codeAt(secret, now, -2);
        case 'wrong': return secret && codeAt(secret, now) === '000000' ? '111111' : '000000';
        case 'malformed': return '12ab56';
        case 'replayed': await run(codeAt(secret, now)); return codeAt(secret, now);
        case 'older': await run(codeAt(secret, now)); return codeAt(secret, now, -1);
        case 'recovery': return recovery[3]!;
        case 'recovery-used': await run(recovery[3]!); return recovery[3]!;
        case 'blocked-right':
          for (let i = 0; i < MAX_FAILURES; i += 1) await run(codeAt(secret, now) === '000000' ? '111111' : '000000');
          return codeAt(secret, now);
      }
    }
    const context = (user: { id: string; email: string } | null, code: string | null, method: string, groups: string[] = []): HookContexts['technicianLogin'] => ({
      ip: '192.0.2.1', at: t.clock.now(), sessionId: null, channel: 'console', facts: {}, email: user?.email ?? 'x@example.test', method, code,
      actor: user && { id: user.id, email: user.email, role: 'technician', groups },
    });
    const tools = (dryRun: boolean): PluginTools => ({ now: () => t.clock.now(), log: () => {}, dryRun });

    const none = {};
    const byRole = { requiredRoles: ['technician'] };
    const byGroupName = { requiredGroups: ['field team'] };
    const byGroupId = { requiredGroups: ['<group id>'] };
    // [name, settings, state, in the group, code, outcome, verdict code]
    const cases: [string, object, State, boolean, Code, Verdict['outcome'], string?][] = [
      ['not required, not enrolled, no code', none, 'none', false, null, 'continue'],
      ['not required, not enrolled, a code is ignored', none, 'none', false, 'wrong', 'continue'],
      ['not required, pending, no code', none, 'pending', false, null, 'continue'],
      ['required by role, not enrolled', byRole, 'none', false, null, 'challenge', 'mfa_enrolment_required'],
      ['required by role, pending, no code', byRole, 'pending', false, null, 'challenge', 'mfa_enrolment_required'],
      ['required by role, pending, first code confirms', byRole, 'pending', false, 'right', 'continue'],
      ['required by role, pending, wrong first code', byRole, 'pending', false, 'wrong', 'deny', 'mfa_invalid'],
      ['required by group name, member, not enrolled', byGroupName, 'none', true, null, 'challenge', 'mfa_enrolment_required'],
      ['required by group name, not a member', byGroupName, 'none', false, null, 'continue'],
      ['required by group id, member, not enrolled', byGroupId, 'none', true, null, 'challenge', 'mfa_enrolment_required'],
      ['not required, enrolled, no code', none, 'confirmed', false, null, 'challenge', 'mfa_required'],
      ['required, enrolled, no code', byRole, 'confirmed', false, null, 'challenge', 'mfa_required'],
      ['enrolled, right code', none, 'confirmed', false, 'right', 'continue'],
      ['enrolled, code of the next step (drift +1)', none, 'confirmed', false, 'drift+1', 'continue'],
      ['enrolled, code two steps old (drift -2)', none, 'confirmed', false, 'drift-2', 'deny', 'mfa_invalid'],
      ['enrolled, wrong code', byRole, 'confirmed', false, 'wrong', 'deny', 'mfa_invalid'],
      ['enrolled, malformed code', none, 'confirmed', false, 'malformed', 'deny', 'mfa_invalid'],
      ['enrolled, the same code again', none, 'confirmed', false, 'replayed', 'deny', 'mfa_invalid'],
      ['enrolled, an older code after a newer one', none, 'confirmed', false, 'older', 'deny', 'mfa_invalid'],
      ['enrolled, an unused recovery code', none, 'confirmed', false, 'recovery', 'continue'],
      ['enrolled, a used recovery code', none, 'confirmed', false, 'recovery-used', 'deny', 'mfa_invalid'],
      [`enrolled, right code after ${MAX_FAILURES} wrong ones`, none, 'confirmed', false, 'blocked-right', 'deny', 'mfa_blocked'],
    ];
    for (const [name, settings, state, member, kind, outcome, code] of cases) {
      it(name, async () => {
        const { user, secret, recovery } = await account(state, member ? [groupId] : []);
        const typed = await codeFor(kind, user, secret, recovery);
        const resolved = JSON.parse(JSON.stringify(settings).replace('<group id>', groupId)) as object;
        const verdict = await hook(context(user, typed, 'password', member ? [groupId] : []), parse(resolved), tools(false));
        assert.equal(verdict.outcome, outcome, JSON.stringify(verdict));
        if (code) assert.equal((verdict as { code: string }).code, code);
        if (verdict.outcome === 'challenge' && code === 'mfa_enrolment_required') {
          assert.match(verdict.data?.otpauthUri ?? '', /^otpauth:\/\/totp\/RescueBox:.*secret=[A-Z2-7]{32}/);
          assert.match(verdict.data?.qr ?? '', /^data:image\/png;base64,/);
          if (state === 'pending') assert.equal(verdict.data?.secret, secret, 'a recent pending enrolment is offered again');
        }
        if (verdict.outcome === 'challenge' && code === 'mfa_required') assert.equal(verdict.data, undefined, 'an enrolled account is never shown its secret');
        if (name.includes('first code confirms')) assert.notEqual((await findEnrolment(t.services.db, user.id))!.confirmedAt, null);
      });
    }

    it('offers the same pending secret for 15 minutes, then a new one', async () => {
      const { user } = await account('none');
      const offered = async () => ((await hook(context(user, null, 'password'), parse(byRole), tools(false))) as { data?: Record<string, string> }).data?.secret;
      const first = await offered();
      assert.match(first ?? '', /^[A-Z2-7]{32}$/);
      t.clock.advance(14 * 60_000);
      assert.equal(await offered(), first);
      t.clock.advance(2 * 60_000);
      assert.notEqual(await offered(), first);
    });

    it('treats LDAP logins like local ones, and leaves the first-run setup alone', async () => {
      const { user } = await account('confirmed');
      assert.equal((await hook(context(user, null, 'ldap'), parse({}), tools(false))).outcome, 'challenge');
      assert.equal((await hook(context(user, null, 'setup'), parse({}), tools(false))).outcome, 'continue');
      assert.equal((await hook(context(null, null, 'password'), parse(byRole), tools(false))).outcome, 'continue');
    });

    it('changes nothing in a dry run: no enrolment, no used step, no spent recovery code, no failure count', async () => {
      const fresh = (await buildUser(t, { role: 'technician' })).user;
      const verdict = await hook(context(fresh, null, 'password'), parse(byRole), tools(true));
      assert.deepEqual([verdict.outcome, (verdict as { data?: unknown }).data], ['challenge', undefined]);
      assert.equal(await findEnrolment(t.services.db, fresh.id), null);

      const { user, secret, recovery } = await account('confirmed');
      const before = await findEnrolment(t.services.db, user.id);
      for (let i = 0; i < 2; i += 1) {
        assert.equal((await hook(context(user, codeAt(secret, t.clock.now()), 'password'), parse({}), tools(true))).outcome, 'continue');
        assert.equal((await hook(context(user, recovery[0]!, 'password'), parse({}), tools(true))).outcome, 'continue');
      }
      for (let i = 0; i < MAX_FAILURES + 1; i += 1) await hook(context(user, '000000', 'password'), parse({}), tools(true));
      assert.deepEqual(await findEnrolment(t.services.db, user.id), before);
      assert.equal((await hook(context(user, codeAt(secret, t.clock.now()), 'password'), parse({}), tools(false))).outcome, 'continue', 'the real login still works');
      assert.equal((await hook(context(user, recovery[0]!, 'password'), parse({}), tools(false))).outcome, 'continue');
      assert.equal((await findEnrolment(t.services.db, user.id))!.lastStep, stepAt(t.clock.now()));
    });
  });
});

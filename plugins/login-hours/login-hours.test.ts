import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { HookContexts } from '../../core/policy/types.js';
import { buildTestAppliance, buildUser, TestClient, type TestAppliance } from '../../core/testing/appliance.js';
import loginHours, { localTime, withinHours } from './index.js';

type Settings = Parameters<typeof withinHours>[1];
const parse = (input: unknown): Settings => loginHours.settings.parse(input);

/** An instant in UTC: 2026-01-05 is a Monday, 2026-07-06 too (Berlin on summer time). */
const utc = (month: number, day: number, hh: number, mm = 0) => Date.UTC(2026, month - 1, day, hh, mm);

describe('login-hours plugin', () => {
  describe('settings', () => {
    it('fills defaults: every day, all day, UTC, technicians only', () => {
      assert.deepEqual(parse({}), {
        timeZone: 'UTC', days: ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'], from: '00:00', until: '23:59', roles: ['technician'],
      });
    });

    const invalid: [string, unknown, RegExp][] = [
      ['an unknown time zone', { timeZone: 'Mars/Olympus_Mons' }, /unknown IANA time zone/],
      ['a time zone that is not a string', { timeZone: 1 }, /timeZone/],
      ['hour 24', { from: '24:00' }, /HH:MM/],
      ['a one-digit hour', { from: '7:00' }, /HH:MM/],
      ['minute 60', { until: '07:60' }, /HH:MM/],
      ['a word for a time', { until: 'noon' }, /HH:MM/],
      ['seconds', { from: '08:00:00' }, /HH:MM/],
      ['no days', { days: [] }, /days/],
      ['a long day name', { days: ['monday'] }, /days/],
      ['an unknown role', { roles: ['root'] }, /roles/],
      ['an unknown key', { timezone: 'UTC' }, /timezone/],
    ];
    for (const [name, input, message] of invalid) {
      it(`refuses ${name}`, () => {
        const result = loginHours.settings.safeParse(input);
        assert.equal(result.success, false);
        assert.match(JSON.stringify(result.error?.issues), message);
      });
    }

    it('accepts an IANA zone, an overnight window and several roles', () => {
      const s = parse({ timeZone: 'Europe/Berlin', days: ['fri'], from: '22:00', until: '06:00', roles: ['technician', 'network_admin'] });
      assert.equal(s.timeZone, 'Europe/Berlin');
      assert.equal(s.from, '22:00');
    });
  });

  describe('withinHours', () => {
    const office = { days: ['mon', 'tue', 'wed', 'thu', 'fri'], from: '08:00', until: '17:00' };
    const cases: [string, object, number, boolean][] = [
      ['Monday 09:00 in office hours', office, utc(1, 5, 9), true],
      ['Monday 08:00 exactly (from is inclusive)', office, utc(1, 5, 8), true],
      ['Monday 07:59', office, utc(1, 5, 7, 59), false],
      ['Monday 17:00 exactly (until is inclusive)', office, utc(1, 5, 17), true],
      ['Monday 17:01', office, utc(1, 5, 17, 1), false],
      ['Saturday 10:00', office, utc(1, 10, 10), false],
      ['Friday 12:00', office, utc(1, 9, 12), true],
      // Overnight window 22:00–06:00 starting on Fridays only.
      ['overnight: Friday 23:00', { days: ['fri'], from: '22:00', until: '06:00' }, utc(1, 9, 23), true],
      ['overnight: Saturday 05:00 belongs to Friday', { days: ['fri'], from: '22:00', until: '06:00' }, utc(1, 10, 5), true],
      ['overnight: Saturday 06:00 still in', { days: ['fri'], from: '22:00', until: '06:00' }, utc(1, 10, 6), true],
      ['overnight: Saturday 06:01 out', { days: ['fri'], from: '22:00', until: '06:00' }, utc(1, 10, 6, 1), false],
      ['overnight: Saturday 23:00 (Saturday not listed)', { days: ['fri'], from: '22:00', until: '06:00' }, utc(1, 10, 23), false],
      ['overnight: Friday 05:00 belongs to Thursday', { days: ['fri'], from: '22:00', until: '06:00' }, utc(1, 9, 5), false],
      ['overnight: Friday 12:00 between the parts', { days: ['fri'], from: '22:00', until: '06:00' }, utc(1, 9, 12), false],
      ['overnight: Monday 01:00 belongs to Sunday (week wraps)', { days: ['sun'], from: '22:00', until: '06:00' }, utc(1, 5, 1), true],
      // Around midnight, the time zone decides the day.
      ['UTC: Sunday 23:30 is not Monday', { days: ['mon'] }, utc(1, 4, 23, 30), false],
      ['Berlin: Sunday 23:30 UTC is Monday 00:30', { days: ['mon'], timeZone: 'Europe/Berlin' }, utc(1, 4, 23, 30), true],
      ['UTC: Monday 23:30 is Monday', { days: ['mon'] }, utc(1, 5, 23, 30), true],
      ['Berlin: Monday 23:30 UTC is Tuesday 00:30', { days: ['mon'], timeZone: 'Europe/Berlin' }, utc(1, 5, 23, 30), false],
      ['UTC: 07:30 is before office hours', office, utc(1, 5, 7, 30), false],
      ['Berlin (winter, +1): 07:30 UTC is 08:30', { ...office, timeZone: 'Europe/Berlin' }, utc(1, 5, 7, 30), true],
      ['Berlin (summer, +2): 06:30 UTC is 08:30', { ...office, timeZone: 'Europe/Berlin' }, utc(7, 6, 6, 30), true],
      ['Berlin (summer, +2): 15:30 UTC is 17:30', { ...office, timeZone: 'Europe/Berlin' }, utc(7, 6, 15, 30), false],
      ['Berlin (summer): Monday 22:30 UTC is Tuesday 00:30', { days: ['mon'], timeZone: 'Europe/Berlin' }, utc(7, 6, 22, 30), false],
      ['New York: Monday 02:00 UTC is Sunday 21:00', { days: ['sun'], timeZone: 'America/New_York' }, utc(1, 5, 2), true],
    ];
    for (const [name, settings, at, expected] of cases) {
      it(name, () => assert.equal(withinHours(at, parse(settings)), expected));
    }

    it('localTime gives weekday and minute of day in the zone', () => {
      assert.deepEqual(localTime(utc(1, 4, 23, 30), 'UTC'), { day: 'sun', minutes: 23 * 60 + 30 });
      assert.deepEqual(localTime(utc(1, 4, 23, 30), 'Europe/Berlin'), { day: 'mon', minutes: 30 });
    });
  });

  describe('technicianLogin hook', () => {
    const hook = loginHours.hooks.technicianLogin!;
    const tools = { now: () => { throw new Error('the hook must use context.at'); }, log: () => {}, dryRun: false };
    const context = (role: 'technician' | 'account_admin' | null, at: number): HookContexts['technicianLogin'] => ({
      ip: '192.0.2.1', at, sessionId: null, channel: 'console', facts: {}, email: 'x@example.test', method: 'password', code: null,
      actor: role && { id: 'u', email: 'x@example.test', role, groups: [] },
    });
    const office = parse({ days: ['mon', 'tue', 'wed', 'thu', 'fri'], from: '08:00', until: '17:00' });
    const cases: [string, 'technician' | 'account_admin' | null, number, object, string][] = [
      ['technician inside hours', 'technician', utc(1, 5, 9), office, 'continue'],
      ['technician outside hours', 'technician', utc(1, 10, 9), office, 'deny'],
      ['admin outside hours (roles default to technician)', 'account_admin', utc(1, 10, 9), office, 'continue'],
      ['admin outside hours when admins are listed', 'account_admin', utc(1, 10, 9), { ...office, roles: ['account_admin'] }, 'deny'],
      ['no known account', null, utc(1, 10, 9), office, 'continue'],
    ];
    for (const [name, role, at, settings, outcome] of cases) {
      it(name, async () => {
        const verdict = await hook(context(role, at), parse(settings), tools);
        assert.equal(verdict.outcome, outcome);
        if (verdict.outcome === 'deny') {
          assert.equal(verdict.code, 'outside_login_hours');
          assert.match(verdict.reason, /mon, tue, wed, thu, fri 08:00–17:00 \(UTC\)/);
        }
      });
    }
  });

  describe('on a real login', () => {
    let t: TestAppliance;
    before(async () => {
      t = await buildTestAppliance({
        LOGIN_RATE_LIMIT: '10000',
        PLUGIN_SETTINGS: JSON.stringify({ 'login-hours': { timeZone: 'Europe/Berlin', days: ['mon', 'tue', 'wed', 'thu', 'fri'], from: '08:00', until: '17:00' } }),
      });
    });
    after(() => t.close());

    it('refuses a technician outside the hours with 403 policy_denied outside_login_hours', async () => {
      t.clock.set(utc(1, 5, 6, 30)); // Monday 07:30 in Berlin
      const { user, password } = await buildUser(t, { role: 'technician' });
      const client = new TestClient(t);
      const res = await client.login(user.email, password);
      assert.equal(res.status, 403);
      const body = (await res.json()) as { error: string; code: string; reason: string };
      assert.equal(body.error, 'policy_denied');
      assert.equal(body.code, 'outside_login_hours');
      assert.match(body.reason, /08:00–17:00 \(Europe\/Berlin\)/);
      assert.equal((await client.request('GET', '/api/v1/me')).status, 401);
      const audit = await t.services.db.selectFrom('audit_log').selectAll().where('action', '=', 'policy.technicianLogin').where('actor_id', '=', user.id).execute();
      assert.deepEqual(audit.map((r) => r.outcome), ['deny']);
      assert.deepEqual((JSON.parse(audit[0]!.details) as { trace: { plugin: string; code: string }[] }).trace.map((s) => [s.plugin, s.code]), [['login-hours', 'outside_login_hours']]);
    });

    it('lets an account admin log in at the same time', async () => {
      t.clock.set(utc(1, 10, 12)); // Saturday
      const { user, password } = await buildUser(t, { role: 'account_admin' });
      assert.equal((await new TestClient(t).login(user.email, password)).status, 200);
    });

    it('lets the technician in inside the hours', async () => {
      t.clock.set(utc(1, 5, 7, 30)); // Monday 08:30 in Berlin, 07:30 UTC
      const { user, password } = await buildUser(t, { role: 'technician' });
      const client = new TestClient(t);
      assert.equal((await client.login(user.email, password)).status, 200);
      assert.equal((await client.request('GET', '/api/v1/me')).status, 200);
    });

    it('does not count a policy refusal towards the lockout', async () => {
      t.clock.set(utc(1, 10, 12));
      const { user, password } = await buildUser(t, { role: 'technician' });
      for (let i = 0; i < 6; i += 1) assert.equal((await new TestClient(t).login(user.email, password)).status, 403);
      t.clock.set(utc(1, 12, 12));
      assert.equal((await new TestClient(t).login(user.email, password)).status, 200);
    });
  });

  it('stops the appliance from starting with invalid settings', async () => {
    await assert.rejects(buildTestAppliance({ PLUGIN_SETTINGS: '{"login-hours":{"timeZone":"Nowhere/Land"}}' }), /pluginSettings\.login-hours.*unknown IANA time zone/s);
  });
});

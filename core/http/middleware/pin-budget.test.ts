import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { PinBudgets } from './pin-budget.js';

describe('PIN budgets', () => {
  const build = (now: { t: number }) => new PinBudgets({ perIp: 2, lanes: { public: 3, 'web-form': 2, 'trusted-range': 4 } }, () => now.t);

  it('keeps each lane\'s budget apart: a flood on the open routes leaves the others whole', () => {
    const now = { t: 0 };
    const budgets = build(now);
    const verdicts = Array.from({ length: 10 }, (_, i) => budgets.attempt(`198.51.100.${i}`, 'public'));
    assert.deepEqual(verdicts.map((v) => v.ok), [true, true, true, false, false, false, false, false, false, false]);
    assert.equal(budgets.attempt('203.0.113.1', 'web-form').ok, true);
    assert.equal(budgets.attempt('10.0.0.1', 'trusted-range').ok, true);
    const counters = budgets.snapshot();
    assert.deepEqual(counters.public, { limitPerMinute: 3, attempts: 10, refusedPerIp: 0, refusedBudget: 7, exhaustedWindows: 1 });
    assert.equal(counters['web-form'].refusedBudget, 0);
  });

  it('raises the alarm once per exhausted lane per minute, and again in the next minute', () => {
    const now = { t: 0 };
    const budgets = build(now);
    const alarms = () => Array.from({ length: 6 }, (_, i) => budgets.attempt(`198.51.100.${i}`, 'public')).filter((v) => !v.ok && v.alarm).length;
    assert.equal(alarms(), 1);
    assert.equal(alarms(), 0);
    now.t = 60_000;
    assert.equal(alarms(), 1);
    assert.equal(budgets.snapshot().public.exhaustedWindows, 2);
  });

  it('applies the per-IP limit before the lane (a refused IP does not spend the budget), except for trusted ranges', () => {
    const now = { t: 0 };
    const budgets = build(now);
    const one = Array.from({ length: 4 }, () => budgets.attempt('198.51.100.1', 'public'));
    assert.deepEqual(one.map((v) => (v.ok ? 'ok' : v.scope)), ['ok', 'ok', 'ip', 'ip']);
    assert.equal(budgets.attempt('198.51.100.2', 'public').ok, true, 'the lane still had room: refused attempts did not count');
    const office = Array.from({ length: 5 }, () => budgets.attempt('10.0.0.1', 'trusted-range'));
    assert.deepEqual(office.map((v) => (v.ok ? 'ok' : v.scope)), ['ok', 'ok', 'ok', 'ok', 'lane']);
  });

  it('counts signed-token requests per IP only', () => {
    const now = { t: 0 };
    const budgets = build(now);
    for (let i = 0; i < 10; i += 1) budgets.attempt(`198.51.100.${i}`, 'public');
    assert.equal(budgets.tokenAttempt('203.0.113.5').ok, true);
    assert.equal(budgets.tokenAttempt('203.0.113.5').ok, true);
    assert.equal(budgets.tokenAttempt('203.0.113.5').ok, false);
  });
});

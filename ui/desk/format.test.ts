import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { setLanguage } from '../i18n/index.js';
import { formatDuration, fromLocalInput, leftNow, toLocalInput } from './format.js';
import { transitions } from './types.js';

// setLanguage touches document and localStorage; neither exists in Node, so give it the bare minimum.
(globalThis as { document?: unknown }).document ??= { documentElement: {} };

describe('desk display helpers', () => {
  it('formats SLA durations in minutes, hours and days, in both languages', () => {
    setLanguage('en');
    assert.equal(formatDuration(59_999), '0 min');
    assert.equal(formatDuration(12 * 60_000), '12 min');
    assert.equal(formatDuration(-(2 * 3_600_000 + 5 * 60_000)), '2 h 05 min', 'overdue times read as their amount');
    assert.equal(formatDuration(3 * 86_400_000 + 4 * 3_600_000), '3 d 4 h');
    setLanguage('de');
    assert.equal(formatDuration(2 * 3_600_000 + 5 * 60_000), '2 Std. 05 Min.');
    setLanguage('en');
  });

  it('moves the time left on from when the server answered; a met target stays met', () => {
    assert.equal(leftNow(60_000, 1_000, 31_000), 30_000);
    assert.equal(leftNow(10_000, 0, 25_000), -15_000);
    assert.equal(leftNow(null, 0, 99_000), null);
  });

  it('round-trips datetime-local values and treats empty as none', () => {
    const ms = new Date(2026, 10, 23, 14, 5).getTime();
    assert.equal(toLocalInput(ms), '2026-11-23T14:05');
    assert.equal(fromLocalInput('2026-11-23T14:05'), ms);
    assert.equal(toLocalInput(null), '');
    assert.equal(fromLocalInput(''), null);
  });

  it('offers the status moves of docs/service-desk-api.md and none out of closed', () => {
    assert.deepEqual(transitions.new, ['assigned', 'in_progress', 'resolved', 'closed']);
    assert.deepEqual(transitions.waiting_on_customer, ['in_progress', 'resolved']);
    assert.deepEqual(transitions.resolved, ['closed']);
    assert.deepEqual(transitions.closed, []);
  });
});

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ManualClock } from '../support/clock.js';
import { defaultDeskSettings, priorityOf } from './settings.js';
import { computeSla } from './sla.js';
import { incidentStatuses, mayTransition } from './workflow.js';

const MIN = 60_000;

describe('SLA with a controllable clock', () => {
  it('counts down, goes negative when overdue, and stops when met', () => {
    const clock = new ManualClock();
    const created = clock.now();
    const incident = { priority: 1, createdAt: created, slaStartedAt: created, respondedAt: null as number | null, resolvedAt: null as number | null, pausedMs: 0, pausedAt: null };
    let sla = computeSla(defaultDeskSettings, incident, clock.now());
    assert.deepEqual([sla.responseDueAt - created, sla.resolutionDueAt - created], [15 * MIN, 240 * MIN]);
    clock.advance(10 * MIN);
    sla = computeSla(defaultDeskSettings, incident, clock.now());
    assert.deepEqual([sla.responseLeftMs, sla.responseBreached], [5 * MIN, false]);
    clock.advance(5 * MIN);
    assert.equal(computeSla(defaultDeskSettings, incident, clock.now()).responseBreached, false, 'due exactly now is not yet breached');
    clock.advance(1);
    sla = computeSla(defaultDeskSettings, incident, clock.now());
    assert.deepEqual([sla.responseLeftMs, sla.responseBreached], [-1, true]);
    incident.respondedAt = clock.now();
    clock.advance(300 * MIN);
    incident.resolvedAt = created + 200 * MIN;
    sla = computeSla(defaultDeskSettings, incident, clock.now());
    assert.deepEqual([sla.responseLeftMs, sla.responseBreached, sla.resolutionLeftMs, sla.resolutionBreached], [null, true, null, false]);
  });

  it('restarts the resolution target from a reopen', () => {
    const sla = computeSla(defaultDeskSettings, { priority: 4, createdAt: 0, slaStartedAt: 1000 * MIN, respondedAt: 5, resolvedAt: null, pausedMs: 0, pausedAt: null }, 1000 * MIN);
    assert.equal(sla.resolutionDueAt, (1000 + 4320) * MIN);
    assert.equal(sla.responseDueAt, 480 * MIN);
  });

  it('stops the resolution clock while waiting on the customer', () => {
    const base = { priority: 1, createdAt: 0, slaStartedAt: 0, respondedAt: 1, resolvedAt: null, pausedMs: 30 * MIN };
    const waiting = computeSla(defaultDeskSettings, { ...base, pausedAt: 100 * MIN }, 200 * MIN);
    assert.equal(waiting.paused, true);
    assert.equal(waiting.resolutionDueAt, (240 + 30 + 100) * MIN, 'due moves with the wait');
    assert.equal(waiting.resolutionLeftMs, 170 * MIN);
    const later = computeSla(defaultDeskSettings, { ...base, pausedAt: 100 * MIN }, 400 * MIN);
    assert.equal(later.resolutionLeftMs, 170 * MIN, 'time left stands still');
    assert.equal(later.resolutionBreached, false);
    const running = computeSla(defaultDeskSettings, { ...base, pausedAt: null }, 280 * MIN);
    assert.deepEqual([running.paused, running.resolutionDueAt, running.resolutionBreached], [false, 270 * MIN, true]);
  });

  it('maps impact × urgency through the matrix', () => {
    assert.equal(priorityOf(defaultDeskSettings, 'high', 'high'), 1);
    assert.equal(priorityOf(defaultDeskSettings, 'low', 'high'), 3);
    assert.equal(priorityOf(defaultDeskSettings, 'low', 'low'), 4);
  });

  it('allows only the listed workflow moves', () => {
    assert.ok(mayTransition('new', 'assigned'));
    assert.ok(mayTransition('resolved', 'closed'));
    assert.ok(!mayTransition('closed', 'in_progress'), 'closed only reopens');
    assert.ok(!mayTransition('new', 'waiting_on_customer'));
    for (const status of incidentStatuses) assert.ok(mayTransition(status, status));
  });
});

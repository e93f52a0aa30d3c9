import type { DeskSettings, Priority } from './settings.js';
import type { IncidentRow } from './tables.js';

/** What the SLA clock needs from an incident. */
export interface SlaInput {
  priority: number;
  createdAt: number;
  slaStartedAt: number;
  respondedAt: number | null;
  resolvedAt: number | null;
  /** Waiting-on-customer time already counted out of the resolution clock. */
  pausedMs: number;
  /** Start of the current wait on the customer, or null. */
  pausedAt: number | null;
}

/** SLA state of an incident at one moment: due times, time left (null once met), breaches. */
export interface SlaView {
  responseDueAt: number;
  resolutionDueAt: number;
  respondedAt: number | null;
  resolvedAt: number | null;
  responseLeftMs: number | null;
  resolutionLeftMs: number | null;
  responseBreached: boolean;
  resolutionBreached: boolean;
  /** Whether the resolution clock is stopped (waiting on the customer). */
  paused: boolean;
}

const MINUTE = 60_000;

/**
 * Computes the SLA on a 24×7 calendar. The response target runs from creation; the resolution
 * target from creation or the last reopen, stopped while waiting on the customer (its due time
 * moves by the time waited). A target met late stays breached.
 */
export function computeSla(settings: DeskSettings, incident: SlaInput, now: number): SlaView {
  const target = settings.sla[incident.priority as Priority] ?? settings.sla[4];
  const responseDueAt = incident.createdAt + target.responseMinutes * MINUTE;
  const waiting = incident.pausedAt !== null && incident.resolvedAt === null ? Math.max(0, now - incident.pausedAt) : 0;
  const resolutionDueAt = incident.slaStartedAt + target.resolutionMinutes * MINUTE + incident.pausedMs + waiting;
  return {
    responseDueAt,
    resolutionDueAt,
    respondedAt: incident.respondedAt,
    resolvedAt: incident.resolvedAt,
    responseLeftMs: incident.respondedAt === null ? responseDueAt - now : null,
    resolutionLeftMs: incident.resolvedAt === null ? resolutionDueAt - now : null,
    responseBreached: (incident.respondedAt ?? now) > responseDueAt,
    resolutionBreached: (incident.resolvedAt ?? now) > resolutionDueAt,
    paused: incident.pausedAt !== null && incident.resolvedAt === null,
  };
}

/** The SLA clock's inputs from an incident row. */
export function slaInput(r: IncidentRow): SlaInput {
  return { priority: r.priority, createdAt: r.created_at, slaStartedAt: r.sla_started_at, respondedAt: r.responded_at, resolvedAt: r.resolved_at, pausedMs: r.sla_paused_ms, pausedAt: r.sla_paused_at };
}

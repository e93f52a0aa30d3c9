import type { DeskSettings, Priority } from './settings.js';

/** What the SLA clock needs from an incident. */
export interface SlaInput {
  priority: number;
  createdAt: number;
  slaStartedAt: number;
  respondedAt: number | null;
  resolvedAt: number | null;
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
}

const MINUTE = 60_000;

/**
 * Computes the SLA on a 24×7 calendar. The response target runs from creation; the resolution
 * target from creation or the last reopen. A target met late stays breached.
 */
export function computeSla(settings: DeskSettings, incident: SlaInput, now: number): SlaView {
  const target = settings.sla[incident.priority as Priority] ?? settings.sla[4];
  const responseDueAt = incident.createdAt + target.responseMinutes * MINUTE;
  const resolutionDueAt = incident.slaStartedAt + target.resolutionMinutes * MINUTE;
  return {
    responseDueAt,
    resolutionDueAt,
    respondedAt: incident.respondedAt,
    resolvedAt: incident.resolvedAt,
    responseLeftMs: incident.respondedAt === null ? responseDueAt - now : null,
    resolutionLeftMs: incident.resolvedAt === null ? resolutionDueAt - now : null,
    responseBreached: (incident.respondedAt ?? now) > responseDueAt,
    resolutionBreached: (incident.resolvedAt ?? now) > resolutionDueAt,
  };
}

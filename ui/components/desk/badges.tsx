import { leftNow, formatDuration } from '../../desk/format.js';
import type { IncidentStatus, Priority, Sla } from '../../desk/types.js';
import { formatDateTime, t } from '../../i18n/index.js';

/** An incident's status as a coloured badge (the same words on the desk and the portal). */
export function StatusBadge({ status }: { status: IncidentStatus }) {
  return <span class={`badge status-${status}`} data-testid="incident-status" data-status={status}>{t(`desk.status.${status}`)}</span>;
}

/** A priority (1 critical … 4 low) as a badge. */
export function PriorityBadge({ priority }: { priority: Priority }) {
  return <span class={`badge prio-${priority}`} data-priority={priority}>{t(`desk.priority.${priority}`)}</span>;
}

/** A status word of any other desk object (problem, change, release, CI), from its own key family. */
export function StateBadge({ family, value }: { family: string; value: string }) {
  return <span class={`badge state-${value}`}>{t(`desk.${family}.status.${value}`)}</span>;
}

/** Text and tone of one SLA target: met, breached (overdue or met late), or time left. */
function slaState(leftMs: number | null, breached: boolean, dueAt: number): { text: string; tone: string } {
  if (leftMs === null) return breached ? { text: t('desk.sla.metLate'), tone: 'breached' } : { text: t('desk.sla.met'), tone: 'met' };
  if (leftMs < 0 || breached) return { text: t('desk.sla.overdue', { time: formatDuration(leftMs) }), tone: 'breached' };
  return { text: t('desk.sla.left', { time: formatDuration(leftMs), due: formatDateTime(dueAt) }), tone: leftMs < 3_600_000 ? 'soon' : 'ok' };
}

/**
 * One SLA target (response or resolution): time left, overdue, or met. `fetchedAt` and `now`
 * move the server's time left on while the page stays open, without trusting the browser's
 * clock for the due time itself.
 */
export function SlaTarget({ sla, kind, fetchedAt, now, compact }: { sla: Sla; kind: 'response' | 'resolution'; fetchedAt: number; now: number; compact?: boolean }) {
  const left = leftNow(kind === 'response' ? sla.responseLeftMs : sla.resolutionLeftMs, fetchedAt, now);
  const breached = kind === 'response' ? sla.responseBreached : sla.resolutionBreached;
  const { text, tone } = slaState(left, breached, kind === 'response' ? sla.responseDueAt : sla.resolutionDueAt);
  return (
    <span class={`sla ${tone}`} data-testid={`sla-${kind}`} data-breached={tone === 'breached' ? 'true' : 'false'}>
      {tone === 'breached' && <span aria-hidden="true">⚠ </span>}
      {compact ? text : `${t(`desk.sla.${kind}`)}: ${text}`}
    </span>
  );
}

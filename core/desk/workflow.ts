/** Incident statuses, in workflow order. */
export const incidentStatuses = ['new', 'assigned', 'in_progress', 'waiting_on_customer', 'resolved', 'closed'] as const;
export type IncidentStatus = (typeof incidentStatuses)[number];

/** Statuses in which an incident still needs work. */
export const openStatuses: readonly IncidentStatus[] = ['new', 'assigned', 'in_progress', 'waiting_on_customer'];

/** Allowed moves; reopening resolved/closed incidents is a separate action. */
export const incidentTransitions: Record<IncidentStatus, readonly IncidentStatus[]> = {
  new: ['assigned', 'in_progress', 'resolved', 'closed'],
  assigned: ['new', 'in_progress', 'waiting_on_customer', 'resolved'],
  in_progress: ['assigned', 'waiting_on_customer', 'resolved'],
  waiting_on_customer: ['in_progress', 'resolved'],
  resolved: ['closed'],
  closed: [],
};

/** Whether an incident may move from one status to another (staying put is always fine). */
export function mayTransition(from: IncidentStatus, to: IncidentStatus): boolean {
  return from === to || incidentTransitions[from].includes(to);
}

/** Where a reopened incident goes: back to its assignee, or to the queue. */
export function reopenStatus(hasAssignee: boolean): IncidentStatus {
  return hasAssignee ? 'assigned' : 'new';
}

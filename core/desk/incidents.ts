import { sql } from 'kysely';
import type { DB } from '../db/open.js';
import { ApiError } from '../http/errors.js';
import type { Services } from '../http/env.js';
import { newId } from '../support/secrets.js';
import type { DeskActor } from './actor.js';
import { diffFields, recordHistory, type FieldChange } from './history.js';
import { requireAccount, requireGroup, requireRow, requireStaff } from './references.js';
import { fullText } from './search/index.js';
import { loadDeskSettings, priorityOf, type DeskSettings, type Level } from './settings.js';
import type { IncidentRow } from './tables.js';
import { incidentTransitions, mayTransition, reopenStatus, type IncidentStatus } from './workflow.js';

/** Fields of a new incident. */
export interface NewIncident {
  title: string;
  description: string;
  category: string;
  impact: Level;
  urgency: Level;
  requesterId: string;
  groupId?: string | null | undefined;
  assigneeId?: string | null | undefined;
  source: 'desk' | 'portal';
}

/** Changes to an incident (API field names); undefined = unchanged, null = cleared. */
export interface IncidentPatch {
  title?: string | undefined;
  description?: string | undefined;
  category?: string | undefined;
  impact?: Level | undefined;
  urgency?: Level | undefined;
  groupId?: string | null | undefined;
  assigneeId?: string | null | undefined;
  status?: IncidentStatus | undefined;
  resolution?: string | null | undefined;
  problemId?: string | null | undefined;
}

/** The API field each column is shown as, for history entries. */
const columnOf = {
  title: 'title', description: 'description', category: 'category', impact: 'impact', urgency: 'urgency', priority: 'priority', groupId: 'group_id',
  assigneeId: 'assignee_id', status: 'status', resolution: 'resolution', problemId: 'problem_id', respondedAt: 'responded_at', resolvedAt: 'resolved_at', closedAt: 'closed_at',
} as const;
type ApiField = keyof typeof columnOf;

function requireCategory(settings: DeskSettings, category: string | undefined): void {
  if (category !== undefined && !settings.incidentCategories.includes(category)) {
    throw new ApiError('invalid_request', 'Unknown category.', { field: 'category', allowed: settings.incidentCategories });
  }
}

/** One incident row, or null. */
export async function findIncident(db: DB, id: string): Promise<IncidentRow | null> {
  return (await db.selectFrom('desk_incidents').selectAll().where('id', '=', id).executeTakeFirst()) ?? null;
}

/** Re-indexes an incident for full-text search: its text and all its comments. */
export async function indexIncident(db: DB, id: string): Promise<void> {
  const row = await findIncident(db, id);
  if (!row) return fullText.remove(db, 'incident', id);
  const comments = await db.selectFrom('desk_comments').select('body').where('incident_id', '=', id).execute();
  await fullText.upsert(db, 'incident', id, `INC-${row.number} ${row.title}`, [row.description, row.resolution ?? '', ...comments.map((c) => c.body)].join('\n'));
}

/** Creates an incident: priority from the matrix, SLA clock started, history and index written. */
export async function createIncident(services: Services, actor: DeskActor, input: NewIncident): Promise<IncidentRow> {
  const { db, clock } = services;
  const settings = await loadDeskSettings(db);
  requireCategory(settings, input.category);
  await requireAccount(db, input.requesterId, 'requesterId');
  await requireGroup(db, input.groupId);
  await requireStaff(db, input.assigneeId, 'assigneeId');
  const now = clock.now();
  const id = newId();
  await db.insertInto('desk_incidents').values({
    id, number: sql<number>`(SELECT coalesce(max(number), 0) + 1 FROM desk_incidents)`, title: input.title, description: input.description,
    category: input.category, impact: input.impact, urgency: input.urgency, priority: priorityOf(settings, input.impact, input.urgency),
    status: input.assigneeId ? 'assigned' : 'new', resolution: null, source: input.source, requester_id: input.requesterId, group_id: input.groupId ?? null,
    assignee_id: input.assigneeId ?? null, problem_id: null, sla_started_at: now, sla_paused_at: null, responded_at: null, resolved_at: null, closed_at: null, created_at: now, updated_at: now,
  }).execute();
  const row = (await findIncident(db, id))!;
  await recordHistory(db, 'incident', id, actor, now, [{ field: 'created', oldValue: null, newValue: `INC-${row.number}` }]);
  await indexIncident(db, id);
  return row;
}

function checkStatus(row: IncidentRow, next: IncidentStatus): void {
  const from = row.status as IncidentStatus;
  if (!mayTransition(from, next)) {
    throw new ApiError('conflict', `An incident cannot go from ${from} to ${next}.`, { reason: 'invalid_transition', from, to: next, allowed: incidentTransitions[from] });
  }
}

/** Derived changes: assignment moves a new incident on, status moves stamp the SLA times. */
function derive(row: IncidentRow, patch: IncidentPatch, settings: DeskSettings, now: number): Partial<Record<ApiField, unknown>> {
  const next: Partial<Record<ApiField, unknown>> = { ...patch };
  if (patch.assigneeId && row.status === 'new' && patch.status === undefined) next.status = 'assigned';
  // Taking the assignee away puts an assigned incident back in the queue.
  if (patch.assigneeId === null && row.status === 'assigned' && patch.status === undefined) next.status = 'new';
  const status = (next.status ?? row.status) as IncidentStatus;
  if (status !== row.status) {
    checkStatus(row, status);
    if (status !== 'new' && row.responded_at === null) next.respondedAt = now;
    if ((status === 'resolved' || status === 'closed') && row.resolved_at === null) next.resolvedAt = now;
    if (status === 'closed') next.closedAt = now;
  }
  const impact = (patch.impact ?? row.impact) as Level;
  const urgency = (patch.urgency ?? row.urgency) as Level;
  next.priority = priorityOf(settings, impact, urgency);
  return next;
}

/** Stops the resolution clock while waiting on the customer, and banks the wait when it ends. */
function pauseBookkeeping(row: IncidentRow, status: unknown, now: number): { sla_paused_ms?: number; sla_paused_at?: number | null } {
  if (status === undefined || status === row.status) return {};
  if (status === 'waiting_on_customer') return { sla_paused_at: now };
  if (row.sla_paused_at !== null) return { sla_paused_ms: row.sla_paused_ms + Math.max(0, now - row.sla_paused_at), sla_paused_at: null };
  return {};
}

function currentValues(row: IncidentRow): Record<ApiField, unknown> {
  return Object.fromEntries(Object.entries(columnOf).map(([field, column]) => [field, row[column]])) as Record<ApiField, unknown>;
}

/** Applies a patch under the workflow rules; records each changed field in the history. */
export async function updateIncident(services: Services, actor: DeskActor, row: IncidentRow, patch: IncidentPatch): Promise<{ row: IncidentRow; changes: FieldChange[] }> {
  const { db, clock } = services;
  const settings = await loadDeskSettings(db);
  requireCategory(settings, patch.category);
  await requireGroup(db, patch.groupId);
  await requireStaff(db, patch.assigneeId, 'assigneeId');
  await requireRow(db, 'desk_problems', patch.problemId, 'problemId');
  const now = clock.now();
  const changes = diffFields(currentValues(row), derive(row, patch, settings, now));
  if (changes.length === 0) return { row, changes };
  const set = Object.fromEntries(changes.map((c) => [columnOf[c.field as ApiField], c.newValue]));
  const pause = pauseBookkeeping(row, changes.find((c) => c.field === 'status')?.newValue, now);
  await db.updateTable('desk_incidents').set({ ...set, ...pause, updated_at: now }).where('id', '=', row.id).execute();
  await recordHistory(db, 'incident', row.id, actor, now, changes);
  await indexIncident(db, row.id);
  return { row: (await findIncident(db, row.id))!, changes };
}

/** Reopens a resolved or closed incident; the resolution clock restarts now. */
export async function reopenIncident(services: Services, actor: DeskActor, row: IncidentRow, reason: string | undefined, allowed: readonly string[]): Promise<IncidentRow> {
  if (!allowed.includes(row.status)) throw new ApiError('conflict', 'Only a resolved or closed incident can be reopened.', { reason: 'not_reopenable' });
  const { db, clock } = services;
  const now = clock.now();
  const status = reopenStatus(row.assignee_id !== null);
  await db.updateTable('desk_incidents').set({ status, resolved_at: null, closed_at: null, sla_started_at: now, sla_paused_ms: 0, sla_paused_at: null, updated_at: now }).where('id', '=', row.id).execute();
  await recordHistory(db, 'incident', row.id, actor, now, [
    { field: 'status', oldValue: row.status, newValue: status },
    { field: 'reopened', oldValue: null, newValue: reason ?? '' },
  ]);
  return (await findIncident(db, row.id))!;
}

/** Marks the first response (a staff public comment) if none was given yet. */
export async function markResponded(services: Services, actor: DeskActor, row: IncidentRow): Promise<void> {
  if (row.responded_at !== null) return;
  const now = services.clock.now();
  await services.db.updateTable('desk_incidents').set({ responded_at: now, updated_at: now }).where('id', '=', row.id).execute();
  await recordHistory(services.db, 'incident', row.id, actor, now, [{ field: 'respondedAt', oldValue: null, newValue: now }]);
}

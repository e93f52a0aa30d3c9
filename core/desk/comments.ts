import type { Services } from '../http/env.js';
import { newId } from '../support/secrets.js';
import { isStaff, type DeskActor } from './actor.js';
import { recordHistory } from './history.js';
import { indexIncident, markResponded, updateIncident } from './incidents.js';
import type { CommentRow, IncidentRow } from './tables.js';

/** Who may see a comment or attachment. */
export type Visibility = 'public' | 'internal';

/**
 * Adds a comment. A staff public comment counts as the first response; a customer's comment on
 * an incident waiting for them puts it back in progress.
 */
export async function addComment(services: Services, actor: DeskActor, incident: IncidentRow, body: string, visibility: Visibility): Promise<CommentRow> {
  const { db, clock } = services;
  const now = clock.now();
  const row: CommentRow = {
    id: newId(), incident_id: incident.id, author_id: actor.id, author_name: actor.name, author_staff: isStaff(actor) ? 1 : 0, body, visibility, created_at: now,
  };
  await db.insertInto('desk_comments').values(row).execute();
  await db.updateTable('desk_incidents').set({ updated_at: now }).where('id', '=', incident.id).execute();
  await recordHistory(db, 'incident', incident.id, actor, now, [{ field: 'comment', oldValue: null, newValue: `${row.id} (${visibility})` }]);
  if (isStaff(actor) && actor.id !== null && visibility === 'public') await markResponded(services, actor, incident);
  if (!isStaff(actor) && incident.status === 'waiting_on_customer') await updateIncident(services, actor, incident, { status: 'in_progress' });
  await indexIncident(db, incident.id);
  return row;
}

/** Comments of an incident, oldest first; portal callers pass `publicOnly`. */
export async function listComments(services: Services, incidentId: string, publicOnly: boolean): Promise<CommentRow[]> {
  let query = services.db.selectFrom('desk_comments').selectAll().where('incident_id', '=', incidentId).orderBy('created_at').orderBy('id');
  if (publicOnly) query = query.where('visibility', '=', 'public');
  return query.execute();
}

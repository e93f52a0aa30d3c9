import type { Context } from 'hono';
import { listAttachments } from '../../../desk/attachments.js';
import { listComments } from '../../../desk/comments.js';
import { readHistory } from '../../../desk/history.js';
import { queryIncidents, queueCounts } from '../../../desk/incident-query.js';
import { toDeskAttachment, toDeskComment, toDeskIncident, toDeskIncidents } from '../../../desk/incident-views.js';
import { createIncident, findIncident, reopenIncident, updateIncident } from '../../../desk/incidents.js';
import { linksOf } from '../../../desk/links.js';
import { notifyAssignee, notifyRequester } from '../../../desk/notify.js';
import { sessionsOfIncident } from '../../../desk/remote-sessions.js';
import { loadDeskSettings } from '../../../desk/settings.js';
import type { IncidentRow } from '../../../desk/tables.js';
import type { FieldChange } from '../../../desk/history.js';
import type { Services, AppEnv } from '../../env.js';
import { ApiError } from '../../errors.js';
import { defineRoute } from '../../route.js';
import { deskAccess, deskActor } from './access.js';
import { createIncidentBody, listIncidentsQuery, patchIncidentBody, reopenBody } from './schema.js';

/** The incident or 404. */
export async function incidentOr404(c: Context<AppEnv>, id: string): Promise<IncidentRow> {
  const row = await findIncident(c.get('services').db, id);
  if (!row) throw new ApiError('not_found', 'No such incident.');
  return row;
}

/** Staff view of one incident, now. */
export async function deskView(services: Services, row: IncidentRow) {
  return toDeskIncident(services.db, await loadDeskSettings(services.db), row, services.clock.now());
}

/** Mails the requester about public changes (status; resolved) and a new assignee about the assignment. */
export function notifyChanges(services: Services, row: IncidentRow, changes: FieldChange[], actorId: string | null): void {
  if (changes.some((ch) => ch.field === 'assigneeId') && row.assignee_id !== actorId) void notifyAssignee(services, row);
  const status = changes.find((ch) => ch.field === 'status');
  if (!status) return;
  void notifyRequester(services, row, row.status === 'resolved' ? { kind: 'resolved', resolution: row.resolution } : { kind: 'status', status: row.status });
}

const tag = 'desk';

/** Incidents for staff: list with filters and search, create, read, change, reopen, history, queues. */
export const deskIncidentRoutes = [
  defineRoute({
    method: 'get', path: '/api/v1/desk/incidents', tag, summary: 'Incidents, filtered and searched (full text over text and comments).', access: deskAccess, query: listIncidentsQuery,
    responses: { 200: '{ incidents, total }' },
    handler: async (c, { query, principal }) => {
      const { db, clock } = c.get('services');
      const settings = await loadDeskSettings(db);
      const assigneeId = query.assigneeId === 'me' ? principal!.userId : query.assigneeId;
      const { rows, total } = await queryIncidents(db, settings, { ...query, assigneeId }, clock.now());
      return c.json({ incidents: await toDeskIncidents(db, settings, rows, clock.now()), total });
    },
  }),
  defineRoute({
    method: 'post', path: '/api/v1/desk/incidents', tag, summary: 'Record an incident on behalf of a requester.', access: deskAccess, body: createIncidentBody,
    responses: { 201: '{ incident }', 400: 'invalid_request' },
    handler: async (c, { body, principal }) => {
      const services = c.get('services');
      const row = await createIncident(services, await deskActor(c, principal), { ...body, source: 'desk' });
      void notifyRequester(services, row, { kind: 'created' });
      if (row.assignee_id !== principal!.userId) void notifyAssignee(services, row);
      return c.json({ incident: await deskView(services, row) }, 201);
    },
  }),
  defineRoute({
    method: 'get', path: '/api/v1/desk/incidents/:id', tag, summary: 'One incident with all comments, attachments, links and support sessions.', access: deskAccess,
    responses: { 200: '{ incident, comments, attachments, links, sessions }', 404: 'not_found' },
    handler: async (c, { params }) => {
      const services = c.get('services');
      const row = await incidentOr404(c, params.id!);
      return c.json({
        incident: await deskView(services, row),
        comments: (await listComments(services, row.id, false)).map(toDeskComment),
        attachments: (await listAttachments(services, row.id, false)).map(toDeskAttachment),
        links: await linksOf(services.db, 'incident', row.id),
        sessions: await sessionsOfIncident(services.db, row.id),
      });
    },
  }),
  defineRoute({
    method: 'patch', path: '/api/v1/desk/incidents/:id', tag, summary: 'Change fields, assignment or status (workflow enforced).', access: deskAccess, body: patchIncidentBody,
    responses: { 200: '{ incident }', 404: 'not_found', 409: 'conflict (invalid_transition)' },
    handler: async (c, { body, params, principal }) => {
      const services = c.get('services');
      const { row, changes } = await updateIncident(services, await deskActor(c, principal), await incidentOr404(c, params.id!), body);
      notifyChanges(services, row, changes, principal!.userId);
      return c.json({ incident: await deskView(services, row) });
    },
  }),
  defineRoute({
    method: 'post', path: '/api/v1/desk/incidents/:id/reopen', tag, summary: 'Reopen a resolved or closed incident.', access: deskAccess, body: reopenBody,
    responses: { 200: '{ incident }', 404: 'not_found', 409: 'conflict (not_reopenable)' },
    handler: async (c, { body, params, principal }) => {
      const services = c.get('services');
      const row = await reopenIncident(services, await deskActor(c, principal), await incidentOr404(c, params.id!), body.reason, ['resolved', 'closed']);
      void notifyRequester(services, row, { kind: 'status', status: row.status });
      return c.json({ incident: await deskView(services, row) });
    },
  }),
  defineRoute({
    method: 'get', path: '/api/v1/desk/incidents/:id/history', tag, summary: 'Every change of an incident: who, when, field, old and new value.', access: deskAccess,
    responses: { 200: '{ history }', 404: 'not_found' },
    handler: async (c, { params }) => {
      const row = await incidentOr404(c, params.id!);
      return c.json({ history: await readHistory(c.get('services').db, 'incident', row.id) });
    },
  }),
  defineRoute({
    method: 'get', path: '/api/v1/desk/queues', tag, summary: 'Open, unassigned and breached incidents per technician group.', access: deskAccess,
    responses: { 200: '{ queues }' },
    handler: async (c) => {
      const { db, clock } = c.get('services');
      return c.json({ queues: await queueCounts(db, await loadDeskSettings(db), clock.now()) });
    },
  }),
];
